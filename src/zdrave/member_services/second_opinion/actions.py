"""Every write of the second-opinion journey (000 а), стъпки 5–17).

Each action checks who acts and the state the case is in, then changes it inside one
transaction holding the case's row lock, writes an ``OpinionCaseEvent`` (who, when, from, to)
and schedules its e-mail with ``transaction.on_commit``. Refusals raise ``PermissionDenied``
(wrong person) or a translated ``ValidationError`` naming the field; a refused call leaves
nothing behind.

State machine:
requested → open (forwarded, case number, e-mail link) → submitted (order confirmed, стъпка
16) → with_specialist → report_ready (стъпка 17) → closed; requested → declined.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zdrave.base.documents.actions import upload_medical_file
from zdrave.base.documents.models import FileKind
from zdrave.base.documents.validation import PDF, validate_upload
from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import has_role
from zdrave.contracts.eligibility import Ineligible
from zdrave.contracts.models import Cover
from zdrave.member_services import journey
from zdrave.member_services.second_opinion import (
    allowance,
    terms_of_use,
    tokens,
)
from zdrave.member_services.second_opinion import (
    emails as emails_cases,
)
from zdrave.member_services.second_opinion import (
    opinion_fee as payment,
)
from zdrave.member_services.second_opinion.fetch import (
    check_account_access,
    is_specialist_of,
    is_team_of,
    open_request,
    service,
    service_of,
)
from zdrave.member_services.second_opinion.models import (
    CaseEventKind,
    CaseFile,
    CaseStatus,
    ChatMessage,
    FilePurpose,
    ImagesDelivery,
    OpinionCase,
    OpinionCaseEvent,
)
from zdrave.member_services.specialists.models import Specialist

Status = CaseStatus
MAX_DESCRIPTION = 5000
MAX_QUESTION = 5000
MAX_CHAT = 2000
MAX_AGE = 120
SUBJECT_TYPE = "second_opinion.opinioncase"
LAST_ORDER_STEP = 4


def request_opinion(
    *,
    actor,
    cover: Cover,
    specialist: Specialist,
    email: str,
    documents_description: str,
    site_url: str = "",
) -> OpinionCase:
    """000 а) стъпка 5: the member asks ``specialist`` for a second opinion: a contact e-mail and
    a description of the medical documents at hand. ``cover`` is the Extra Care cover that
    entitles them (``fetch_cases.extra_care_cover``, стъпка 1)."""
    svc = service()
    if specialist.partner_code != svc.partner.code or specialist.is_therapist:
        raise ValidationError(
            {"specialist": _("Specialist: not one of the partner's specialists.")}
        )
    description = documents_description.strip()
    if not description:
        raise ValidationError(
            {"documents_description": _("Medical documents at hand: this field is required.")}
        )
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(
            {"documents_description": _("Medical documents at hand: at most 5000 characters.")}
        )
    with transaction.atomic():
        # A refreshed page or a double click sends the form again: while a case for this
        # member and specialist is open, that case is the answer (one lock per member, so two
        # concurrent submits cannot both see "none open").
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        existing = open_request(actor, specialist)
        if existing is not None:
            return existing
        case = OpinionCase.objects.create(
            member=actor,
            contract=cover.contract,
            product_version=svc.version.effective_from,
            partner_code=svc.partner.code,
            requested_specialist=specialist,
            email=email.strip(),
            documents_description=description,
            site_url=site_url,
        )
        _event(case, CaseEventKind.REQUESTED, actor=actor, before="", note=description)
    return case


def forward_request(case: OpinionCase, *, actor, specialist: Specialist) -> OpinionCase:
    """000 а) стъпки 6–7 and 10: the partner team forwards the request to ``specialist`` (the
    requested one or another of its specialists); the case opens with a number and the member
    gets the e-mail with the one-time registration / sign-in link."""
    with transaction.atomic():
        case = _for_change(case, actor, who=_require_team, allowed={Status.REQUESTED})
        if specialist.partner_code != case.partner_code or specialist.is_therapist:
            raise ValidationError({"specialist": _("Specialist: not one of your specialists.")})
        case.specialist = specialist
        case.number = case_number(case)
        _move(case, Status.OPEN, CaseEventKind.FORWARDED, actor=actor, note=specialist.name_bg)
        _send_link(case, actor=actor)
    return case


def resend_link(case: OpinionCase, *, actor) -> OpinionCase:
    """A new one-time link when the first expired or was lost; it ends every earlier unused link
    of the case (``tokens.issue``: one live link per case)."""
    with transaction.atomic():
        case = _for_change(case, actor, who=_require_team, allowed={Status.OPEN})
        _send_link(case, actor=actor)
    return case


def decline_request(case: OpinionCase, *, actor, note: str = "") -> OpinionCase:
    with transaction.atomic():
        case = _for_change(case, actor, who=_require_team, allowed={Status.REQUESTED})
        _move(case, Status.DECLINED, CaseEventKind.DECLINED, actor=actor, note=note)
    return case


# -- the member's order, 000 а) стъпки 12–15 --------------------------------------------------


def save_question(
    case: OpinionCase, *, actor, sex: str, age: int | None, question: str, question_language: str
) -> OpinionCase:
    """000 а) стъпка 12: sex, age and the question, in Bulgarian, English or the specialist's
    language."""
    with transaction.atomic():
        case = _locked_for_order(case, actor, step=1)
        errors = {}
        if sex not in {"female", "male"}:
            errors["sex"] = _("Sex: choose female or male.")
        if age is None or not 0 <= age <= MAX_AGE:
            errors["age"] = _("Age: enter a whole number of years from 0 to 120.")
        question = question.strip()
        if not question:
            errors["question"] = _("Question to the specialist: this field is required.")
        elif len(question) > MAX_QUESTION:
            errors["question"] = _("Question to the specialist: at most 5000 characters.")
        if question_language not in question_languages(case):
            errors["question_language"] = _(
                "Language of the question: Bulgarian, English or a language of the specialist."
            )
        if errors:
            raise ValidationError(errors)
        case.sex, case.age, case.question = sex, age, question
        case.question_language = question_language
        _saved_step(case, 1, actor=actor)
    return case


def add_case_file(case: OpinionCase, file, *, actor, kind: str) -> CaseFile:
    """000 а) стъпка 13: a text document or a medical image, validated by its content (a refused
    file raises ``ValidationError`` saying why and nothing is stored). The member uploads while
    ordering; "представител на Diagnose.me да ги качи вместо него": the team may upload for the
    member until the case goes to the specialist."""
    with transaction.atomic():
        case = _locked(case)
        if case.member_id == actor.pk:
            _require(case, {Status.OPEN})
        elif is_team_of(actor, case):
            _require(case, {Status.OPEN, Status.SUBMITTED})
        else:
            raise PermissionDenied
        medical_file = upload_medical_file(
            file,
            uploaded_by=actor,
            owner=case.member,
            kind=kind,
            subject_type=SUBJECT_TYPE,
            subject_id=str(case.pk),
        )
        case_file = CaseFile.objects.create(
            case=case, file=medical_file, purpose=FilePurpose.DOCUMENT
        )
        _event(
            case, CaseEventKind.FILE_ADDED, actor=actor, before=case.status, note=str(medical_file)
        )
    return case_file


def save_images_delivery(case: OpinionCase, *, actor, delivery: str, link: str = "") -> OpinionCase:
    """000 а) стъпка 13: images uploaded here, sent by post, shared by a link, or uploaded by
    the team."""
    with transaction.atomic():
        case = _locked_for_order(case, actor, step=2)
        if delivery not in ImagesDelivery.values:
            raise ValidationError(
                {"images_delivery": _("Medical images: choose how they reach us.")}
            )
        link = link.strip()
        if delivery == ImagesDelivery.LINK and not link.startswith("https://"):
            raise ValidationError(
                {
                    "images_link": _(
                        "Link to the images: enter the https:// address of the shared folder."
                    )
                }
            )
        has_images = case.documents().filter(file__kind=FileKind.MEDICAL_IMAGE).exists()
        if delivery == ImagesDelivery.UPLOAD and not has_images:
            raise ValidationError(
                {
                    "images_delivery": _(
                        "Medical images: upload at least one image or choose another way."
                    )
                }
            )
        case.images_delivery = delivery
        case.images_link = link if delivery == ImagesDelivery.LINK else ""
        _saved_step(case, 2, actor=actor)
    return case


def save_review(
    case: OpinionCase, *, actor, send_ids: Iterable[int], report_language: str
) -> OpinionCase:
    """000 а) стъпка 14: the member checks the uploads, chooses what goes to the specialist when
    the volume is beyond the allowance and even its exception, and the report's language."""
    with transaction.atomic():
        case = _locked_for_order(case, actor, step=3)
        svc = service_of(case)
        if report_language not in svc.terms.report_languages:
            raise ValidationError(
                {"report_language": _("Language of the report: choose Bulgarian or English.")}
            )
        wanted = set(send_ids)
        documents = list(case.documents())
        for case_file in documents:
            case_file.send_to_specialist = case_file.pk in wanted
        _check_allowance(case, [f for f in documents if f.send_to_specialist])
        CaseFile.objects.bulk_update(documents, ["send_to_specialist"])
        case.report_language = report_language
        _saved_step(case, 3, actor=actor)
    return case


