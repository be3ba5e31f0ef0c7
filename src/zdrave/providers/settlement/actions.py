"""Every write of provider claims and settlement.

- ``submit_provider_claim``: the institution bills one service given on an eligibility check
  (form, batch row or API); it becomes a claim of the subscription form (002 VII, 004 Чл.29
  т.12) decided on the claims path (``claims.actions.intake.submit_claim``: the engine, the
  referral rules, the four-eyes threshold), priced by ``pricing`` (004 Чл.29 т.11).
- ``submit_batch``: a CSV file of such claims — all rows or none.
- ``close_month``: one statement per institution of the decided claims not yet settled, less
  the open recoveries from the institution (offset); the claims are "payment scheduled".
- ``create_settlement_batch`` / ``confirm_settlement_paid``: ONE SEPA transfer per statement
  (pain.001.001.09 by ``base.banking.sepa``, the kit the claims payments use, validated against
  the official XSD), then the statements and their claims "paid".
- ``open_recovery`` / ``record_repaid``: 004 Чл.29 т.10, Чл.26 т.2.

Lock order: statements or batch first, then each claim by ``claims.fetch.lock_claim`` (person,
then claim) in the order of the person, as ``claims.actions.bank`` does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.banking.iban import normalise_iban
from zdrave.base.banking.sepa import Transfer
from zdrave.base.identity.permissions import can_access_provider_settlement
from zdrave.claims import states
from zdrave.claims.actions.bank import store_transfer_batch
from zdrave.claims.actions.intake import ClaimInput, LineInput, submit_claim
from zdrave.claims.catalogue import HEALTH
from zdrave.claims.fetch import lock_claim
from zdrave.claims.models import Claim, ClaimForm, ClaimKind, ClaimStatus
from zdrave.claims.states import By
from zdrave.claims.validation import clean_icd10
from zdrave.engine.adjudication.index import index_for
from zdrave.engine.calendar import is_working_day
from zdrave.products.terms import terms
from zdrave.providers.network.fetch import health_membership
from zdrave.providers.network.models import EligibilityCheck, Institution, Verdict
from zdrave.providers.preauth.actions import use_guarantee
from zdrave.providers.preauth.fetch import without_hold
from zdrave.providers.preauth.models import GuaranteeLetter, LetterStatus
from zdrave.providers.settlement.models import (
    Channel,
    Debtor,
    ProviderAccount,
    ProviderClaim,
    Recovery,
    RecoveryGround,
    RecoveryStatus,
    SettlementBatch,
    Statement,
    StatementStatus,
)
from zdrave.providers.settlement.pricing import Price, price_for

ZERO = Decimal("0.00")
S = ClaimStatus
MAX_AMOUNT = Decimal("500000.00")
MAX_QUANTITY = 100
BILLABLE = (Verdict.COVERED, Verdict.COPAYMENT)
SETTLEABLE = (S.APPROVED, S.PARTIALLY_APPROVED)
# The package of the service row chooses the claim's kind (its document checklist, 004
# Приложение №1): hospital care (3), dental (6), the rest outpatient.
KIND_OF_PACKAGE = {3: ClaimKind.HOSPITAL, 6: ClaimKind.DENTAL}
# The remittance the institution reads on its bank statement (SEPA letters by the official
# transliteration, ``base.banking``): the statement and its month, never a patient.
REMITTANCE = "Плащане по справка {number} за {month}"


def _staff(actor) -> None:
    if not can_access_provider_settlement(actor):
        raise PermissionDenied


# -- a claim -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderClaimInput:
    """One billed service: the eligibility check it was given on (its person, service and
    day), the provider's reference (invoice or case number), quantity, amount and diagnosis."""

    check_id: int | None
    reference: str
    amount: Decimal | None
    diagnosis: str
    quantity: int = 1
    idempotency_key: str = ""
    # The guarantee letter's number (``providers.preauth``), for a service that needed one.
    letter: str = ""


