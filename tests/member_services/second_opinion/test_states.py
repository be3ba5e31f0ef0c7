"""Every state change of a second-opinion case (000 а) стъпки 5–17), who may make it, and
what is recorded: each change is an event with who, when, from and to."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from member_services.second_opinion.cases_helpers import pdf_upload, png_upload, question_saved
from zdrave.base.documents.models import FileKind, MedicalFile
from zdrave.member_services.second_opinion import actions, terms_of_use
from zdrave.member_services.second_opinion.models import CaseEventKind, CaseStatus, OpinionCase

pytest_plugins = ["member_services.second_opinion.cases_support"]


def transitions(case) -> list[tuple[str, str, str]]:
    return [(e.kind, e.from_status, e.to_status) for e in case.events.order_by("at", "id")]


def test_000a_step5_request_waits_for_the_team_with_email_and_documents(
    requested, member, specialist
):
    case = OpinionCase.objects.get(pk=requested.pk)

    assert case.status == CaseStatus.REQUESTED
    assert case.number is None
    assert (case.member, case.requested_specialist, case.specialist) == (member, specialist, None)
    assert case.email == "maria@example.bg"
    assert case.documents_description == "Епикриза от 2026 г., ЕКГ, холтер"
    assert case.partner_code == "diagnose-me"
    assert transitions(case) == [("requested", "", "requested")]
    assert case.events.get().actor == member


def test_000a_step5_request_without_a_description_is_refused_and_nothing_is_stored(
    member, specialist
):
    from zdrave.member_services.second_opinion.fetch import extra_care_cover

    with pytest.raises(ValidationError) as refused:
        actions.request_opinion(
            actor=member,
            cover=extra_care_cover(member),
            specialist=specialist,
            email=member.email,
            documents_description="   ",
        )

    assert refused.value.message_dict == {
        "documents_description": ["Налична медицинска документация: полето е задължително."]
    }
    assert OpinionCase.objects.count() == 0


def test_000a_steps6_7_forwarding_opens_a_numbered_case_and_emails_the_member(
    opened, partner, specialist
):
    case = OpinionCase.objects.get(pk=opened.pk)

    assert case.status == CaseStatus.OPEN
    assert case.specialist == specialist
    assert case.number == f"SO-{timezone.localdate().year}-{case.pk:05d}"
    assert transitions(case) == [
        ("requested", "", "requested"),
        ("forwarded", "requested", "open"),
        ("link_sent", "open", "open"),
    ]
    assert case.events.get(kind=CaseEventKind.FORWARDED).actor == partner
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maria@example.bg"]


def test_000a_step6_the_team_may_forward_to_another_of_its_specialists(
    requested, partner, other_specialist
):
    case = actions.forward_request(requested, actor=partner, specialist=other_specialist)

    assert case.specialist == other_specialist
    assert case.requested_specialist.code == "dm-002"


def test_another_partners_team_cannot_forward(requested, other_partner, specialist):
    with pytest.raises(PermissionDenied):
        actions.forward_request(requested, actor=other_partner, specialist=specialist)

    requested.refresh_from_db()
    assert requested.status == CaseStatus.REQUESTED
    assert requested.events.count() == 1


def test_a_request_is_forwarded_once(opened, partner, specialist):
    with pytest.raises(ValidationError) as refused:
        actions.forward_request(opened, actor=partner, specialist=specialist)

    assert refused.value.message_dict["status"] == [
        "Състояние: не е възможно, докато случаят е „Отворен: поръчката чака завършване“."
    ]


def test_the_team_declines_a_request(requested, partner):
    case = actions.decline_request(requested, actor=partner, note="Няма документи")

    assert case.status == CaseStatus.DECLINED
    assert transitions(case)[-1] == ("declined", "requested", "declined")


def test_000a_step12_question_sex_and_age_are_saved_as_step_one(opened, member):
    case = question_saved(opened, member)

    assert (case.sex, case.age, case.question_language, case.order_step) == ("female", 38, "bg", 1)
    assert case.status == CaseStatus.OPEN
    assert transitions(case)[-1] == ("order_saved", "open", "open")


def test_000a_step12_the_question_may_be_in_the_specialists_language_only(opened, member):
    actions.save_question(
        opened,
        actor=member,
        sex="male",
        age=51,
        question="Ist eine Ablation nötig?",
        question_language="de",
    )

    with pytest.raises(ValidationError) as refused:
        actions.save_question(
            opened, actor=member, sex="male", age=51, question="Вопрос", question_language="ru"
        )

    assert refused.value.message_dict == {
        "question_language": ["Език на въпроса: български, английски или език на специалиста."]
    }
    opened.refresh_from_db()
    assert opened.question_language == "de"


def test_000a_step12_bad_age_and_missing_question_name_their_fields(opened, member):
    with pytest.raises(ValidationError) as refused:
        actions.save_question(
            opened, actor=member, sex="x", age=130, question=" ", question_language="bg"
        )

    assert refused.value.message_dict == {
        "sex": ["Пол: изберете жена или мъж."],
        "age": ["Възраст: въведете цяло число години от 0 до 120."],
        "question": ["Въпрос към специалиста: полето е задължително."],
    }
    opened.refresh_from_db()
    assert opened.order_step == 0


def test_ordering_steps_are_saved_in_sequence(opened, member):
    with pytest.raises(ValidationError) as refused:
        actions.save_images_delivery(opened, actor=member, delivery="post")

    assert refused.value.message_dict == {"order": ["Поръчка: първо завършете предишната стъпка."]}


def test_000a_step13_images_by_a_sharing_link_need_an_https_address(opened, member):
    question_saved(opened, member)

    with pytest.raises(ValidationError) as refused:
        actions.save_images_delivery(opened, actor=member, delivery="link", link="ftp://x")
    case = actions.save_images_delivery(
        opened, actor=member, delivery="link", link="https://wetransfer.com/downloads/abc"
    )

    assert refused.value.message_dict == {
        "images_link": ["Линк към изображенията: въведете https:// адреса на споделената папка."]
    }
    assert (case.images_delivery, case.images_link, case.order_step) == (
        "link",
        "https://wetransfer.com/downloads/abc",
        2,
    )


def test_000a_step13_a_file_that_is_not_what_it_claims_is_refused_with_the_reason(opened, member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile(
        "scan.pdf", b"just some text, not a PDF", content_type="application/pdf"
    )

    with pytest.raises(ValidationError):
        actions.add_case_file(opened, fake, actor=member, kind=FileKind.TEXT_DOCUMENT)

    assert opened.files.count() == 0
    assert MedicalFile.objects.count() == 0


def test_000a_step13_the_team_uploads_images_for_the_member(opened, partner, member):
    case_file = actions.add_case_file(
        opened, png_upload(), actor=partner, kind=FileKind.MEDICAL_IMAGE
    )

    assert case_file.file.owner == member
    assert case_file.file.uploaded_by == partner
    assert case_file.file.kind == FileKind.MEDICAL_IMAGE


def test_000a_step15_terms_must_be_accepted_and_the_version_is_stored(opened, member):
    question_saved(opened, member)
    actions.save_images_delivery(opened, actor=member, delivery="none")
    actions.save_review(opened, actor=member, send_ids=[], report_language="en")

    with pytest.raises(ValidationError) as refused:
        actions.accept_terms(
            opened, actor=member, accepted=False, version=terms_of_use.CURRENT_VERSION
        )
    with pytest.raises(ValidationError) as stale:
        actions.accept_terms(opened, actor=member, accepted=True, version="2001-01-01")
    before = timezone.now()
    case = actions.accept_terms(
        opened, actor=member, accepted=True, version=terms_of_use.CURRENT_VERSION
    )

    assert refused.value.message_dict == {
        "accept": ["Условия за ползване: трябва да се съгласите, за да продължите."]
    }
    assert "променени са" in stale.value.message_dict["accept"][0]
    assert case.terms_version == "2022-11-01"
    assert case.terms_accepted_at >= before
    assert case.order_step == 4


def test_000a_step16_the_insurers_client_pays_nothing_and_the_case_goes_to_the_team(
    submitted, member
):
    case = OpinionCase.objects.get(pk=submitted.pk)

    assert case.status == CaseStatus.SUBMITTED
    assert case.payment_method == "covered_by_insurer"
    assert case.amount_paid == Decimal("0.00")
    assert case.submitted_at is not None
    assert transitions(case)[-1] == ("submitted", "open", "submitted")
    assert case.events.get(kind=CaseEventKind.SUBMITTED).note == "covered_by_insurer 0.00 EUR"


def test_000a_step16_an_unfinished_order_cannot_be_sent(opened, member):
    question_saved(opened, member)

    with pytest.raises(ValidationError) as refused:
        actions.submit_order(opened, actor=member)

    assert refused.value.message_dict == {"order": ["Поръчка: първо завършете четирите стъпки."]}
    opened.refresh_from_db()
    assert opened.status == CaseStatus.OPEN


def test_only_the_member_sends_their_order(ordered, partner):
    with pytest.raises(PermissionDenied):
        actions.submit_order(ordered, actor=partner)


def test_the_team_passes_the_case_to_the_specialist(with_specialist, partner):
    assert with_specialist.status == CaseStatus.WITH_SPECIALIST
    assert transitions(with_specialist)[-1] == ("passed_on", "submitted", "with_specialist")


def test_000a_step17_the_specialists_report_makes_the_case_ready_and_emails_the_member(
    report_ready, specialist_user
):
    assert report_ready.status == CaseStatus.REPORT_READY
    report = report_ready.report
    assert report.file.mime_type == "application/pdf"
    assert report.file.pages == 2
    assert report.file.owner == report_ready.member
    event = report_ready.events.get(kind=CaseEventKind.REPORT_UPLOADED)
    assert (event.actor, event.from_status, event.to_status) == (
        specialist_user,
        "with_specialist",
        "report_ready",
    )
    ready = mail.outbox[-1]
    assert (
        ready.subject == "Extra Care – справката с второ медицинско мнение е готова (Diagnose.me)"
    )
    assert f"https://portal.example.bg/extra-care/opinions/cases/{report_ready.pk}/" in ready.body


def test_000a_step17_the_report_must_be_a_pdf(with_specialist, partner):
    with pytest.raises(ValidationError) as refused:
        actions.upload_report(with_specialist, png_upload("report.png"), actor=partner)

    assert refused.value.message_dict == {"report": ["Справка: качете справката като PDF файл."]}
    with_specialist.refresh_from_db()
    assert with_specialist.status == CaseStatus.WITH_SPECIALIST
    assert MedicalFile.objects.count() == 1  # the member's PDF only


def test_a_specialist_not_assigned_cannot_upload_the_report(with_specialist, other_specialist_user):
    with pytest.raises(PermissionDenied):
        actions.upload_report(with_specialist, pdf_upload(1, "r.pdf"), actor=other_specialist_user)


def test_000a_step17_the_team_emails_the_report_as_an_attachment(
    report_ready, partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.email_report(report_ready, actor=partner)

    sent = mail.outbox[-1]
    assert sent.to == ["maria@example.bg"]
    assert sent.from_email == '"Diagnose.me" <team@diagnose.me>'
    ((name, content, mimetype),) = sent.attachments
    assert (name, mimetype) == ("report.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert report_ready.events.filter(kind=CaseEventKind.REPORT_EMAILED).count() == 1


def test_the_team_closes_a_case_with_a_report(report_ready, partner):
    case = actions.close_case(report_ready, actor=partner)

    assert case.status == CaseStatus.CLOSED
    assert not case.is_open
    assert transitions(case)[-1] == ("closed", "report_ready", "closed")
