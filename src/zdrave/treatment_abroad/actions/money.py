"""The money steps of a case, each decided by the treatment-abroad engine (``money.decide``):
the pre-certificate's reservation against the limit (001 т.72, т.28), travel and stay booked by
the partner (001 т.57–60 / 003 т.53–56), the bills the insurer pays directly (001 т.72.3), the
daily allowance paid to the member at the end (001 т.30 / 003 т.27) and the post-operative
medicines the member bought abroad (001 т.53 / 003 т.49).

Every amount is paid through ``zdrave.claims``: a Best Doctors claim (``submit_claim``) that
the claims engine decides and the claims payment module pays by SEPA credit transfer — to the
provider (``Payee.PROVIDER``: the hospital, the travel agency, with its IBAN) or to the member.
Nothing is "settled" outside a payment batch; the case's statement reads each claim's decision,
batch and payment date (``money.statement``).

Two case managers issuing the pre-certificate at once: the second waits for the first one's
lock on the case (``fetch.lock_case``), then finds it issued and is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zdrave.base.audit.models import record
from zdrave.base.identity.permissions import can_act_on_abroad_case, can_work_abroad_cases
from zdrave.claims.abroad import POST_OPERATIVE_SERVICE, abroad_terms
from zdrave.claims.actions.intake import ClaimInput, LineInput, submit_claim
from zdrave.claims.models import ClaimKind, Payee
from zdrave.engine.calendar import age_in_years
from zdrave.engine.money import ZERO
from zdrave.engine.terms.abroad import BenefitCode
from zdrave.treatment_abroad import emails, states
from zdrave.treatment_abroad.actions.cases import move_case
from zdrave.treatment_abroad.actions.paying import (
    check_amount,
    check_provider,
    existing,
    pay_through_claims,
    provider_account,
    store_cost,
)
from zdrave.treatment_abroad.actions.reserve import release_reservation
from zdrave.treatment_abroad.fetch import lock_case
from zdrave.treatment_abroad.models import AbroadCase, CaseCost, CaseStatus, CostStatus
from zdrave.treatment_abroad.money import CostInput, decide, is_limit_cut, reason_text
from zdrave.treatment_abroad.states import By
from zdrave.treatment_abroad.steps import max_companions

S = CaseStatus
B = BenefitCode
# Bills the insurer pays the hospital or the partner directly, while the case is in these steps.
BILLABLE = (
    S.PRECERTIFICATE_ISSUED,
    S.TRAVEL_BOOKED,
    S.ADMITTED,
    S.DISCHARGED,
    S.RETURNED,
    S.FOLLOW_UP,
    S.REASSESSMENT,
)
# The bills a case manager records; the daily allowance and the medicines bought in Bulgaria
# are the member's to claim (001 т.65.1).
BILL_BENEFITS = (B.TREATMENT_ABROAD, B.TRAVEL, B.ACCOMMODATION, B.REPATRIATION, B.FOLLOW_UP_CARE)
AFTER_DISCHARGE = (S.DISCHARGED, S.RETURNED, S.FOLLOW_UP, S.REASSESSMENT)


def _require_manager(actor) -> None:
    if not can_work_abroad_cases(actor):
        raise PermissionDenied


def issue_precertificate(case: AbroadCase, *, actor, amount: Decimal) -> AbroadCase:
    """001 т.72: the pre-certificate for the chosen hospital, valid three months (т.72.1), the
    hospital's estimate reserved against the limit (001 т.28 / 003 т.25) as far as the engine
    allows; nothing left of the limit: the case moves to "limit used up"."""
    _require_manager(actor)
    check_amount(amount, "amount", _("Estimate of the hospital"))
    with transaction.atomic():
        case = lock_case(case.pk)
        if case.status != S.HOSPITAL_CHOSEN:
            raise ValidationError(
                {
                    "amount": _(
                        "Pre-certificate: the case is “%(status)s”; a pre-certificate is issued "
                        "once, after the member chose a hospital."
                    )
                    % {"status": case.get_status_display()}
                }
            )
        today = timezone.localdate()
        # A new pre-certificate of the same claim (001 т.74) replaces the earlier one's hold.
        release_reservation(case, actor=actor)
        cost = CostInput(benefit=B.TREATMENT_ABROAD, amount=amount, date=today)
        _decision, line = decide(case, cost, precertificate_on=today)
        terms = abroad_terms(case.member.contract)
        if line.payable == ZERO:
            if is_limit_cut(line):
                store_cost(
                    case,
                    cost,
                    line,
                    actor=actor,
                    status=CostStatus.REFUSED,
                    description=_("Pre-certificate: %(hospital)s") % {"hospital": case.hospital},
                )
                move_case(
                    case,
                    S.LIMIT_EXHAUSTED,
                    "limit_exhausted",
                    by=By.CASE_MANAGER,
                    actor=actor,
                    note="; ".join(reason_text(r, terms) for r in line.reasons),
                )
                return case
            raise ValidationError(
                {"amount": "; ".join(reason_text(r, terms) for r in line.reasons)}
            )
        store_cost(
            case,
            cost,
            line,
            actor=actor,
            status=CostStatus.RESERVED,
            description=_("Pre-certificate: %(hospital)s") % {"hospital": case.hospital},
            paid_to=case.hospital,
        )
        move_case(
            case,
            S.PRECERTIFICATE_ISSUED,
            "precertificate_issued",
            by=By.CASE_MANAGER,
            actor=actor,
            precertificate_issued=today,
            precertificate_number=f"PC-{case.number}-{case.reassessments + 1}",
            reserved=line.payable,
            note="; ".join(reason_text(r, terms) for r in line.reasons),
            what=_("The pre-certificate was sent to %(hospital)s.") % {"hospital": case.hospital},
        )
    return case


def book_travel(
    case: AbroadCase,
    *,
    actor,
    travel: Decimal,
    accommodation: Decimal,
    companions: int,
    start: dt.date,
    agency: str,
    iban: str,
    idempotency_key: str = "",
) -> AbroadCase:
    """001 т.57–60 / 003 т.53–56: travel and stay organised by the partner for the insured and
    the companions the terms allow; the insurer pays the travel agency (``agency``, ``iban``)
    through one claim of the claims payment module."""
    _require_manager(actor)
    check_provider(agency, "agency")
    account = provider_account(iban)
    check_amount(travel, "travel", _("Travel"))
    check_amount(accommodation, "accommodation", _("Accommodation"))
    terms = abroad_terms(case.member.contract)
    minor = age_in_years(case.member.person.birth_date, start) < 18
    allowed = max_companions(terms, minor)
    if companions < 0 or companions > allowed:
        raise ValidationError(
            {
                "companions": _("Companions: at most %(n)s under %(clause)s.")
                % {"n": allowed, "clause": terms.benefit(B.TRAVEL).clause}
            }
        )
    if existing(idempotency_key):
        return AbroadCase.objects.get(pk=case.pk)
    with transaction.atomic():
        case = lock_case(case.pk)
        if existing(idempotency_key):  # the same form in another tab, first under the lock
            return case
        if case.status != S.PRECERTIFICATE_ISSUED:
            raise ValidationError(
                _("Travel: book it after the pre-certificate is issued (the case is “%(s)s”).")
                % {"s": case.get_status_display()}
            )
        pay_through_claims(
            case,
            [
                (
                    CostInput(benefit=B.TRAVEL, amount=travel, date=start),
                    _("Travel: the insured and %(n)s companion(s)") % {"n": companions},
                ),
                (
                    CostInput(benefit=B.ACCOMMODATION, amount=accommodation, date=start),
                    _("Accommodation: the insured and %(n)s companion(s)") % {"n": companions},
                ),
            ],
            actor=actor,
            payee=Payee.PROVIDER,
            payee_name=agency.strip(),
            iban=account,
            idempotency_key=idempotency_key,
        )
        move_case(
            case,
            S.TRAVEL_BOOKED,
            "travel_booked",
            by=By.CASE_MANAGER,
            actor=actor,
            companions=companions,
            what=_("Your travel and stay are booked from %(day)s.")
            % {"day": start.strftime("%d.%m.%Y")},
        )
    return case


def record_bill(
    case: AbroadCase,
    *,
    actor,
    benefit: str,
    amount: Decimal,
    date: dt.date,
    paid_to: str,
    iban: str,
    description: str = "",
    by_member_or_relative: bool = False,
    post_operative_medicine: bool = False,
    purchased: dt.date | None = None,
    idempotency_key: str = "",
) -> CaseCost:
    """A bill the insurer pays directly (001 т.72.3), decided by the engine: a cost the member or
    a relative paid or arranged themselves is excluded (001 т.10.13 / 003 т.10.14); medicines
    for after the operation only for 30 days from the end of the treatment and bought before
    the return (001 т.53 / 003 т.49). The hospital's bill first uses what its pre-certificate
    reserved. Paid to ``paid_to`` on ``iban`` through a claim (``Payee.PROVIDER``)."""
    _require_manager(actor)
    check_provider(paid_to)
    account = provider_account(iban)
    if benefit not in BILL_BENEFITS:
        raise ValidationError({"benefit": _("Benefit: choose what the bill is for.")})
    check_amount(amount, "amount", _("Amount"))
    if date > timezone.localdate():
        raise ValidationError({"date": _("Date: cannot be in the future.")})
    if done := existing(idempotency_key):
        return done[0]
    with transaction.atomic():
        case = lock_case(case.pk)
        if done := existing(idempotency_key):
            return done[0]
        if case.status not in BILLABLE:
            raise ValidationError(
                _("Bills: recorded once the pre-certificate is issued (the case is “%(s)s”).")
                % {"s": case.get_status_display()}
            )
        if benefit == B.TREATMENT_ABROAD:
            release_reservation(case, actor=actor, amount=amount)
        cost = CostInput(
            benefit=benefit,
            amount=amount,
            date=date,
            by_member_or_relative=by_member_or_relative,
            post_operative_medicine=post_operative_medicine,
            purchased=purchased,
        )
        (row,) = pay_through_claims(
            case,
            [(cost, description or str(dict(BILL_LABELS).get(benefit, benefit)))],
            actor=actor,
            payee=Payee.PROVIDER,
            payee_name=paid_to.strip(),
            iban=account,
            idempotency_key=idempotency_key,
            service=POST_OPERATIVE_SERVICE if post_operative_medicine else "",
        )
        states.note(case, "bill_recorded", actor=actor, text=f"{benefit} {row.payable}")
        record(
            actor=actor,
            verb="abroad_case_bill",
            obj=case,
            benefit=benefit,
            billed=str(row.billed),
            payable=str(row.payable),
        )
    return row


def request_daily_allowance(
    case: AbroadCase, *, actor, iban: str, idempotency_key: str = ""
) -> CaseCost:
    """001 т.30 / 003 т.27: EUR 100 for every full 24 hours in the hospital of the
    pre-certificate, at most 60 days, paid at the end of the stay to the member's account —
    a Best Doctors claim (``claims.actions.intake.submit_claim``) that the engine decides and
    the claims payment module pays. Asked once per stay."""
    if not can_act_on_abroad_case(actor, case):
        raise PermissionDenied
    with transaction.atomic():
        case = lock_case(case.pk)
        if case.status not in AFTER_DISCHARGE or not case.full_days:
            raise ValidationError(
                _("Daily allowance: it is paid at the end of the stay, after the discharge.")
            )
        stay_start = case.admitted_at
        already = case.costs.filter(
            benefit=B.DAILY_HOSPITAL_CASH, date=timezone.localtime(case.discharged_at).date()
        ).exclude(status=CostStatus.REFUSED)
        if already.exists():
            raise ValidationError(_("Daily allowance: already asked for this stay."))
        days = case.full_days
        terms = abroad_terms(case.member.contract)
        per_day = terms.benefit(B.DAILY_HOSPITAL_CASH).daily_allowance.amount.eur
        discharged = timezone.localtime(case.discharged_at).date()
        claim = submit_claim(
            ClaimInput(
                member=case.member,
                kind=ClaimKind.BEST_DOCTORS,
                lines=[
                    LineInput(
                        service=B.DAILY_HOSPITAL_CASH,
                        benefit=B.DAILY_HOSPITAL_CASH,
                        date=discharged,
                        amount=per_day * days,
                        quantity=days,
                    )
                ],
                iban=iban,
                payee=Payee.INSURED,
                payee_name=case.member.person.full_name,
                provider=case.hospital,
                diagnosis=case.diagnosis,
                idempotency_key=idempotency_key,
                condition=case.condition,
                precertificate_issued=case.precertificate_issued,
                hospital_nights=days,
                returned_home=case.returned_on,
            ),
            actor=actor,
        )
        line = claim.lines.get()
        row = CaseCost.objects.create(
            case=case,
            benefit=B.DAILY_HOSPITAL_CASH,
            description=_("Daily allowance: %(days)s full days from %(start)s")
            % {"days": days, "start": timezone.localtime(stay_start).strftime("%d.%m.%Y")},
            date=discharged,
            billed=per_day * days,
            payable=claim.payable,
            status=CostStatus.CLAIMED if claim.payable > ZERO else CostStatus.REFUSED,
            reasons=list(line.reasons or []),
            paid_to=case.member.person.full_name,
            claim=claim,
            created_by=actor,
        )
        states.note(case, "daily_allowance", actor=actor, text=claim.number)
        record(actor=actor, verb="abroad_daily_allowance", obj=case, claim=claim.number)
        emails.send_step(
            case,
            _("Your daily allowance of %(amount)s EUR for %(days)s full days is claim %(claim)s.")
            % {"amount": claim.payable, "days": days, "claim": claim.number},
        )
    return row


def request_medicines_refund(
    case: AbroadCase,
    *,
    actor,
    amount: Decimal,
    purchased: dt.date,
    iban: str,
    dose_days: int | None = None,
    country: str = "",
    idempotency_key: str = "",
) -> CaseCost:
    """001 т.53 / 003 т.49: medicines the doctor abroad prescribed for after the operation,
    bought by the member before the return to Bulgaria, are covered for 30 days from the end
    of the treatment abroad (a longer supply is cut to those days). Refunded to the member's
    account through a Best Doctors claim; the engine of the case and of the claim decide it."""
    if not can_act_on_abroad_case(actor, case):
        raise PermissionDenied
    check_amount(amount, "amount", _("Amount"))
    if purchased is None or purchased > timezone.localdate():
        raise ValidationError({"purchased": _("Bought on: a date up to today.")})
    if country and not (len(country) == 2 and country.isalpha()):
        raise ValidationError({"country": _("Country: a two-letter code, such as DE.")})
    account = provider_account(iban)
    if done := existing(idempotency_key):
        return done[0]
    with transaction.atomic():
        case = lock_case(case.pk)
        if done := existing(idempotency_key):
            return done[0]
        if case.status not in AFTER_DISCHARGE:
            raise ValidationError(
                _(
                    "Medicines after the operation: asked for once the treatment abroad ended "
                    "(the case is “%(s)s”)."
                )
                % {"s": case.get_status_display()}
            )
        cost = CostInput(
            benefit=B.TREATMENT_ABROAD,
            amount=amount,
            date=purchased,
            country=country.upper(),
            post_operative_medicine=True,
            purchased=purchased,
            dose_days=dose_days,
        )
        (row,) = pay_through_claims(
            case,
            [
                (
                    cost,
                    _("Medicines for after the operation, bought %(day)s")
                    % {"day": purchased.strftime("%d.%m.%Y")},
                )
            ],
            actor=actor,
            payee=Payee.INSURED,
            payee_name=case.member.person.full_name,
            iban=account,
            idempotency_key=idempotency_key,
            service=POST_OPERATIVE_SERVICE,
            dose_days=dose_days,
        )
        record(actor=actor, verb="abroad_medicines_refund", obj=case, payable=str(row.payable))
        if row.claim_id:
            emails.send_step(
                case,
                _("Your refund of the medicines for after the operation is claim %(claim)s.")
                % {"claim": row.claim.number},
            )
    return row


BILL_LABELS = [
    (B.TREATMENT_ABROAD.value, gettext_lazy("Hospital bill")),
    (B.TRAVEL.value, gettext_lazy("Travel")),
    (B.ACCOMMODATION.value, gettext_lazy("Accommodation")),
    (B.REPATRIATION.value, gettext_lazy("Repatriation")),
    (B.FOLLOW_UP_CARE.value, gettext_lazy("Follow-up care")),
]