def _errors_of(data: ProviderClaimInput, institution: Institution) -> tuple[dict, object]:
    errors: dict[str, list[str]] = {}
    check = None
    if data.check_id is not None:
        check = (
            EligibilityCheck.objects.filter(pk=data.check_id, institution=institution)
            .select_related("person")
            .first()
        )
    if check is None:
        errors["check"] = [
            _("Eligibility check: choose a check your institution made for this patient.")
        ]
    elif check.verdict == Verdict.PREAUTHORISATION and not data.letter.strip():
        errors["letter"] = [
            _(
                "Guarantee letter: the service needs pre-authorisation; give the number of "
                "its guarantee letter."
            )
        ]
    elif check.verdict not in (*BILLABLE, Verdict.PREAUTHORISATION):
        errors["check"] = [
            _("Eligibility check: the answer was “%(verdict)s”; the insurer does not pay it.")
            % {"verdict": check.get_verdict_display()}
        ]
    elif ProviderClaim.objects.filter(eligibility_check=check).exists():
        errors["check"] = [_("Eligibility check: a claim was already sent for this check.")]
    letter = None
    if data.letter.strip() and check is not None:
        letter = _letter_for(data.letter.strip(), check, institution)
        if letter is None:
            errors["letter"] = [
                _(
                    "Guarantee letter: no valid letter %(number)s of your institution for this "
                    "patient, service and date."
                )
                % {"number": data.letter.strip()}
            ]
    reference = data.reference.strip()
    if not reference:
        errors["reference"] = [_("Your reference: give the invoice or case number.")]
    elif len(reference) > 40:
        errors["reference"] = [_("Your reference: at most 40 characters.")]
    elif ProviderClaim.objects.filter(institution=institution, reference=reference).exists():
        errors["reference"] = [
            _("Your reference: %(ref)s was already billed.") % {"ref": reference}
        ]
    if data.amount is None or data.amount <= ZERO:
        errors["amount"] = [_("Amount (EUR): more than zero.")]
    elif data.amount > MAX_AMOUNT or data.amount != data.amount.quantize(Decimal("0.01")):
        errors["amount"] = [_("Amount (EUR): euro and cents, up to 500 000.00.")]
    if not 1 <= data.quantity <= MAX_QUANTITY:
        errors["quantity"] = [_("Quantity: a whole number from 1 to 100.")]
    try:
        diagnosis = clean_icd10(data.diagnosis)
    except ValidationError as error:
        errors["diagnosis"] = error.messages
    else:
        if not diagnosis:
            errors["diagnosis"] = [_("Diagnosis code: give the ICD-10 code, such as J06.9.")]
    return errors, check, letter


def _letter_for(number: str, check, institution: Institution) -> GuaranteeLetter | None:
    """The guarantee letter ``number`` that covers the check's service: issued for this
    institution and person, still holding an amount, valid on the day of service."""
    return (
        GuaranteeLetter.objects.filter(
            number=number,
            status=LetterStatus.HELD,
            request__institution=institution,
            request__member__person_id=check.person_id,
            request__service=check.service,
            valid_from__lte=check.day,
            valid_until__gte=check.day,
        )
        .select_related("request")
        .first()
    )


def check_provider_claim(data: ProviderClaimInput, institution: Institution) -> None:
    """The ``ValidationError`` ``submit_provider_claim`` would raise on ``data``, or nothing."""
    errors, _check, _letter = _errors_of(data, institution)
    if errors:
        raise ValidationError(errors)


