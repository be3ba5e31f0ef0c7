"""The pages of the second opinion as a member, the team and the specialist use them
(000 а) стъпки 5–17), in Bulgarian, through the test client."""

from __future__ import annotations

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from member_services.second_opinion.cases_helpers import pdf_upload
from zdrave.base.documents.models import AccessOutcome, DocumentAccessLog
from zdrave.member_services.second_opinion.models import CaseStatus, ChatMessage, OpinionCase

pytest_plugins = ["member_services.second_opinion.cases_support"]


def test_000a_step5_the_profile_button_opens_the_request_form(client, member, specialist):
    client.force_login(member)

    profile = client.get(reverse("specialists:specialist", args=[specialist.pk])).content.decode()
    form = client.get(reverse("second_opinion:request", args=[specialist.pk])).content.decode()

    assert (
        f'href="/extra-care/opinions/request/{specialist.pk}/">Получете второ медицинско мнение</a>'
        in profile
    )
    assert 'value="maria@example.bg"' in form
    assert "Налична медицинска документация" in form


def test_000a_steps5_6_a_request_reaches_the_team_queue(client, member, specialist, partner):
    client.force_login(member)
    sent = client.post(
        reverse("second_opinion:request", args=[specialist.pk]),
        {"email": "maria.p@example.bg", "documents_description": "Епикриза и ЯМР от март"},
        follow=True,
    )
    client.force_login(partner)
    queue = client.get(reverse("second_opinion:team")).content.decode()

    assert "Заявката е изпратена" in sent.content.decode()
    case = OpinionCase.objects.get()
    assert (case.status, case.email) == (CaseStatus.REQUESTED, "maria.p@example.bg")
    assert "Мария Петрова" in queue
    assert "maria.p@example.bg" in queue
    assert "Епикриза и ЯМР от март" in queue
    assert "Томас Келер" in queue


def test_refreshing_or_double_clicking_a_sent_request_opens_one_case(client, member, specialist):
    client.force_login(member)
    url = reverse("second_opinion:request", args=[specialist.pk])
    data = {"email": "maria.p@example.bg", "documents_description": "Епикриза и ЯМР от март"}

    first = client.post(url, data)
    second = client.post(url, data)
    reloaded = client.get(first["Location"])

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"{url}?sent=1"
    assert "Заявката е изпратена" in reloaded.content.decode()
    assert OpinionCase.objects.count() == 1
    assert OpinionCase.objects.get().events.count() == 1


def test_000a_step5_an_empty_request_names_the_missing_field(client, member, specialist):
    client.force_login(member)

    response = client.post(
        reverse("second_opinion:request", args=[specialist.pk]), {"email": "maria@example.bg"}
    )

    assert response.status_code == 200
    assert "Налична медицинска документация: Това поле е задължително." in response.content.decode()
    assert OpinionCase.objects.count() == 0


def test_000a_step7_the_team_forwards_from_the_case_page(
    client, requested, partner, specialist, django_capture_on_commit_callbacks
):
    client.force_login(partner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("second_opinion:forward", args=[requested.pk]), {"specialist": specialist.pk}
        )

    requested.refresh_from_db()
    assert response.url == reverse("second_opinion:case", args=[requested.pk])
    assert requested.status == CaseStatus.OPEN
    assert [m.subject for m in mail.outbox] == [
        "Extra Care – второ медицинско мнение чрез Diagnose.me"
    ]


def test_000a_steps9_10_a_new_user_sees_exactly_one_open_case_and_the_account_page(
    client, opened, member
):
    client.force_login(member)

    cases = client.get(reverse("second_opinion:cases")).content.decode()
    account = client.get(reverse("second_opinion:account")).content.decode()

    assert cases.count(f">{opened.number}</a>") == 1
    assert "Отворен: поръчката чака завършване" in cases
    assert "team@diagnose.me" in account
    assert 'href="/accounts/password/"' in account
    assert f">{opened.number}</a>" in account
    assert 'hx-trigger="every 3s"' in account
    assert "Пишете на екипа на Diagnose.me на български или английски." in account


