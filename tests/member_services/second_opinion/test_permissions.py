"""Who sees a second-opinion case: the member only their own, the partner team only its
partner's, a specialist only the cases assigned to them once the team passed them on —
everyone else gets 404, so nobody learns which cases exist. Only members with Extra Care
(000 а) стъпка 1) may ask."""

from __future__ import annotations

import pytest
from django.urls import reverse

from member_services.second_opinion.cases_helpers import (
    pdf_upload,
    png_upload,
    question_saved,
    request_for,
)
from zdrave.base.documents.models import AccessOutcome, DocumentAccessLog, FileKind
from zdrave.member_services.second_opinion import actions
from zdrave.member_services.second_opinion.models import OpinionCase

pytest_plugins = ["member_services.second_opinion.cases_support"]


def test_000a_step1_a_member_without_extra_care_is_told_why(
    client, member_without_extra_care, specialist
):
    client.force_login(member_without_extra_care)

    response = client.get(reverse("second_opinion:request", args=[specialist.pk]))

    assert response.status_code == 403
    assert (
        "Нито един от действащите Ви днес договори не включва Extra Care за Вас."
        in response.content.decode()
    )
    assert (
        client.post(
            reverse("second_opinion:request", args=[specialist.pk]), {"email": "a@b.bg"}
        ).status_code
        == 403
    )
    assert OpinionCase.objects.count() == 0


def test_a_member_without_extra_care_cannot_use_the_account_chat_either(
    client, member_without_extra_care
):
    from zdrave.member_services.second_opinion.models import ChatMessage

    client.force_login(member_without_extra_care)

    page = client.get(reverse("second_opinion:account"))
    polled = client.get(reverse("second_opinion:chat"), HTTP_HX_REQUEST="true")
    sent = client.post(reverse("second_opinion:chat"), {"body": "Здравейте"})
    sent_htmx = client.post(
        reverse("second_opinion:chat"), {"body": "Здравейте"}, HTTP_HX_REQUEST="true"
    )

    assert [page.status_code, polled.status_code, sent.status_code, sent_htmx.status_code] == [
        403,
        403,
        403,
        403,
    ]
    assert ChatMessage.objects.count() == 0


def test_the_chat_action_refuses_a_member_without_extra_care(member_without_extra_care):
    from django.core.exceptions import PermissionDenied

    from zdrave.member_services.second_opinion.models import ChatMessage

    with pytest.raises(PermissionDenied):
        actions.post_chat_message(
            actor=member_without_extra_care,
            member=member_without_extra_care,
            partner_code="best-doctors",
            body="Здравейте",
        )
    assert ChatMessage.objects.count() == 0


def test_000a_step1_a_partner_account_cannot_request(client, partner, specialist):
    client.force_login(partner)

    response = client.get(reverse("second_opinion:request", args=[specialist.pk]))

    assert response.status_code == 403
    assert "Вашият профил е на партньор, застраховател или работодател" in response.content.decode()


def test_000a_step5_an_anonymous_visitor_is_sent_to_log_in(client, specialist):
    response = client.get(reverse("second_opinion:request", args=[specialist.pk]))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


CASE_PAGES = [
    pytest.param("second_opinion:case", (), id="case-page"),
    pytest.param("second_opinion:order", (1,), id="order-step-1"),
    pytest.param("second_opinion:payment", (), id="payment"),
]


@pytest.mark.parametrize(("name", "extra"), CASE_PAGES)
def test_another_member_gets_404_for_a_case(client, opened, other_member, name, extra):
    client.force_login(other_member)

    assert client.get(reverse(name, args=[opened.pk, *extra])).status_code == 404


def test_another_member_cannot_upload_into_a_case(client, opened, other_member):
    client.force_login(other_member)

    response = client.post(
        reverse("second_opinion:upload", args=[opened.pk]),
        {"kind": "text_document", "file": pdf_upload(1)},
    )

    assert response.status_code == 404
    assert opened.files.count() == 0


def test_another_partners_team_gets_404(client, opened, other_partner):
    client.force_login(other_partner)

    assert client.get(reverse("second_opinion:case", args=[opened.pk])).status_code == 404
    assert client.post(reverse("second_opinion:pass_on", args=[opened.pk])).status_code == 404
    assert (
        client.get(reverse("second_opinion:team_chat", args=[opened.member_id])).status_code == 404
    )