def submit_provider_claim(
    data: ProviderClaimInput, *, actor, institution: Institution, channel: str = Channel.FORM
) -> ProviderClaim:
    """Bill the service of the eligibility check ``data.check_id``: a claim of the subscription
    form for the checked person, priced at the agreed or the reasonable and customary cost
    (004 Чл.29 т.11, ``pricing``) and decided by the engine at once like a member's claim; the
    co-payment stays the member's (the engine's ``copay``, collected at the desk). One
    transaction; the same ``idempotency_key`` again returns the first claim."""
    if not can_access_provider_settlement(actor, institution):
        raise PermissionDenied
    key = data.idempotency_key.strip()[:40]
    if key:
        found = ProviderClaim.objects.filter(
            idempotency_key=f"{institution.pk}:{key}", institution=institution
        ).first()
        if found is not None:
            return found
    errors, check, letter = _errors_of(data, institution)
    member = None
    if not errors:
        member = health_membership(check.day, person=check.person)
        if member is None:
            errors["check"] = [
                _("Eligibility check: no health contract covers this person on that day.")
            ]
    if errors:
        raise ValidationError(errors)
    version = member.contract.product_version
    info = index_for(terms(HEALTH, version)).services[check.service]
    price = price_for(institution, check.service, check.day, version)
    if letter is not None:
        price = _within_letter(price, letter, data.quantity)
    try:
        with transaction.atomic(), _letter_not_held(letter):
            claim = submit_claim(
                ClaimInput(
                    member=member,
                    kind=KIND_OF_PACKAGE.get(info.package_number, ClaimKind.OUTPATIENT),
                    form=ClaimForm.SUBSCRIPTION,
                    lines=[
                        LineInput(
                            service=check.service,
                            date=check.day,
                            amount=data.amount,
                            quantity=data.quantity,
                            invoice_number=data.reference.strip(),
                            reference_price=price.unit,
                        )
                    ],
                    iban="",
                    provider=institution.name,
                    diagnosis=clean_icd10(data.diagnosis),
                ),
                actor=actor,
                actor_checked=True,
            )
            billed = ProviderClaim.objects.create(
                claim=claim,
                institution=institution,
                eligibility_check=check,
                channel=channel,
                reference=data.reference.strip(),
                billed=data.amount,
                price_basis=price.basis,
                price=price.unit if price.unit is not None else data.amount,
                idempotency_key=f"{institution.pk}:{key}" if key else None,
                guarantee_letter=letter,
            )
            if letter is not None:
                _use_letter(billed, actor=actor)
            record(
                actor=actor,
                verb="provider_claim_submitted",
                obj=billed,
                claim=claim.number,
                channel=channel,
                price_basis=price.basis,
            )
    except IntegrityError:
        # A second request with the same key won the race: return its claim.
        found = ProviderClaim.objects.filter(idempotency_key=f"{institution.pk}:{key}").first()
        if not key or found is None:
            raise
        return found
    return billed


def _within_letter(price: Price, letter: GuaranteeLetter, quantity: int) -> Price:
    """The guarantee letter is the most the insurer pays for the service: the unit price is
    capped at what the letter still holds."""
    most = (letter.held / quantity).quantize(Decimal("0.01"))
    if price.unit is None or most < price.unit:
        return Price("guarantee", most)
    return price


def _letter_not_held(letter: GuaranteeLetter | None):
    """Decide the claim without the letter's own hold counted against the limits
    (``preauth.fetch.without_hold``): else the guaranteed amount would count twice."""
    return without_hold(letter) if letter is not None else contextlib.nullcontext()


def _use_letter(billed: ProviderClaim, *, actor) -> None:
    """Record the claim's use of its guarantee letter (``preauth.actions.use_guarantee``,
    idempotent by the claim number) once the claim has a payable amount: at once when the
    engine decided it, else when its month is closed."""
    letter = billed.guarantee_letter
    claim = billed.claim
    if letter is None or claim.payable <= ZERO or letter.status != LetterStatus.HELD:
        return
    use_guarantee(
        letter,
        min(claim.payable, letter.held),
        reference=claim.number,
        used_on=billed.eligibility_check.day,
        actor=actor,
    )


# -- a batch file --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


@dataclass
class BatchOutcome:
    claims: list[ProviderClaim] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def submit_batch(
    rows: list[ProviderClaimInput], *, actor, institution: Institution
) -> BatchOutcome:
    """The rows of a batch file (``batch.parse``, row 1 is the header): every row is checked
    first and, when any is wrong, nothing is billed and each error is listed with its row and
    field; otherwise all are billed in one transaction (all or nothing)."""
    if not can_access_provider_settlement(actor, institution):
        raise PermissionDenied
    outcome = BatchOutcome()
    seen_checks: set[int] = set()
    seen_refs: set[str] = set()
    for number, row in enumerate(rows, start=2):
        errors, _check, _letter = _errors_of(row, institution)
        if row.check_id in seen_checks:
            errors.setdefault("check", []).append(
                _("Eligibility check: the file bills this check twice.")
            )
        if row.reference.strip() in seen_refs:
            errors.setdefault("reference", []).append(_("Your reference: the file uses it twice."))
        seen_checks.add(row.check_id)
        seen_refs.add(row.reference.strip())
        for name, messages in errors.items():
            outcome.errors.extend(RowError(number, name, m) for m in messages)
    if outcome.errors:
        return outcome
    try:
        with transaction.atomic():
            for number, row in enumerate(rows, start=2):
                try:
                    outcome.claims.append(
                        submit_provider_claim(
                            row, actor=actor, institution=institution, channel=Channel.BATCH
                        )
                    )
                except ValidationError as error:
                    for name, messages in error.message_dict.items():
                        outcome.errors.extend(RowError(number, name, m) for m in messages)
            if outcome.errors:
                raise _Rollback
    except _Rollback:
        outcome.claims = []
    return outcome