def accept_terms(case: OpinionCase, *, actor, accepted: bool, version: str) -> OpinionCase:
    """000 а) стъпка 15: confirm the details and agree to the Terms of Use; the version and time
    are stored."""
    with transaction.atomic():
        case = _locked_for_order(case, actor, step=4)
        if not accepted:
            raise ValidationError({"accept": _("Terms of Use: you must agree to continue.")})
        if version != terms_of_use.CURRENT_VERSION:
            raise ValidationError(
                {
                    "accept": _(
                        "Terms of Use: they have changed; read the current version and agree again."
                    )
                }
            )
        case.terms_version = version
        case.terms_accepted_at = timezone.now()
        _saved_step(case, 4, actor=actor, note=f"terms {version}")
    return case


def submit_order(case: OpinionCase, *, actor) -> OpinionCase:
    """000 а) стъпка 16: "тук трябва само да потвърдите случая и да го изпратите на екипа": the
    payment step settles through the service's payment method (covered by the insurer: 0.00
    EUR) and sends the case to the partner team."""
    with transaction.atomic():
        case = _for_change(case, actor, who=_require_member, allowed={Status.OPEN})
        if case.order_step < LAST_ORDER_STEP or not case.terms_accepted_at:
            raise ValidationError({"order": _("Order: complete the four steps first.")})
        _check_allowance(case, list(case.documents().filter(send_to_specialist=True)))
        settlement = payment.method_for(service_of(case).terms).settle()
        case.payment_method = settlement.method
        case.amount_paid = settlement.amount
        case.submitted_at = timezone.now()
        note = f"{settlement.method} {settlement.amount} EUR"
        _move(case, Status.SUBMITTED, CaseEventKind.SUBMITTED, actor=actor, note=note)
    return case


