"""Every write of the personal-data area: consents, requests and their answers, the log of
data archives. Each runs in one transaction and writes its audit row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.engine.data_rights import answer_due
from zdrave.member_rights.privacy import consent, retention
from zdrave.member_rights.privacy.models import (
    ConsentChannel,
    ConsentEvent,
    ConsentPurpose,
    DataRequest,
    RequestKind,
    RequestStatus,
)

MAX_TEXT = 5000


def set_marketing_consent(
    member, given: bool, *, actor, channel: str = ConsentChannel.PORTAL
) -> ConsentEvent:
    """Give or withdraw the marketing consent (004 Чл.33; GDPR Art. 7(3): at any time, as
    easily as given). The same answer twice writes no second row."""
    with transaction.atomic():
        last = (
            ConsentEvent.objects.select_for_update()
            .filter(member=member, purpose=ConsentPurpose.MARKETING)
            .first()
        )
        if last is not None and last.given == given:
            return last
        event = ConsentEvent.objects.create(
            member=member,
            purpose=ConsentPurpose.MARKETING,
            given=given,
            channel=channel,
            text_version=consent.TEXT_VERSION,
            recorded_by=actor,
        )
        record(
            actor=actor,
            verb="give_consent" if given else "withdraw_consent",
            obj=event,
            channel=channel,
            text_version=consent.TEXT_VERSION,
        )
    return event


def _new_request(member, kind: str, *, text: str, key: str | None, **fields) -> DataRequest:
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Write at most %(max)s characters.") % {"max": MAX_TEXT}})
    if key and (existing := DataRequest.objects.filter(idempotency_key=key).first()):
        if existing.member_id != member.pk:
            raise ValidationError(_("This form was already sent. Open it again."))
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            request = DataRequest.objects.create(
                member=member,
                kind=kind,
                text=text,
                received_at=now,
                due_on=answer_due(timezone.localdate(now)),
                idempotency_key=key or None,
                **fields,
            )
            request.number = f"ЛД-{now:%Y}-{request.pk:06d}"
            request.save(update_fields=["number"])
            record(actor=member, verb=f"request_{kind}", obj=request, status=request.status)
    except IntegrityError:
        # The same form sent twice at once: the other submission won.
        return DataRequest.objects.get(idempotency_key=key)
    return request


def request_correction(member, *, text: str, key: str | None = None) -> DataRequest:
    """004 Чл.32 т.4, GDPR Art. 16: the member says what is wrong; the data protection officer
    corrects it (or says why not) within a month."""
    if not (text or "").strip():
        raise ValidationError({"text": _("Say which data is wrong and what is right.")})
    return _new_request(member, RequestKind.CORRECTION, text=text, key=key)


def request_erasure(member, *, text: str = "", key: str | None = None) -> DataRequest:
    """GDPR Art. 17: refused at once, with the reason, while a claim of the member is still
    being worked on (its documents are needed to decide it, Art. 17(3)(e)); otherwise a task for
    the data protection officer, with the plan of what goes and what is kept."""
    open_claims = list(retention.open_claims(member).values_list("number", flat=True))
    matters = retention.open_matters(member)
    if open_claims or matters:
        reason = (
            _(
                "Refused for now: your claim %(claims)s is still being decided and its documents "
                "are needed for that (GDPR Art. 17(3)(e)). Ask again once it is settled."
            )
            % {"claims": ", ".join(open_claims)}
            if open_claims
            else still_open(matters)
        )
        return _new_request(
            member,
            RequestKind.ERASURE,
            text=text,
            key=key,
            status=RequestStatus.REFUSED,
            outcome=reason,
            decided_at=timezone.now(),
            plan=[row.as_dict() for row in retention.erasure_plan(member)],
        )
    return _new_request(
        member,
        RequestKind.ERASURE,
        text=text,
        key=key,
        plan=[row.as_dict() for row in retention.erasure_plan(member)],
    )


def still_open(matters: dict[str, list[str]]) -> str:
    """Why an erasure waits for a treatment-abroad case or a complaint (GDPR Art. 17(3)(e))."""
    what = []
    if matters.get("cases"):
        what.append(
            _("treatment-abroad case %(numbers)s") % {"numbers": ", ".join(matters["cases"])}
        )
    if matters.get("complaints"):
        what.append(_("complaint %(numbers)s") % {"numbers": ", ".join(matters["complaints"])})
    return _(
        "Refused for now: your %(what)s is still open and needs your data (GDPR Art. "
        "17(3)(e)). Ask again once it is closed."
    ) % {"what": "; ".join(what)}


def answer_request(request: DataRequest, *, actor, done: bool, outcome: str) -> DataRequest:
    """The data protection officer's answer: done (the correction made, the erasure carried
    out) or refused, with what was done or why not (GDPR Art. 12(4))."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Write what was done, or why not.")})
    if len(outcome) > MAX_TEXT:
        raise ValidationError(
            {"outcome": _("Write at most %(max)s characters.") % {"max": MAX_TEXT}}
        )
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            raise ValidationError(_("This request was already answered."))
        if done and request.kind == RequestKind.ERASURE:
            if retention.open_claims(request.member).exists():
                raise ValidationError(
                    _("A claim of this member is still being decided: the erasure must wait.")
                )
            matters = retention.open_matters(request.member)
            if matters:
                raise ValidationError(still_open(matters))
            request.plan = retention.erase_for(request.member)
        request.status = RequestStatus.DONE if done else RequestStatus.REFUSED
        request.outcome = outcome
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save()
        record(actor=actor, verb="answer_data_request", obj=request, status=request.status)
    return request


def log_export(member, *, request) -> None:
    """Each data archive downloaded (GDPR Art. 15(3)) is one audit row: who, when, from where."""
    record(
        actor=member,
        verb="export_personal_data",
        obj=member,
        ip_address=request.META.get("REMOTE_ADDR", ""),
        path=request.path,
    )