class _Rollback(Exception):
    """Undo a batch with an error found while billing (all or nothing)."""


# -- the month -----------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


@dataclass
class CloseOutcome:
    statements: list[Statement] = field(default_factory=list)
    no_account: list[Institution] = field(default_factory=list)


def close_month(month: dt.date, *, actor) -> CloseOutcome:
    """Close ``month`` (any day of it; the current one or earlier): for each institution with
    decided provider claims not yet in a statement (services given by the month's end), one
    statement of their insurer's share (``Claim.payable``; the co-payments were collected at the desk),
    less the open recoveries from the institution that fit in it (offset, 004 Чл.29 т.10). The
    claims become "payment scheduled". An institution without a bank account on file is listed
    back and its claims wait. A ``ValidationError`` on ``month`` for a future month."""
    _staff(actor)
    month = month_start(month)
    today = timezone.localdate()
    if month > month_start(today):
        raise ValidationError({"month": _("Month: choose this month or an earlier one.")})
    outcome = CloseOutcome()
    with transaction.atomic():
        waiting = list(
            ProviderClaim.objects.select_for_update(of=("self",))
            .filter(
                statement__isnull=True,
                claim__status__in=SETTLEABLE,
                claim__payable__gt=ZERO,
                eligibility_check__day__lte=month_end(month),
            )
            .select_related("institution")
            .order_by("institution_id", "id")
        )
        by_institution: dict[int, list[ProviderClaim]] = {}
        for item in waiting:
            by_institution.setdefault(item.institution_id, []).append(item)
        for items in by_institution.values():
            institution = items[0].institution
            if Statement.objects.filter(institution=institution, month=month).exists():
                continue  # closed already: these claims go into the next month's statement
            account = ProviderAccount.objects.filter(institution=institution).first()
            if account is None:
                outcome.no_account.append(institution)
                continue
            outcome.statements.append(_statement(institution, month, items, account, actor))
    return outcome


def _statement(institution, month, items, account, actor) -> Statement:
    claims = {
        c.pk: c
        for c in Claim.objects.filter(pk__in=[i.claim_id for i in items]).order_by(
            "member_id", "id"
        )
    }
    claims_total = sum((c.payable for c in claims.values()), ZERO)
    copay = (
        Claim.objects.filter(pk__in=claims).aggregate(total=Sum("lines__copay"))["total"] or ZERO
    )
    offsets = []
    left = claims_total
    for recovery in (
        Recovery.objects.select_for_update()
        .filter(
            provider_claim__institution=institution,
            debtor=Debtor.PROVIDER,
            status=RecoveryStatus.OPEN,
        )
        .order_by("opened_at", "id")
    ):
        if recovery.amount <= left:
            offsets.append(recovery)
            left -= recovery.amount
    number = f"ST-{month:%Y%m}-{institution.pk:05d}"
    statement = Statement.objects.create(
        institution=institution,
        month=month,
        number=number,
        status=StatementStatus.CLOSED if left > ZERO else StatementStatus.PAID,
        claims_total=claims_total,
        copay_total=copay,
        offset_total=claims_total - left,
        payable=left,
        account_name=account.account_name,
        iban=account.iban,
        end_to_end_id=number,
        closed_by=actor,
        paid_on=None if left > ZERO else timezone.localdate(),
    )
    ProviderClaim.objects.filter(pk__in=[i.pk for i in items]).update(statement=statement)
    for item in items:
        if item.guarantee_letter_id is not None:
            _use_letter(item, actor=actor)
    for recovery in offsets:
        recovery.status = RecoveryStatus.OFFSET
        recovery.offset_statement = statement
        recovery.closed_by = actor
        recovery.save(update_fields=["status", "offset_statement", "closed_by"])
        record(actor=actor, verb="recovery_offset", obj=recovery, statement=number)
    for claim_id in claims:
        claim = lock_claim(claim_id)
        states.move(
            claim,
            S.PAYMENT_SCHEDULED,
            "payment_scheduled",
            by=By.PAYMENTS,
            actor=actor,
            note=number,
        )
        if statement.status == StatementStatus.PAID:
            states.move(claim, S.PAID, "paid", by=By.PAYMENTS, actor=actor, note=number)
    record(
        actor=actor,
        verb="statement_closed",
        obj=statement,
        claims=len(items),
        total=str(claims_total),
        payable=str(left),
    )
    return statement