# -- the partner team and the specialist, 000 а) стъпка 17 ------------------------------------


def pass_to_specialist(case: OpinionCase, *, actor) -> OpinionCase:
    """The team has prepared (translated) the documents and passes the case on."""
    with transaction.atomic():
        case = _for_change(case, actor, who=_require_team, allowed={Status.SUBMITTED})
        note = case.specialist.name_bg
        _move(case, Status.WITH_SPECIALIST, CaseEventKind.PASSED_ON, actor=actor, note=note)
    return case


def upload_report(case: OpinionCase, file, *, actor) -> CaseFile:
    """000 а) стъпка 17: the specialist, or the team on their behalf, uploads the report (a PDF);
    the member gets the e-mail with the link to the account."""
    with transaction.atomic():
        case = _for_change(
            case, actor, who=_require_team_or_specialist, allowed={Status.WITH_SPECIALIST}
        )
        if validate_upload(file, kind=FileKind.TEXT_DOCUMENT).mime_type != PDF:
            raise ValidationError({"report": _("Report: upload the report as a PDF file.")})
        medical_file = upload_medical_file(
            file,
            uploaded_by=actor,
            owner=case.member,
            kind=FileKind.TEXT_DOCUMENT,
            subject_type=SUBJECT_TYPE,
            subject_id=str(case.pk),
        )
        report = CaseFile.objects.create(case=case, file=medical_file, purpose=FilePurpose.REPORT)
        _move(
            case,
            Status.REPORT_READY,
            CaseEventKind.REPORT_UPLOADED,
            actor=actor,
            note=str(medical_file),
        )
        transaction.on_commit(partial(emails_cases.send_report_ready, case), robust=True)
    return report


def email_report(case: OpinionCase, *, actor) -> OpinionCase:
    """000 а) стъпка 17: on the member's request the team sends the report to their e-mail."""
    with transaction.atomic():
        case = _for_change(
            case, actor, who=_require_team, allowed={Status.REPORT_READY, Status.CLOSED}
        )
        report = case.report
        if report is None:
            raise ValidationError({"report": _("Report: there is no report to send yet.")})
        _event(case, CaseEventKind.REPORT_EMAILED, actor=actor, before=case.status, note=case.email)
        transaction.on_commit(partial(emails_cases.send_report, case, report), robust=True)
    return case


