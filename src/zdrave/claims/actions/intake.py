"""A member's claim arriving: staging uploads, submitting (one claim per form, however often it
is sent), adding missing documents later, withdrawing.

004 Чл.29: the insured submits the claim on the insurer's form (онлайн as well); т.1 it gets an
incoming number; т.2 the documents of Приложение №1; т.7 the reimbursement goes to the personal
account named in the claim.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.documents.actions import upload_medical_file
from zdrave.base.documents.models import MedicalFile
from zdrave.base.identity.permissions import can_enter_provider_bills
from zdrave.claims import states
from zdrave.claims.abroad import abroad_errors
from zdrave.claims.actions import together
from zdrave.claims.actions.decide import auto_decide, decide_new
from zdrave.claims.actions.files import attach_files
from zdrave.claims.duplicates import duplicate_flags
from zdrave.claims.fetch import (
    DRAFT,
    after_lock_statement,
    lock_claim_of,
    lock_for_intake,
    may_claim_for,
    read_after_lock,
)
from zdrave.claims.models import Claim, ClaimForm, ClaimLine, ClaimStatus, Payee
from zdrave.claims.states import By
from zdrave.contracts.models import ContractMember

# An amount no single outpatient, dental or medicine line reaches; above it is a typing error.
MAX_LINE_EUR = Decimal("500000.00")
MAX_LINES = 30


@dataclass(frozen=True)
class LineInput:
    service: str
    date: dt.date
    amount: Decimal
    currency: str = "EUR"
    quantity: int = 1
    invoice_number: str = ""
    prescribed: dt.date | None = None
    nhif_paid: Decimal = Decimal("0.00")
    other_insurer_paid: Decimal = Decimal("0.00")
    dose_days: int | None = None
    reference_price: Decimal | None = None  # 004 Чл.29 т.11 (a provider claim)
    benefit: str = ""  # a Best Doctors line (001 т.7)
    country: str = ""


@dataclass(frozen=True)
class ClaimInput:
    member: ContractMember
    kind: str
    lines: list[LineInput]
    iban: str
    payee: str = Payee.INSURED
    payee_name: str = ""
    provider: str = ""
    diagnosis: str = ""
    diagnosis_text: str = ""
    circumstances: list[str] = field(default_factory=list)
    idempotency_key: str = ""
    site_url: str = ""
    # A Best Doctors refund (``claims.abroad``): the condition and the treatment abroad.
    condition: str = ""
    precertificate_issued: dt.date | None = None
    hospital_nights: int | None = None
    returned_home: dt.date | None = None
    # 002 VII: a provider claim (``providers.settlement``) is of the subscription form.
    form: str = ClaimForm.REIMBURSEMENT
    treatment_ended: dt.date | None = None  # 001 т.53 / 003 т.49


# -- uploads -----------------------------------------------------------------------------------


def stage_upload(upload, *, actor, form_key: str, document: str) -> MedicalFile:
    """Store one file of a claim form before the form is sent (checked by content: size, type,
    pages, image decode — a ``ValidationError`` names what is wrong and stores nothing), so a
    form sent back for another mistake keeps what was uploaded."""
    return upload_medical_file(
        upload, uploaded_by=actor, subject_type=DRAFT, subject_id=f"{form_key}:{document}"
    )


def staged_files(actor, form_key: str) -> list[tuple[str, MedicalFile]]:
    """The files ``actor`` staged on the form ``form_key``: (document key, file)."""
    if not form_key:
        return []
    rows = MedicalFile.objects.filter(
        uploaded_by=actor, subject_type=DRAFT, subject_id__startswith=f"{form_key}:"
    ).order_by("uploaded_at", "id")
    return [(row.subject_id.split(":", 1)[1], row) for row in rows]


# -- submit ------------------------------------------------------------------------------------


def submit_claim(data: ClaimInput, *, actor, actor_checked: bool = False) -> Claim:
    """Create the claim with its lines and staged documents, give it its number, and let the
    engine decide it — all in one transaction, under the insured person's lock, so a crash
    leaves either nothing or a decided claim. One e-mail follows: the receipt, the documents
    still needed, or the decision. The same ``idempotency_key`` again returns the claim the
    first submission created (a double click, a reload, a second tab): it is looked for under
    the lock, with the rest of what the submission reads (``fetch.lock_for_intake``).

    ``actor_checked``: the caller decided who may bill for the person (a provider claim:
    ``providers.settlement`` asks ``can_access_provider_settlement`` and the front desk's
    eligibility check)."""
    _check(data, actor, actor_checked=actor_checked)
    key = data.idempotency_key
    # The claim and its lines are made first (nothing read for them), so that the read after
    # the lock — the person's paid lines and the duplicate candidates of these lines — goes to
    # PostgreSQL with the lock, in one round trip (``fetch.lock_for_intake``).
    claim, rows = _build(data, actor, data.member)
    try:
        with transaction.atomic():
            loaded = lock_for_intake(
                data.member.pk,
                actor_id=actor.pk,
                form_key=key,
                then=after_lock_statement(data.member.pk, claim, rows),
            )
            if loaded.existing_claim is not None:
                return Claim.objects.get(pk=loaded.existing_claim)
            _locked(claim, rows, loaded.member)
            claim.documents = sorted({doc for doc, _file in loaded.files})
            others = read_after_lock(loaded, claim, rows)
            claim.duplicate_flags = duplicate_flags(claim, rows, others)
            # The block's last statement: its write and COMMIT may be one round trip.
            decide_new(claim, rows, loaded, actor=actor, last=True)
    except IntegrityError:
        # Two tabs raced on the same key: the other one won; show its claim.
        existing = Claim.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing
    return claim


def _check(data: ClaimInput, actor, *, actor_checked: bool = False) -> None:
    member = data.member
    if data.payee == Payee.PROVIDER:
        # 001 т.72.3: the provider is paid on the staff's word, not on a member's form.
        if not can_enter_provider_bills(actor):
            raise PermissionDenied
    elif not actor_checked and not _may_claim_for(actor, member):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not data.lines:
        errors.setdefault("lines", []).append(_("Lines: add at least one service you paid for."))
    if len(data.lines) > MAX_LINES:
        errors.setdefault("lines", []).append(
            _("Lines: at most %(n)s lines on one claim.") % {"n": MAX_LINES}
        )
    today = timezone.localdate()
    contract = member.contract
    for number, line in enumerate(data.lines, start=1):
        label = _("Line %(n)s") % {"n": number}
        if line.date > today:
            errors.setdefault("lines", []).append(
                _("%(line)s: the date of service cannot be in the future.") % {"line": label}
            )
        elif line.date < max(contract.start, member.covered_from):
            errors.setdefault("lines", []).append(
                _("%(line)s: the date of service is before the cover began (%(start)s).")
                % {"line": label, "start": max(contract.start, member.covered_from)}
            )
        if line.amount <= 0:
            errors.setdefault("lines", []).append(
                _("%(line)s: the amount must be more than zero.") % {"line": label}
            )
        elif line.amount > MAX_LINE_EUR:
            errors.setdefault("lines", []).append(
                _("%(line)s: the amount is too large for one line; check it.") % {"line": label}
            )
    # A subscription claim is paid to the provider in its monthly statement, not to an account.
    if not data.iban and data.form != ClaimForm.SUBSCRIPTION:
        errors.setdefault("iban", []).append(_("IBAN: enter the account to pay to."))
    for name, messages in abroad_errors(data).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _may_claim_for(actor, member: ContractMember) -> bool:
    if member.person.user_id == actor.pk:  # their own claim: no further query
        return True
    return may_claim_for(actor, member.person_id)


def _build(data: ClaimInput, actor, member: ContractMember) -> tuple[Claim, list[ClaimLine]]:
    """The claim and its lines, not yet saved: the engine decides them first."""
    claim = together.instance(
        Claim,
        contract=member.contract,
        member=member,
        kind=data.kind,
        form=data.form,
        submitted_by=actor,
        submitted=timezone.localdate(),
        provider=data.provider.strip()[:200],
        diagnosis=data.diagnosis,
        diagnosis_text=data.diagnosis_text.strip()[:500],
        circumstances=list(data.circumstances),
        payee=data.payee,
        payee_name=data.payee_name.strip()[:200],
        iban=data.iban,
        idempotency_key=data.idempotency_key or None,
        site_url=data.site_url,
        condition=data.condition,
        precertificate_issued=data.precertificate_issued,
        hospital_nights=data.hospital_nights,
        returned_home=data.returned_home,
        treatment_ended=data.treatment_ended,
    )
    rows = [
        together.instance(
            ClaimLine,
            member=member,
            index=index,
            service=line.service,
            date=line.date,
            quantity=line.quantity,
            amount=line.amount,
            currency=line.currency,
            invoice_number=line.invoice_number.strip()[:40],
            prescribed=line.prescribed,
            nhif_paid=line.nhif_paid,
            other_insurer_paid=line.other_insurer_paid,
            dose_days=line.dose_days,
            reference_price=line.reference_price,
            benefit=line.benefit,
            country=line.country,
        )
        for index, line in enumerate(data.lines)
    ]
    return claim, rows


def _locked(claim: Claim, rows: list[ClaimLine], member: ContractMember) -> None:
    """The claim and its lines on the membership as read under the lock (its contract too)."""
    claim.member = member
    claim.contract = member.contract
    for row in rows:
        row.member = member


# -- later -------------------------------------------------------------------------------------


def add_documents(claim: Claim, *, actor, form_key: str) -> Claim:
    """Documents sent later to the same claim (staged under ``form_key``). The last requested
    document restarts the statutory clock (004 Чл.29 т.2: 15 working days from it), and the
    engine decides again at once."""
    files = staged_files(actor, form_key)
    if not files:
        raise ValidationError({"files": _("Files: choose at least one file to add.")})
    with transaction.atomic():
        claim = lock_claim_of(actor, claim.pk)
        if claim.status in (ClaimStatus.WITHDRAWN,):
            raise ValidationError({"files": _("Files: this claim was withdrawn.")})
        attach_files(claim, files)
        claim.save()
        states.note(claim, "documents_added", actor=actor, text=", ".join(k for k, _ in files))
        record(actor=actor, verb="claim_documents_added", obj=claim, count=len(files))
    if claim.status == ClaimStatus.PENDING_DOCUMENTS:
        auto_decide(claim.pk)
    claim.refresh_from_db()
    return claim


def withdraw(claim: Claim, *, actor, note: str = "") -> None:
    """The member withdraws a claim that is not decided yet."""
    with transaction.atomic():
        claim = lock_claim_of(actor, claim.pk)
        if claim.payee == Payee.PROVIDER:  # 001 т.72.3: the insurer's bill, not the member's
            raise PermissionDenied
        states.move(claim, ClaimStatus.WITHDRAWN, "withdrawn", by=By.MEMBER, actor=actor, note=note)
        record(actor=actor, verb="claim_withdrawn", obj=claim)