def test_000a_step9_chat_messages_appear_for_the_other_side(client, opened, member, partner):
    client.force_login(member)
    posted = client.post(
        reverse("second_opinion:chat"),
        {"body": "Мога ли да пратя дисковете по пощата?"},
        headers={"HX-Request": "true"},
    )
    client.force_login(partner)
    team_side = client.get(
        reverse("second_opinion:team_chat", args=[member.pk]), headers={"HX-Request": "true"}
    )
    client.post(
        reverse("second_opinion:team_chat", args=[member.pk]),
        {"body": "Yes, of course."},
        headers={"HX-Request": "true"},
    )
    client.force_login(member)
    member_side = client.get(
        reverse("second_opinion:chat"), headers={"HX-Request": "true"}
    ).content.decode()

    assert "Мога ли да пратя дисковете по пощата?" in posted.content.decode()
    assert "Мога ли да пратя дисковете по пощата?" in team_side.content.decode()
    assert "Yes, of course." in member_side
    assert [m.from_team for m in ChatMessage.objects.all()] == [False, True]


def test_000a_step11_the_case_page_has_the_green_button_and_the_history(client, opened, member):
    client.force_login(member)

    html = client.get(reverse("second_opinion:case", args=[opened.pk])).content.decode()

    assert (
        f'<a class="button green" href="/extra-care/opinions/cases/{opened.pk}/order/1/">Завършете поръчката</a>'
        in html
    )
    assert "Заявено второ мнение" in html
    assert "Придвижен към специалиста; случаят е отворен" in html


def test_000a_step12_step_one_saves_and_shows_the_answers_when_coming_back(client, opened, member):
    client.force_login(member)
    url = reverse("second_opinion:order", args=[opened.pk, 1])

    first = client.get(url).content.decode()
    saved = client.post(
        url,
        {
            "sex": "female",
            "age": "38",
            "question": "Нужна ли е операция?",
            "question_language": "de",
        },
    )
    back = client.get(url).content.decode()
    case_page = client.get(reverse("second_opinion:case", args=[opened.pk])).content.decode()

    assert "Това е специалистът, когото заявихте." in first
    assert '<option value="de">немски</option>' in first
    assert saved.url == reverse("second_opinion:order", args=[opened.pk, 2])
    assert "Нужна ли е операция?" in back
    assert '<option value="de" selected>немски</option>' in back
    assert (
        f'href="/extra-care/opinions/cases/{opened.pk}/order/2/">Продължете поръчката</a>'
        in case_page
    )


def test_000a_steps12_15_a_later_step_cannot_be_skipped_to(client, opened, member):
    client.force_login(member)

    response = client.get(reverse("second_opinion:order", args=[opened.pk, 3]))

    assert response.url == reverse("second_opinion:order", args=[opened.pk, 1])


def test_000a_step13_a_refused_upload_says_why(client, opened, member):
    client.force_login(member)
    client.post(
        reverse("second_opinion:order", args=[opened.pk, 1]),
        {"sex": "male", "age": "60", "question": "?", "question_language": "bg"},
    )
    fake = SimpleUploadedFile("scan.pdf", b"not really a pdf", content_type="application/pdf")

    response = client.post(
        reverse("second_opinion:upload", args=[opened.pk]),
        {"kind": "text_document", "file": fake},
        follow=True,
    )

    html = response.content.decode()
    assert "Файл: " in html
    assert opened.files.count() == 0


