"""Every write of renewal and of the policyholder's answer to a higher premium.

- ``open_renewal_offers`` (the daily run): for each health contract in force whose end is at most
  ``pricing.LEAD_DAYS`` (45) days away, not terminated, not given notice and not renewed yet, an
  offer priced by ``pricing.draft_offer``, e-mailed to the holder with its letter;
  ``expire_offers`` closes offers not answered by the contract's last day.
- ``accept_offer``: the next contract, linked to this one (``Contract.previous``), with the
  same people, covers and special conditions (no new health declaration on a renewal without a
  break, 001 т.25 / 003 т.23), the premium schedule of the offer (first instalment due on the
  new start, 004 Чл.25 т.2) and in force from 00:00 of the start once that is paid (004 Чл.24
  т.3, Чл.25 т.3). ``decline_offer``: the contract runs out at its end (004 Чл.28 т.2).
- ``answer_repricing``: 004 Чл.25 т.8 — the holder accepts the proposed premium (an annex raises
  it from the next day: the difference for the rest of the term, pro rata by days, as one more
  instalment, 004 Чл.27 т.1–2) or refuses it (the underwriter then decides: ``keep_contract``,
  or ``billing.actions.termination.terminate`` with the refusal's kind and its letter).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.identity.permissions import can_answer_contract_offers, can_decide_repricing
from zdrave.contracts import actions as contracts
from zdrave.contracts.models import (
    Contract,
    ContractStatus,
    InsuredPerson,
    SpecialConditions,
    TerminationReason,
)
from zdrave.policy_admin.billing.actions import tasks as billing_tasks
from zdrave.policy_admin.billing.actions import termination
from zdrave.policy_admin.billing.models import BillingTask, TaskKind, TaskStatus
from zdrave.policy_admin.renewal import emails
from zdrave.policy_admin.renewal.models import (
    AnswerKind,
    AnswerOutcome,
    OfferStatus,
    PremiumAnswer,
    RenewalOffer,
)
from zdrave.policy_admin.renewal.pricing import LEAD_DAYS, NoRenewal, draft_offer
from zdrave.policy_admin.sales import tariff as tariffs

HEALTH = "health"
CENT = Decimal("0.01")
DAY = dt.timedelta(days=1)


def _today() -> dt.date:
    return timezone.localdate()


# ---- offers -----------------------------------------------------------------------------------


def renewable_contracts(on: dt.date):
    """Health contracts in force on ``on`` whose last day is at most 45 days away, with no
    termination decided (a notice at the end stops the renewal, 004 Чл.28 т.5) and no offer."""
    return (
        Contract.objects.filter(
            product_code=HEALTH,
            status=ContractStatus.IN_FORCE,
            terminated_on__isnull=True,
            end__gte=on,
            end__lte=on + dt.timedelta(days=LEAD_DAYS),
            renewal_offer__isnull=True,
            renewed_by__isnull=True,
            termination__isnull=True,
        )
        .select_related("holder")
        .order_by("end", "pk")
    )


def offer_renewal(contract: Contract, *, on: dt.date | None = None, actor=None) -> RenewalOffer:
    """The renewal offer of ``contract``, stored and e-mailed; the same contract twice gets one
    offer. Raises ``NoRenewal`` when nobody can be offered another year."""
    on = on or _today()
    if found := RenewalOffer.objects.filter(contract=contract).first():
        return found
    draft = draft_offer(contract)
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).get()
        if found := RenewalOffer.objects.filter(contract=contract).first():
            return found
        offer = RenewalOffer.objects.create(
            contract=contract,
            offered_on=on,
            answer_by=contract.end,
            start=draft.start,
            end=draft.end,
            product_version=draft.product_version,
            tariff_version=draft.tariff_version,
            instalments=[str(a) for a in draft.instalments],
            premium=draft.premium,
            previous_premium=draft.previous_premium,
            persons=draft.persons,
            left_out=draft.left_out,
        )
        offer.emailed = emails.send_letter("offer", offer, contract)
        offer.save(update_fields=["emailed"])
        record(
            actor=actor,
            verb="renewal.offered",
            obj=offer,
            contract=contract.number,
            start=draft.start,
            premium=draft.premium,
            persons=len(draft.persons),
            left_out=len(draft.left_out),
            emailed=offer.emailed,
        )
    return offer


def open_renewal_offers(on: dt.date | None = None) -> dict[str, int]:
    """The daily run: an offer for every renewable contract; those that cannot be offered are
    counted (and recorded) and tried again the next day."""
    on = on or _today()
    made = skipped = 0
    for contract in renewable_contracts(on):
        try:
            offer_renewal(contract, on=on)
        except NoRenewal as exc:
            skipped += 1
            record(actor=None, verb="renewal.not_offered", obj=contract, reason=str(exc))
        else:
            made += 1
    return {"offered": made, "not_offered": skipped, "expired": expire_offers(on)}


def expire_offers(on: dt.date | None = None) -> int:
    """Offers still open after their answer day (the contract's last day) lapse."""
    on = on or _today()
    expired = 0
    for offer in RenewalOffer.objects.filter(status=OfferStatus.OFFERED, answer_by__lt=on):
        with transaction.atomic():
            updated = RenewalOffer.objects.filter(pk=offer.pk, status=OfferStatus.OFFERED).update(
                status=OfferStatus.EXPIRED
            )
            if updated:
                expired += 1
                record(actor=None, verb="renewal.expired", obj=offer)
    return expired


def _answerable(user, contract: Contract) -> None:
    if (
        not can_answer_contract_offers(user)
        or not contract.holder.users.filter(pk=user.pk).exists()
    ):
        raise PermissionDenied


def _open_offer(offer: RenewalOffer, today: dt.date) -> RenewalOffer:
    locked = RenewalOffer.objects.select_for_update().select_related("contract").get(pk=offer.pk)
    if locked.status != OfferStatus.OFFERED:
        raise ValidationError(_("This offer is already answered; nothing changed."))
    if locked.contract.terminated_on is not None:
        raise ValidationError(
            _("Contract %(n)s was terminated; it cannot be renewed.")
            % {"n": locked.contract.number}
        )
    if today > locked.answer_by:
        raise ValidationError(
            _("The offer could be accepted until %(day)s; ask us for a new one.")
            % {"day": locked.answer_by.strftime("%d.%m.%Y")}
        )
    return locked


def accept_offer(offer: RenewalOffer, *, actor) -> RenewalOffer:
    """The holder accepts: the next contract, as the module says. Accepting twice accepts
    once."""
    _answerable(actor, offer.contract)
    if offer.status == OfferStatus.ACCEPTED:
        return offer
    today = _today()
    try:
        with transaction.atomic():
            locked = RenewalOffer.objects.select_for_update().get(pk=offer.pk)
            if locked.status == OfferStatus.ACCEPTED:
                return locked
            locked = _open_offer(locked, today)
            new = _next_contract(locked, actor)
            locked.status = OfferStatus.ACCEPTED
            locked.answered_on = today
            locked.answered_by = actor
            locked.new_contract = new
            locked.save(update_fields=["status", "answered_on", "answered_by", "new_contract"])
            record(
                actor=actor,
                verb="renewal.accepted",
                obj=locked,
                contract=locked.contract.number,
                new_contract=new.number,
                premium=locked.premium,
            )
            emails.send_letter("accepted", locked, new)
    except IntegrityError:
        raise ValidationError(_("The renewal could not be concluded; try again.")) from None
    return locked


def _next_contract(offer: RenewalOffer, actor) -> Contract:
    old = offer.contract
    new = contracts.create_contract(
        actor=actor,
        number=f"ZH-{offer.start.year}-R{offer.pk:06d}",
        type=old.type,
        holder=old.holder,
        product_code=old.product_code,
        product_version=offer.product_version,
        start=offer.start,
        end=offer.end,
        aggregate_limit=old.aggregate_limit,
        previous=old,
    )
    people = InsuredPerson.objects.in_bulk([p["person"] for p in offer.persons])
    specials = {s.member_id: s for s in SpecialConditions.objects.filter(member__contract=old)}
    for item in offer.persons:
        member = contracts.add_member(
            new, people[item["person"]], item["role"], actor=actor, student=item["student"]
        )
        for choice in item["choices"]:
            contracts.add_cover(
                new,
                actor=actor,
                product_code=new.product_code,
                member=member,
                package=int(choice["package"]),
                option=choice["option"],
                clause=choice["clause"],
            )
        if special := specials.get(item["member"]):
            # Agreed for the person, not for one year (004 Чл.10); extra waiting periods ran
            # from the first cover and do not start again on a renewal (001 т.25, 003 т.23).
            contracts.set_special_conditions(
                member,
                agreed_on=special.agreed_on,
                by=actor,
                excluded_icd10=special.excluded_icd10,
                excluded_services=special.excluded_services,
                limit=special.limit,
                loading_percent=special.loading_percent,
                note=special.note,
            )
    contracts.schedule_premium(
        new,
        list(
            zip(
                tariffs.due_dates(offer.start, len(offer.instalments)),
                (Decimal(a) for a in offer.instalments),
                strict=True,
            )
        ),
        by=actor,
    )
    contracts.put_in_force(new, actor=actor)
    new.refresh_from_db()
    return new


def decline_offer(offer: RenewalOffer, *, actor) -> RenewalOffer:
    """The holder declines: nothing more happens; the contract expires at its end (004 Чл.28
    т.2). Declining twice declines once."""
    _answerable(actor, offer.contract)
    if offer.status == OfferStatus.DECLINED:
        return offer
    today = _today()
    with transaction.atomic():
        locked = RenewalOffer.objects.select_for_update().get(pk=offer.pk)
        if locked.status == OfferStatus.DECLINED:
            return locked
        locked = _open_offer(locked, today)
        locked.status = OfferStatus.DECLINED
        locked.answered_on = today
        locked.answered_by = actor
        locked.save(update_fields=["status", "answered_on", "answered_by"])
        record(actor=actor, verb="renewal.declined", obj=locked, contract=locked.contract.number)
    return locked


# ---- the answer to a higher premium (004 Чл.25 т.8) --------------------------------------------


def rest_of_term_difference(
    contract: Contract, current: Decimal, proposed: Decimal, effective: dt.date
) -> Decimal:
    """The higher premium for the days from ``effective`` to the contract's last day, pro rata
    by days of the term (both ends counted)."""
    term_days = (contract.end - contract.start).days + 1
    left = (contract.end - effective).days + 1
    if left <= 0:
        return Decimal("0.00")
    return ((proposed - current) * left / term_days).quantize(CENT, rounding=ROUND_HALF_UP)


def answer_repricing(task: BillingTask, *, actor, answer: str) -> PremiumAnswer:
    """The holder's answer to the proposal of task ``task`` (004 Чл.25 т.8). One answer per
    proposal: the same answer twice is recorded once, a different one is refused."""
    _answerable(actor, task.contract)
    if answer not in AnswerKind.values:
        raise ValidationError({"answer": _("Answer: accept or refuse the proposal.")})
    today = _today()
    with transaction.atomic():
        locked = BillingTask.objects.select_for_update().select_related("contract").get(pk=task.pk)
        if found := PremiumAnswer.objects.filter(task=locked).first():
            if found.answer == answer:
                return found
            raise ValidationError({"answer": _("Answer: this proposal is already answered.")})
        if locked.kind != TaskKind.REPRICING or locked.status != TaskStatus.PROPOSED:
            raise ValidationError(_("There is no proposal to answer; nothing changed."))
        contract = locked.contract
        if answer == AnswerKind.REFUSED:
            row = PremiumAnswer.objects.create(
                task=locked,
                answer=answer,
                outcome=AnswerOutcome.WAITING,
                answered_on=today,
                answered_by=actor,
            )
            record(actor=actor, verb="repricing.refused", obj=row, contract=contract.number)
            return row
        effective = today + DAY  # an annex takes effect at 00:00 of its date (004 Чл.27 т.2)
        if effective > contract.end:
            raise ValidationError(
                _("The contract ends on %(day)s: there is no term left to change.")
                % {"day": contract.end.strftime("%d.%m.%Y")}
            )
        current = sum((i.amount for i in contract.instalments.all()), start=Decimal(0))
        extra = rest_of_term_difference(contract, current, locked.proposed_premium, effective)
        row = PremiumAnswer.objects.create(
            task=locked,
            answer=answer,
            outcome=AnswerOutcome.ANNEXED,
            answered_on=today,
            answered_by=actor,
            number=f"{contract.number}-AP{locked.pk}",
            effective=effective,
            extra=extra,
        )
        if extra > 0:
            row.instalment = contracts.add_premium_instalment(
                contract, effective, extra, by=actor, reason=row.number
            )
            row.save(update_fields=["instalment"])
        billing_tasks.close_task(
            locked,
            actor=actor,
            note=_("Higher premium accepted by the policyholder: annex %(n)s.") % {"n": row.number},
        )
        emails.send_letter("annex", row, contract)
        record(
            actor=actor,
            verb="repricing.accepted",
            obj=row,
            contract=contract.number,
            annex=row.number,
            effective=effective,
            extra=extra,
        )
    return row


def keep_contract(answer: PremiumAnswer, *, actor, note: str) -> PremiumAnswer:
    """After a refusal the underwriter decides not to use the right to terminate (004 Чл.25
    т.8 gives a right, not a duty): the task closes, the contract goes on at its premium."""
    if not can_decide_repricing(actor):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Note: say why the contract is kept.")})
    with transaction.atomic():
        locked = PremiumAnswer.objects.select_for_update().get(pk=answer.pk)
        if locked.outcome != AnswerOutcome.WAITING:
            return locked
        billing_tasks.close_task(locked.task, actor=actor, note=note)
        locked.outcome = AnswerOutcome.KEPT
        locked.save(update_fields=["outcome"])
        record(actor=actor, verb="repricing.kept", obj=locked, note=note[:2000])
    return locked


def terminate_after_refusal(
    answer: PremiumAnswer, *, actor, effective_on: dt.date | None, note: str = ""
) -> PremiumAnswer:
    """After a refusal the underwriter uses the right of 004 Чл.25 т.8: billing's termination
    for the refusal (cover ends at 00:00 of ``effective_on``; the premium paid for the time
    after it is refunded in full, no costs kept) with its letter, and the answer says so."""
    if not can_decide_repricing(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = PremiumAnswer.objects.select_for_update().select_related("task").get(pk=answer.pk)
        if locked.outcome == AnswerOutcome.TERMINATED:
            return locked
        if locked.outcome != AnswerOutcome.WAITING:
            raise ValidationError(_("This answer is already decided; nothing changed."))
        termination.terminate(
            locked.task.contract,
            kind=TerminationReason.REPRICING_REFUSED,
            effective_on=effective_on,
            actor=actor,
            note=note,
            task=locked.task,
        )
        locked.outcome = AnswerOutcome.TERMINATED
        locked.save(update_fields=["outcome"])
        record(actor=actor, verb="repricing.terminated", obj=locked, effective_on=effective_on)
    return locked