# -- paying --------------------------------------------------------------------------------------


def first_execution_date(today: dt.date | None = None) -> dt.date:
    day = (today or timezone.localdate()) + dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def remittance(statement: Statement) -> str:
    return REMITTANCE.format(number=statement.number, month=f"{statement.month:%m.%Y}")


def create_settlement_batch(*, actor, execution_date: dt.date) -> SettlementBatch:
    """ONE transfer per closed statement not yet sent, in one SEPA file (pain.001.001.09,
    validated against the official XSD by ``base.banking.sepa``), stored once; the statements
    are "sent". ``ValidationError``: a date that is past or not a Bulgarian working day (on
    ``execution_date``), or nothing to send."""
    _staff(actor)
    today = timezone.localdate()
    if execution_date < today or not is_working_day(execution_date):
        raise ValidationError(
            {
                "execution_date": _(
                    "Execution date: choose a Bulgarian working day from today on, such as %(day)s."
                )
                % {"day": f"{first_execution_date(today):%d.%m.%Y}"}
            }
        )
    with transaction.atomic():
        statements = list(
            Statement.objects.select_for_update(skip_locked=True)
            .filter(status=StatementStatus.CLOSED, batch__isnull=True, payable__gt=ZERO)
            .order_by("id")
        )
        if not statements:
            raise ValidationError(
                _("Settlement batch: no closed statement is waiting to be paid; nothing was made."),
                code="nothing_waiting",
            )
        for statement in statements:
            normalise_iban(statement.iban, label=_("IBAN"), sepa_only=True)
        batch = store_transfer_batch(
            SettlementBatch,
            prefix="ZDP",
            actor=actor,
            execution_date=execution_date,
            transfers=[
                Transfer(
                    end_to_end_id=s.end_to_end_id,
                    creditor_name=s.account_name,
                    creditor_iban=s.iban,
                    amount=s.payable,
                    remittance=remittance(s),
                )
                for s in statements
            ],
        )
        Statement.objects.filter(pk__in=[s.pk for s in statements]).update(
            batch=batch, status=StatementStatus.SENT
        )
        record(
            actor=actor,
            verb="settlement_batch_created",
            obj=batch,
            count=batch.count,
            total=str(batch.total),
        )
    return batch


def batch_file(batch: SettlementBatch, *, actor) -> bytes:
    _staff(actor)
    record(actor=actor, verb="settlement_batch_exported", obj=batch)
    return bytes(batch.xml)


def confirm_settlement_paid(batch: SettlementBatch, *, actor, on: dt.date) -> int:
    """The bank paid the batch on ``on``: its statements and their claims are "paid". Returns
    the number of statements; confirming twice is refused and changes nothing."""
    _staff(actor)
    today = timezone.localdate()
    created = timezone.localdate(batch.created_at)
    if on > today or on < created:
        raise ValidationError(
            {"on": _("Paid on: a date from %(start)s to today.") % {"start": f"{created:%d.%m.%Y}"}}
        )
    with transaction.atomic():
        batch = SettlementBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.confirmed_at is not None:
            raise ValidationError(
                {
                    "on": _("Paid on: this batch was already confirmed on %(day)s.")
                    % {"day": f"{timezone.localtime(batch.confirmed_at):%d.%m.%Y}"}
                }
            )
        statements = list(
            Statement.objects.select_for_update()
            .filter(batch=batch, status=StatementStatus.SENT)
            .order_by("id")
        )
        claim_ids = list(
            Claim.objects.filter(provider_claim__statement__in=statements)
            .order_by("member_id", "id")
            .values_list("pk", flat=True)
        )
        for claim_id in claim_ids:
            claim = lock_claim(claim_id)
            if states.allowed(claim.status, S.PAID, By.PAYMENTS):
                states.move(
                    claim, S.PAID, "paid", by=By.PAYMENTS, actor=actor, note=batch.message_id
                )
            else:  # reopened meanwhile: the payment is recorded, the status stays with the adjuster
                states.note(claim, "payment_paid", actor=actor, text=batch.message_id)
        for statement in statements:
            statement.status = StatementStatus.PAID
            statement.paid_on = on
            statement.save(update_fields=["status", "paid_on"])
        batch.confirmed_at = timezone.now()
        batch.save(update_fields=["confirmed_at"])
        record(actor=actor, verb="settlement_batch_paid", obj=batch, on=on.isoformat())
    return len(statements)