def test_000a_steps13_16_the_whole_order_through_the_pages(client, opened, member, partner):
    client.force_login(member)
    order = lambda step: reverse("second_opinion:order", args=[opened.pk, step])  # noqa: E731
    client.post(
        order(1), {"sex": "female", "age": "38", "question": "Аблация?", "question_language": "bg"}
    )
    client.post(
        reverse("second_opinion:upload", args=[opened.pk]),
        {"kind": "text_document", "file": pdf_upload(3)},
    )
    step2 = client.get(order(2)).content.decode()
    client.post(order(2), {"images_delivery": "post"})
    case_file = opened.documents().get()
    step3 = client.get(order(3)).content.decode()
    client.post(order(3), {"send": [str(case_file.pk)], "report_language": "en"})
    step4 = client.get(order(4)).content.decode()
    refused = client.post(order(4), {"version": "2022-11-01"})
    accepted = client.post(order(4), {"version": "2022-11-01", "accept": "on"})
    payment = client.get(reverse("second_opinion:payment", args=[opened.pk])).content.decode()
    sent = client.post(reverse("second_opinion:payment", args=[opened.pk]), follow=True)

    assert "epikriza.pdf" in step2
    assert "3 страници" in step2
    assert "Всичко, което изпращате, е в рамките на безплатния превод." in step3
    assert f'href="/extra-care/opinions/cases/{opened.pk}/order/3/">← Назад</a>' in step4
    assert "Условия за ползване (версия 2022-11-01)" in step4
    assert (
        "Прочетох и приемам Условията за ползване: Това поле е задължително."
        in refused.content.decode()
    )
    assert accepted.url == reverse("second_opinion:payment", args=[opened.pk])
    assert "Поема се от Вашия застраховател" in payment
    assert "<strong>0,00 €</strong>" in payment
    assert "Случаят Ви е изпратен на екипа на Diagnose.me." in sent.content.decode()
    opened.refresh_from_db()
    assert (opened.status, opened.images_delivery, opened.report_language) == (
        "submitted",
        "post",
        "en",
    )


def test_000a_step17_report_upload_and_logged_download(
    client, with_specialist, specialist_user, member, django_capture_on_commit_callbacks
):
    client.force_login(specialist_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("second_opinion:report", args=[with_specialist.pk]),
            {"report": pdf_upload(4, "mnenie.pdf")},
        )
    client.force_login(member)
    page = client.get(reverse("second_opinion:case", args=[with_specialist.pk])).content.decode()
    report = with_specialist.report
    download = client.get(reverse("documents:download", args=[report.file.public_id]))

    assert "Изтеглете справката" in page
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="mnenie.pdf"'
    log = DocumentAccessLog.objects.get(file=report.file)
    assert (log.user, log.outcome) == (member, AccessOutcome.SERVED)
    assert (
        mail.outbox[-1].subject
        == "Extra Care – справката с второ медицинско мнение е готова (Diagnose.me)"
    )


def test_the_pages_speak_english_to_an_english_speaking_member(client, opened, member):
    member.language = "en"
    member.save()
    client.cookies["django_language"] = "en"
    client.force_login(member)

    account = client.get(reverse("second_opinion:account")).content.decode()
    step1 = client.get(reverse("second_opinion:order", args=[opened.pk, 1])).content.decode()

    assert "My Extra Care account" in account
    assert "Write to the Diagnose.me team in Bulgarian or English." in account
    assert "Order 1: specialist and question" in step1
    assert "This is the specialist you asked for." in step1


def test_payment_reads_as_the_members_insurer_to_the_team_and_the_specialist(
    client, submitted, member, partner, specialist_user
):
    """Issue 8: "your insurer" was shown to the partner team and the specialist, who are not
    insured; the member reads "your insurer", everyone else "the member's insurer"."""
    url = reverse("second_opinion:case", args=[submitted.pk])
    pages = {}
    for user in (member, partner, specialist_user):
        client.force_login(user)
        pages[user.username] = client.get(url).content.decode()

    assert "Поема се от Вашия застраховател" in pages[member.username]
    for user in (partner, specialist_user):
        if submitted.specialist_id is None and user == specialist_user:
            continue
        assert "Вашия застраховател" not in pages[user.username]
    assert "Поема се от застрахователя на застрахования" in pages[partner.username]
