"""Messages on a case between the member and the case manager, and the member's objections to
a decision on it (001 т.77–80 / 003 т.75–78): an incoming number (001 т.78 / 003 т.76) and a
written answer within one month (001 т.79) or 10 to 30 working days (003 т.77), counted by the
engine (``abroad_deadlines.complaint_deadline``). An objection upheld sends the case back to the
experts: the case goes on (001 т.74)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.identity.permissions import can_act_on_abroad_case, can_work_abroad_cases
from zdrave.claims.abroad import abroad_terms
from zdrave.engine.adjudication.abroad_deadlines import complaint_deadline
from zdrave.treatment_abroad import emails, states
from zdrave.treatment_abroad.actions.cases import move_case
from zdrave.treatment_abroad.fetch import lock_case
from zdrave.treatment_abroad.models import AbroadCase, CaseMessage, CaseStatus, Objection
from zdrave.treatment_abroad.states import By

MAX_MESSAGE = 4000


def post_message(case: AbroadCase, *, actor, body: str, idempotency_key: str = "") -> CaseMessage:
    """A message on the case; the same ``idempotency_key`` again returns the first message."""
    if not (can_work_abroad_cases(actor) or can_act_on_abroad_case(actor, case)):
        raise PermissionDenied
    if idempotency_key and (
        found := CaseMessage.objects.filter(idempotency_key=idempotency_key, case=case).first()
    ):
        return found
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Message: write something first.")})
    if len(body) > MAX_MESSAGE:
        raise ValidationError(
            {"body": _("Message: at most %(n)s characters.") % {"n": MAX_MESSAGE}}
        )
    with transaction.atomic():
        case = lock_case(case.pk)
        # Under the case's lock: a second tab with the same key waited and finds the first.
        if idempotency_key and (
            found := CaseMessage.objects.filter(idempotency_key=idempotency_key).first()
        ):
            return found
        message = CaseMessage.objects.create(
            case=case, author=actor, body=body, idempotency_key=idempotency_key or None
        )
        record(actor=actor, verb="abroad_case_message", obj=case)
        if can_work_abroad_cases(actor):
            emails.send_step(case, _("Your case manager wrote to you on the case."))
    return message


def file_objection(case: AbroadCase, *, actor, text: str, idempotency_key: str = "") -> Objection:
    """The member objects to a decision on the case; the answer is due by the terms' deadline.
    The same ``idempotency_key`` again returns the objection first registered."""
    if not can_act_on_abroad_case(actor, case):
        raise PermissionDenied
    if idempotency_key and (
        found := Objection.objects.filter(idempotency_key=idempotency_key, case=case).first()
    ):
        return found
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Objection: say which decision and why.")})
    with transaction.atomic():
        case = lock_case(case.pk)
        if idempotency_key and (
            found := Objection.objects.filter(idempotency_key=idempotency_key).first()
        ):
            return found
        today = timezone.localdate()
        deadline = complaint_deadline(abroad_terms(case.member.contract), today)
        objection = Objection.objects.create(
            idempotency_key=idempotency_key or None,
            case=case,
            filed_by=actor,
            filed_on=today,
            text=text[:MAX_MESSAGE],
            due=deadline.due,
            clause=deadline.clause,
        )
        objection.number = f"TAO-{today.year}-{objection.pk:05d}"
        objection.save(update_fields=["number"])
        states.note(case, "objection_filed", actor=actor, text=objection.number)
        record(actor=actor, verb="abroad_objection_filed", obj=objection, case=case.number)
        emails.send_step(
            case,
            _(
                "We registered your objection under incoming number %(number)s; our written "
                "answer is due by %(due)s (%(clause)s)."
            )
            % {
                "number": objection.number,
                "due": objection.due.strftime("%d.%m.%Y"),
                "clause": objection.clause,
            },
        )
    return objection


def answer_objection(objection: Objection, *, actor, answer: str, upheld: bool) -> Objection:
    """The written answer (001 т.79–80): upheld, the case goes back to the experts for a
    reassessment; not upheld, the reasons and where else the member may turn (001 т.80)."""
    if not can_work_abroad_cases(actor):
        raise PermissionDenied
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Answer: write the answer the member will read.")})
    with transaction.atomic():
        case = lock_case(objection.case_id)
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.answered_on is not None:
            raise ValidationError({"answer": _("Answer: this objection was answered already.")})
        objection.answered_on = timezone.localdate()
        objection.answer = answer[:MAX_MESSAGE]
        objection.upheld = upheld
        objection.save()
        record(actor=actor, verb="abroad_objection_answered", obj=objection, upheld=upheld)
        if upheld and states.allowed(case.status, CaseStatus.EXPERT_REVIEW, By.CASE_MANAGER):
            move_case(
                case,
                CaseStatus.EXPERT_REVIEW,
                "objection_upheld",
                by=By.CASE_MANAGER,
                actor=actor,
                note=objection.number,
                what=answer,
            )
        else:
            states.note(case, "objection_answered", actor=actor, text=objection.number)
            emails.send_step(case, answer)
    return objection