def test_the_team_sees_only_its_partners_requests_in_its_queue(
    client, requested, partner, other_partner
):
    client.force_login(partner)
    mine = client.get(reverse("second_opinion:team")).content.decode()
    client.force_login(other_partner)
    theirs = client.get(reverse("second_opinion:team")).content.decode()

    assert "Епикриза от 2026 г., ЕКГ, холтер" in mine
    assert "maria@example.bg" in mine
    assert "Епикриза от 2026 г., ЕКГ, холтер" not in theirs


def test_a_specialist_sees_an_assigned_case_only_once_the_team_passed_it_on(
    client, submitted, partner, specialist_user
):
    client.force_login(specialist_user)
    before = client.get(reverse("second_opinion:case", args=[submitted.pk])).status_code
    actions.pass_to_specialist(submitted, actor=partner)
    after = client.get(reverse("second_opinion:case", args=[submitted.pk]))
    listed = client.get(reverse("second_opinion:assigned")).content.decode()

    assert before == 404
    assert after.status_code == 200
    assert submitted.number in listed
    # The specialist reads the question, not the member's contact details.
    html = after.content.decode()
    assert "Нужна ли е аблация" in html
    assert "maria@example.bg" not in html


def test_a_specialist_not_assigned_gets_404(client, with_specialist, other_specialist_user):
    client.force_login(other_specialist_user)

    assert client.get(reverse("second_opinion:case", args=[with_specialist.pk])).status_code == 404
    assert (
        with_specialist.number
        not in client.get(reverse("second_opinion:assigned")).content.decode()
    )


def test_a_member_sees_only_their_own_cases(client, opened, other_member, specialist):
    request_for(other_member, specialist, description="ЯМР на глава")
    client.force_login(other_member)

    html = client.get(reverse("second_opinion:cases")).content.decode()

    assert opened.number not in html
    assert "Заявката е получена" in html


def download(client, case_file):
    return client.get(reverse("documents:download", args=[case_file.file.public_id]))


@pytest.fixture
def files_chosen(opened, member, partner):
    """A 7-page PDF and three images; the member leaves the third image out (000 а) стъпка 14)."""
    question_saved(opened, member)
    pdf = actions.add_case_file(opened, pdf_upload(7), actor=member, kind=FileKind.TEXT_DOCUMENT)
    images = [
        actions.add_case_file(
            opened, png_upload(f"i{n}.png"), actor=member, kind=FileKind.MEDICAL_IMAGE
        )
        for n in (1, 2, 3)
    ]
    actions.save_images_delivery(opened, actor=member, delivery="upload")
    actions.save_review(
        opened, actor=member, send_ids=[pdf.pk, images[0].pk, images[1].pk], report_language="bg"
    )
    from zdrave.member_services.second_opinion import terms_of_use

    actions.accept_terms(opened, actor=member, accepted=True, version=terms_of_use.CURRENT_VERSION)
    actions.submit_order(opened, actor=member)
    actions.pass_to_specialist(opened, actor=partner)
    return pdf, images


def test_case_files_download_for_the_member_the_team_and_the_specialist_only(
    client, files_chosen, member, partner, specialist_user, other_member, other_partner
):
    pdf, images = files_chosen
    outcomes = {}
    for user in (member, partner, specialist_user, other_member, other_partner):
        client.force_login(user)
        outcomes[user.username] = (
            download(client, pdf).status_code,
            download(client, images[2]).status_code,
        )

    assert outcomes == {
        "maria": (200, 200),
        "partner": (200, 200),
        "keller": (200, 403),  # the image the member chose not to send
        "vesela": (403, 403),
        "stranger": (403, 403),
    }
    refused = DocumentAccessLog.objects.filter(outcome=AccessOutcome.REFUSED)
    assert refused.count() == 5


def test_chat_messages_stay_between_the_member_and_their_team(
    client, opened, member, other_member, partner
):
    actions.post_chat_message(
        actor=member, member=member, partner_code="diagnose-me", body="Здравейте!"
    )
    actions.post_chat_message(
        actor=partner, member=member, partner_code="diagnose-me", body="Hello, how can we help?"
    )
    client.force_login(other_member)

    html = client.get(
        reverse("second_opinion:chat"), headers={"HX-Request": "true"}
    ).content.decode()

    assert "Здравейте!" not in html
    assert "Все още няма съобщения." in html


def test_the_team_cannot_chat_with_someone_without_a_case(other_member, partner):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.post_chat_message(
            actor=partner, member=other_member, partner_code="diagnose-me", body="Hi"
        )
