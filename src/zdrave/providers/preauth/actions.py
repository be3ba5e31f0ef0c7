"""Every write of pre-authorisation: asking, deciding (a guarantee letter on approval), using a
letter by a provider claim, releasing it, and the daily expiry. Each runs in one transaction,
writes an audit row and sends its e-mail through the outbox on commit.

Locks: the person's membership row first (``claims.fetch.lock_member``, as every claim
decision), then the request or letter. Two approvals for the same person therefore run one after
the other, and the second sees what the first holds against the limits (004 Чл.26 т.1)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.documents.actions import upload_medical_file
from zdrave.base.identity.permissions import (
    can_act_for_institution,
    can_decide_preauth_requests,
    has_role,
)
from zdrave.base.identity.roles import Role
from zdrave.claims.fetch import lock_member
from zdrave.contracts.models import ContractMember
from zdrave.engine.money import format_eur
from zdrave.engine.terms.common import is_icd10_code
from zdrave.providers.network.models import Institution
from zdrave.providers.preauth.clocks import due_for
from zdrave.providers.preauth.display import service_name
from zdrave.providers.preauth.emails import send_decision
from zdrave.providers.preauth.limits import UnknownService, room_for
from zdrave.providers.preauth.models import (
    AskedBy,
    GuaranteeLetter,
    GuaranteeUse,
    LetterStatus,
    PreauthRequest,
    RequestStatus,
)
from zdrave.providers.preauth.reasons import REFUSAL_REASONS, clause_of

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# How long a guarantee letter stays valid after the planned day when the expert names no date:
# a hospital stay may move by some weeks (issue 12; docs/decisions.md). Never past the cover.
DEFAULT_VALIDITY = dt.timedelta(days=30)
SUBJECT_TYPE = "preauth.request"


def field_error(field: str, message: str) -> ValidationError:
    """A refusal naming the field (the pages put it there)."""
    return ValidationError({field: [message]})


_error = field_error


def new_form_key() -> str:
    """The one-time key of a request form: a second submit of it makes no second request."""
    return uuid.uuid4().hex


def _check_request_fields(service: str, planned_date: dt.date, amount, diagnosis: str) -> str:
    diagnosis = (diagnosis or "").strip().upper()
    if not is_icd10_code(diagnosis):
        raise _error("diagnosis", _("Diagnosis: %(code)s is not an ICD-10 code (e.g. K80.2).")
                     % {"code": diagnosis or "—"})  # fmt: skip
    if amount is None or amount <= 0:
        raise _error("estimated_amount", _("Estimated amount: more than 0 EUR."))
    if planned_date < timezone.localdate():
        raise _error("planned_date", _("Planned date: today or later — prior approval is asked "
                                       "before the service."))  # fmt: skip
    return diagnosis


def submit_request(
    *,
    actor,
    member: ContractMember,
    institution: Institution,
    service: str,
    planned_date: dt.date,
    estimated_amount: Decimal,
    diagnosis: str,
    notes: str = "",
    documents=(),
    form_key: str = "",
) -> PreauthRequest:
    """Ask for prior approval of ``service`` for ``member`` at ``institution``. A provider user
    asks for their own institution; a member for themselves. The engine must say the service
    is covered and needs pre-authorisation (002 III, the agreement's marked rows); a second
    submit of the same form (``form_key``) returns the first request."""
    if has_role(actor, Role.PROVIDER):
        if not can_act_for_institution(actor, institution):
            raise PermissionDenied
        asked_via = AskedBy.PROVIDER
    elif has_role(actor, Role.MEMBER) and member.person.user_id == actor.pk:
        asked_via = AskedBy.MEMBER
    else:
        raise PermissionDenied
    form_key = form_key or uuid.uuid4().hex
    existing = PreauthRequest.objects.filter(form_key=form_key).first()
    if existing is not None:
        return existing
    diagnosis = _check_request_fields(service, planned_date, estimated_amount, diagnosis)
    if not (member.contract.start <= planned_date < member.contract.end):
        raise _error("planned_date", _("Planned date: within the contract, %(start)s – %(end)s "
                                       "(004 Чл.24 т.3; Чл.29 т.5).")
                     % {"start": member.contract.start.strftime("%d.%m.%Y"),
                        "end": member.contract.end.strftime("%d.%m.%Y")})  # fmt: skip
    try:
        room = room_for(member, institution, service, planned_date, estimated_amount, diagnosis)
    except UnknownService:
        raise _error("service", _("Service: %(code)s is not a service row of 002.")
                     % {"code": service}) from None  # fmt: skip
    if room.covered and not room.needs_preauthorisation:
        raise _error("service", _("Service: needs no pre-authorisation here — the institution "
                                  "bills it directly with the eligibility check (004 Чл.29 "
                                  "т.11)."))  # fmt: skip
    if not room.covered:
        reasons = "; ".join(f"{r.message} ({r.clause})" for r in room.reasons)
        raise _error("service", _("Service: not covered for this person on this day — %(why)s")
                     % {"why": reasons})  # fmt: skip
    now = timezone.now()
    try:
        with transaction.atomic():
            request = PreauthRequest.objects.create(
                number=f"tmp-{form_key[:15]}",
                member=member,
                institution=institution,
                service=service,
                planned_date=planned_date,
                estimated_amount=estimated_amount,
                diagnosis=diagnosis,
                notes=notes,
                asked_via=asked_via,
                asked_by=actor,
                form_key=form_key,
                submitted_at=now,
                due_at=due_for(now),
            )
            request.number = f"PA-{timezone.localdate(now).year}-{request.pk:06d}"
            request.save(update_fields=["number"])
            for upload in documents:
                upload_medical_file(
                    upload,
                    uploaded_by=actor,
                    owner=member.person.user or actor,
                    subject_type=SUBJECT_TYPE,
                    subject_id=str(request.pk),
                )
            record(actor=actor, verb="preauth_submitted", obj=request, service=service,
                   amount=str(estimated_amount))  # fmt: skip
    except IntegrityError:
        # The same form sent twice at once: the other submit made it.
        existing = PreauthRequest.objects.filter(form_key=form_key).first()
        if existing is None:
            raise
        return existing
    return request


def _lock_request(request: PreauthRequest) -> PreauthRequest:
    lock_member(request.member_id)
    return (
        PreauthRequest.objects.select_for_update(of=("self",))
        .select_related("member__person", "member__contract", "institution")
        .get(pk=request.pk)
    )


def approve_request(
    request: PreauthRequest,
    *,
    actor,
    amount: Decimal,
    covers: str = "",
    valid_until: dt.date | None = None,
    reason_code: str = "",
    reasons: str = "",
) -> GuaranteeLetter:
    """Approve ``amount`` of the request (all of the estimate: approved; less: partly approved,
    with the reason and its clause) and issue the guarantee letter, which holds the amount
    against the person's limits. The limits are read after the person is locked, with every
    other valid letter held: the amount may not exceed what they leave (004 Чл.26 т.1)."""
    if not can_decide_preauth_requests(actor):
        raise PermissionDenied
    with transaction.atomic():
        request = _lock_request(request)
        if not request.is_open:
            raise _error("__all__", _("This request was already decided: %(status)s.")
                         % {"status": request.get_status_display()})  # fmt: skip
        if amount is None or amount <= 0:
            raise _error("amount", _("Approved amount: more than 0 EUR."))
        if amount > request.estimated_amount:
            raise _error("amount", _("Approved amount: at most the estimate, %(amount)s.")
                         % {"amount": format_eur(request.estimated_amount)})  # fmt: skip
        partly = amount < request.estimated_amount
        if partly and (reason_code not in REFUSAL_REASONS or not reasons.strip()):
            raise _error("reasons", _("Reasons: a partial approval names its reason and explains "
                                      "it to the institution and the member."))  # fmt: skip
        room = room_for(request.member, request.institution, request.service,
                        request.planned_date, amount, request.diagnosis)  # fmt: skip
        if not room.covered:
            why = "; ".join(f"{r.message} ({r.clause})" for r in room.reasons)
            raise _error("amount", _("Approved amount: the engine finds the service not covered "
                                     "now — %(why)s. Refuse the request instead.")
                         % {"why": why})  # fmt: skip
        if amount > room.insurer_pays:
            raise _error("amount", _("Approved amount: the limits leave %(left)s for this service "
                                     "with the guarantees already held (004 Чл.26 т.1).")
                         % {"left": format_eur(room.insurer_pays)})  # fmt: skip
        today = timezone.localdate()
        cover_end = request.member.contract.end - dt.timedelta(days=1)
        if request.member.covered_until is not None:
            cover_end = min(cover_end, request.member.covered_until)
        until = valid_until or min(request.planned_date + DEFAULT_VALIDITY, cover_end)
        if until < max(today, request.planned_date) or until > cover_end:
            raise _error("valid_until", _("Valid until: from the planned date to the end of the "
                                          "cover, %(end)s (004 Чл.29 т.5).")
                         % {"end": cover_end.strftime("%d.%m.%Y")})  # fmt: skip
        now = timezone.now()
        request.status = RequestStatus.PARTLY_APPROVED if partly else RequestStatus.APPROVED
        request.approved_amount = amount
        request.decided_at = now
        request.decided_by = actor
        request.reason_code = reason_code if partly else ""
        request.clause = clause_of(reason_code) if partly else "004 Чл.29 т.11"
        request.reasons = reasons.strip()
        request.save()
        letter = GuaranteeLetter.objects.create(
            request=request,
            number=f"GL-{request.number.removeprefix('PA-')}",
            amount=amount,
            covers=covers.strip() or _default_covers(request),
            valid_from=today,
            valid_until=until,
            issued_at=now,
        )
        record(actor=actor, verb="preauth_approved", obj=request, amount=str(amount),
               letter=letter.number, partly=partly)  # fmt: skip
        transaction.on_commit(lambda: send_decision(request.pk))
    return letter


def _default_covers(request: PreauthRequest) -> str:
    return _("%(service)s at %(institution)s, planned for %(day)s, diagnosis %(diagnosis)s.") % {
        "service": service_name(request),
        "institution": request.institution.name,
        "day": request.planned_date.strftime("%d.%m.%Y"),
        "diagnosis": request.diagnosis,
    }


def refuse_request(
    request: PreauthRequest, *, actor, reason_code: str, reasons: str
) -> PreauthRequest:
    """Refuse with a reason of ``REFUSAL_REASONS`` (its clause is cited) and the expert's
    explanation. Nothing is held."""
    if not can_decide_preauth_requests(actor):
        raise PermissionDenied
    if reason_code not in REFUSAL_REASONS:
        raise _error("reason_code", _("Reason: choose one of the listed reasons."))
    if not reasons.strip():
        raise _error("reasons", _("Reasons: explain the refusal to the institution and the "
                                  "member."))  # fmt: skip
    with transaction.atomic():
        request = _lock_request(request)
        if not request.is_open:
            raise _error("__all__", _("This request was already decided: %(status)s.")
                         % {"status": request.get_status_display()})  # fmt: skip
        request.status = RequestStatus.REFUSED
        request.decided_at = timezone.now()
        request.decided_by = actor
        request.reason_code = reason_code
        request.clause = clause_of(reason_code)
        request.reasons = reasons.strip()
        request.save()
        record(actor=actor, verb="preauth_refused", obj=request, reason=reason_code)
        transaction.on_commit(lambda: send_decision(request.pk))
    return request


def _lock_letter(letter: GuaranteeLetter) -> GuaranteeLetter:
    lock_member(letter.request.member_id)
    return (
        GuaranteeLetter.objects.select_for_update(of=("self",))
        .select_related("request__member", "request__institution")
        .get(pk=letter.pk)
    )


def use_guarantee(
    letter: GuaranteeLetter,
    amount: Decimal,
    *,
    reference: str,
    used_on: dt.date,
    actor=None,
    final: bool = True,
) -> GuaranteeUse:
    """A provider claim (``reference``) uses ``amount`` of the letter, for a service on
    ``used_on`` within its validity. For the settlement app: decide the claim inside
    ``fetch.without_hold(letter)`` and call this in the same transaction. ``final`` (the
    default) closes the letter: what it did not use stops being held; else the rest stays held
    for a further claim of the same stay. Calling it again with the same ``reference`` returns
    the first use (a retried settlement)."""
    with transaction.atomic():
        letter = _lock_letter(letter)
        again = letter.uses.filter(reference=reference).first()
        if again is not None:
            return again
        if letter.status != LetterStatus.HELD:
            raise _error("letter", _("Guarantee letter %(number)s: %(status)s, it cannot be used.")
                         % {"number": letter.number,
                            "status": letter.get_status_display()})  # fmt: skip
        if not (letter.valid_from <= used_on <= letter.valid_until):
            raise _error("used_on", _("Date of service: within the letter's validity, %(start)s – "
                                      "%(end)s.")
                         % {"start": letter.valid_from.strftime("%d.%m.%Y"),
                            "end": letter.valid_until.strftime("%d.%m.%Y")})  # fmt: skip
        if amount <= 0 or amount > letter.held:
            raise _error("amount", _("Amount: more than 0 and at most what the letter still "
                                     "guarantees, %(left)s.")
                         % {"left": format_eur(letter.held)})  # fmt: skip
        use = GuaranteeUse.objects.create(
            letter=letter, amount=amount, reference=reference, used_on=used_on, by=actor
        )
        letter.used_amount += amount
        if final or letter.used_amount == letter.amount:
            letter.status = LetterStatus.USED
            letter.closed_at = timezone.now()
            letter.closed_reason = reference
        letter.save()
        record(actor=actor, verb="guarantee_used", obj=letter, amount=str(amount),
               reference=reference)  # fmt: skip
    return use


def release_guarantee(letter: GuaranteeLetter, *, actor, why: str) -> GuaranteeLetter:
    """Release what the letter still holds (the stay was cancelled, the patient went
    elsewhere): the medical expert, with the reason recorded."""
    if not can_decide_preauth_requests(actor):
        raise PermissionDenied
    if not why.strip():
        raise _error("why", _("Why: say why the guarantee is released."))
    with transaction.atomic():
        letter = _lock_letter(letter)
        if letter.status != LetterStatus.HELD:
            return letter
        letter.status = LetterStatus.RELEASED
        letter.closed_at = timezone.now()
        letter.closed_reason = why.strip()[:200]
        letter.save()
        record(actor=actor, verb="guarantee_released", obj=letter, why=letter.closed_reason)
    return letter


def expire_guarantees(on: dt.date | None = None) -> int:
    """Close every valid letter whose validity ended before ``on`` (default today): what it
    still held is free again. Returns how many expired; one transaction per letter."""
    on = on or timezone.localdate()
    expired = 0
    due = GuaranteeLetter.objects.filter(status=LetterStatus.HELD, valid_until__lt=on)
    for letter in due.select_related("request").order_by("pk"):
        with transaction.atomic():
            letter = _lock_letter(letter)
            if letter.status != LetterStatus.HELD or letter.valid_until >= on:
                continue
            held = letter.held
            letter.status = LetterStatus.EXPIRED
            letter.closed_at = timezone.now()
            letter.closed_reason = _("Validity ended on %(day)s.") % {
                "day": letter.valid_until.strftime("%d.%m.%Y")
            }
            letter.save()
            record(actor=None, verb="guarantee_expired", obj=letter, held=str(held))
            expired += 1
    return expired