# -- recoveries ----------------------------------------------------------------------------------


def recoverable(provider_claim: ProviderClaim) -> Decimal:
    """What may still be recovered on a settled claim: its insurer's share less the recoveries
    already opened on it."""
    opened = provider_claim.recoveries.aggregate(total=Sum("amount"))["total"] or ZERO
    return provider_claim.claim.payable - opened


def open_recovery(
    provider_claim: ProviderClaim,
    *,
    actor,
    debtor: str,
    ground: str,
    amount: Decimal | None,
    note: str = "",
) -> Recovery:
    """004 Чл.29 т.10: an amount the insurer paid on a settled provider claim without grounds
    — the card used after the cover ended (10.1), above the limit (10.2; Чл.26 т.2), an
    excluded risk (10.3), otherwise not owed (10.4) — is owed back by the member (or, where
    the institution billed what it should not have, by the institution). A person decides it
    (the clause gives the insurer a right); the debtor gets a letter of the amount, terms and
    way to repay (10.5, ``letters.recovery_letter``). A recovery from the institution is
    offset against its next statement (``close_month``); any recovery may be recorded repaid."""
    _staff(actor)
    errors: dict[str, list[str]] = {}
    if debtor not in Debtor.values:
        errors["debtor"] = [_("Owed by: the insured person or the medical institution.")]
    if ground not in RecoveryGround.values:
        errors["ground"] = [_("Ground: choose one of 004 Чл.29 т.10.1–10.4.")]
    with transaction.atomic():
        provider_claim = ProviderClaim.objects.select_for_update().get(pk=provider_claim.pk)
        if provider_claim.statement_id is None:
            errors["amount"] = [
                _("Amount (EUR): only a claim settled in a statement can have a recovery.")
            ]
        else:
            most = recoverable(provider_claim)
            if amount is None or amount <= ZERO or amount > most:
                errors["amount"] = [
                    _("Amount (EUR): more than zero and at most %(most)s.") % {"most": most}
                ]
        if errors:
            raise ValidationError(errors)
        recovery = Recovery.objects.create(
            provider_claim=provider_claim,
            debtor=debtor,
            ground=ground,
            amount=amount,
            note=note.strip()[:2000],
            opened_by=actor,
        )
        record(
            actor=actor,
            verb="recovery_opened",
            obj=recovery,
            claim=provider_claim.claim.number,
            amount=str(amount),
            ground=ground,
        )
    return recovery


def record_repaid(recovery: Recovery, *, actor, on: dt.date) -> Recovery:
    """The debtor repaid the recovery on ``on`` (a bank statement or the cashier)."""
    _staff(actor)
    if on > timezone.localdate():
        raise ValidationError({"on": _("Repaid on: the date cannot be in the future.")})
    with transaction.atomic():
        recovery = Recovery.objects.select_for_update().get(pk=recovery.pk)
        if recovery.status != RecoveryStatus.OPEN:
            raise ValidationError(
                {
                    "on": _("Repaid on: this recovery is “%(status)s” already.")
                    % {"status": recovery.get_status_display()}
                }
            )
        recovery.status = RecoveryStatus.REPAID
        recovery.repaid_on = on
        recovery.closed_by = actor
        recovery.save(update_fields=["status", "repaid_on", "closed_by"])
        record(actor=actor, verb="recovery_repaid", obj=recovery, on=on.isoformat())
    return recovery