def close_case(case: OpinionCase, *, actor) -> OpinionCase:
    with transaction.atomic():
        case = _for_change(case, actor, who=_require_team, allowed={Status.REPORT_READY})
        _move(case, Status.CLOSED, CaseEventKind.CLOSED, actor=actor)
    return case


# -- live chat, 000 а) стъпка 9 ---------------------------------------------------------------


def post_chat_message(*, actor, member, partner_code: str, body: str) -> ChatMessage:
    """A message of the live chat between ``member`` and the partner team, written by the member
    or by one of the team; the team answers only members who have a case with it."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Message: write something first.")})
    if len(body) > MAX_CHAT:
        raise ValidationError({"body": _("Message: at most 2000 characters.")})
    if actor.pk != member.pk and not (
        has_role(actor, Role.PARTNER)
        and actor.partner_code == partner_code
        and member.opinion_cases.filter(partner_code=partner_code).exists()
    ):
        raise PermissionDenied
    if actor.pk == member.pk:
        try:
            check_account_access(member)
        except Ineligible:
            raise PermissionDenied from None
    with transaction.atomic():
        return ChatMessage.objects.create(
            member=member, partner_code=partner_code, author=actor, body=body
        )


# -- helpers ---------------------------------------------------------------------------------


def case_number(case: OpinionCase) -> str:
    """ "SO-2026-00042": the year the case opened (Sofia time) and the request's id."""
    return f"SO-{timezone.localdate().year}-{case.pk:05d}"


def question_languages(case: OpinionCase) -> list[str]:
    """000 а) стъпка 12: "на български, английски или на езика на специалиста"."""
    codes: list[str] = []
    for code in service_of(case).terms.question_languages:
        if code == "specialist":
            specialist = case.specialist or case.requested_specialist
            codes.extend(specialist.languages)
        else:
            codes.append(code)
    return list(dict.fromkeys(codes))


def _check_allowance(case: OpinionCase, chosen: list[CaseFile]) -> None:
    translation = service_of(case).terms.translation
    if translation is None:
        return
    checked = allowance.check(chosen, translation)
    if checked.member_must_choose:
        raise ValidationError(
            {
                "send": _(
                    "Files for the specialist: %(pages)s pages and %(images)s images are more than "
                    "can be translated (%(max_pages)s pages and %(max_images)s images, %(extra)s more "
                    "by exception). Untick what the specialist does not need."
                )
                % {
                    "pages": checked.volume.pages,
                    "images": checked.volume.images,
                    "max_pages": translation.pages,
                    "max_images": translation.images,
                    "extra": translation.extra_by_exception_max,
                }
            }
        )


def _send_link(case: OpinionCase, *, actor) -> None:
    issued = tokens.issue(case)
    _event(case, CaseEventKind.LINK_SENT, actor=actor, before=case.status, note=case.email)
    transaction.on_commit(partial(emails_cases.send_registration, case, issued.token), robust=True)


def _locked(case: OpinionCase) -> OpinionCase:
    """The case row, locked for the rest of the transaction: the one place this journey takes it."""
    return journey.locked(case, "member", "specialist", "requested_specialist")


def _locked_for_order(case: OpinionCase, actor, *, step: int) -> OpinionCase:
    """The case, locked, if ``actor`` is its member, it is open and the steps before ``step``
    are saved (the order is filled in sequence; going back is always possible)."""
    case = _for_change(case, actor, who=_require_member, allowed={Status.OPEN})
    if case.order_step < step - 1:
        raise ValidationError({"order": _("Order: complete the previous step first.")})
    return case


def _saved_step(case: OpinionCase, step: int, *, actor, note: str = "") -> None:
    case.order_step = max(case.order_step, step)
    case.save()
    _event(case, CaseEventKind.ORDER_SAVED, actor=actor, before=case.status, note=note or str(step))


def _require_team_or_specialist(actor, case: OpinionCase) -> None:
    if not (is_team_of(actor, case) or is_specialist_of(actor, case)):
        raise PermissionDenied


_require_team = journey.require_partner_team
_require_member = journey.require_member
_require = partial(
    journey.require_status,
    message=gettext_lazy("Status: not possible while the case is “%(status)s”."),
)
_for_change = partial(journey.locked_for_change, lock=_locked, require=_require)
_event = partial(journey.record_event, OpinionCaseEvent, "case")
_move = partial(journey.move, event=_event)
