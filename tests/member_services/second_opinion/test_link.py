"""000 а) стъпки 7–8: the e-mail "от адрес: @diagnose.me" with the subject "Extra Care – второ
медицинско мнение чрез Diagnose.me" and a one-time link that registers or signs the member in."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from zdrave.member_services.second_opinion import actions, tokens
from zdrave.member_services.second_opinion.models import CaseEventKind, SignInLink

pytest_plugins = ["member_services.second_opinion.cases_support"]

LINK = re.compile(r"https://portal\.example\.bg(/extra-care/opinions/sign-in/[^/\s]+/)")


def link_path(message) -> str:
    return LINK.search(message.body).group(1)


def test_000a_step7_subject_and_sender_come_from_the_partner_data(opened):
    [message] = mail.outbox

    assert message.subject == "Extra Care – второ медицинско мнение чрез Diagnose.me"
    assert message.from_email == '"Diagnose.me" <team@diagnose.me>'
    assert message.from_email.endswith("@diagnose.me>")
    assert message.reply_to == ["team@diagnose.me"]
    assert message.extra_headers["Content-Language"] == "bg"
    assert f"Номерът на Вашия случай е {opened.number}." in message.body


def test_000a_step7_the_subject_is_in_english_for_an_english_speaking_member(
    member, requested, partner, specialist, django_capture_on_commit_callbacks
):
    member.language = "en"
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.forward_request(requested, actor=partner, specialist=specialist)

    assert mail.outbox[0].subject == "Extra Care – second medical opinion through Diagnose.me"


def test_000a_step7_no_email_leaves_when_forwarding_is_refused(
    requested, other_partner, specialist
):
    with pytest.raises(PermissionDenied):
        actions.forward_request(requested, actor=other_partner, specialist=specialist)

    assert mail.outbox == []
    assert SignInLink.objects.count() == 0


def test_000a_step8_the_link_signs_the_member_in_once(client, opened, member):
    path = link_path(mail.outbox[0])

    shown = client.get(path)
    first = client.post(path)
    account = client.get(reverse("second_opinion:account"))
    client.logout()
    second = client.post(path)

    assert shown.status_code == 200
    assert "Продължи" in shown.content.decode()
    assert first.status_code == 302
    assert first.url == reverse("second_opinion:account")
    assert account.status_code == 200
    assert account.wsgi_request.user == member
    assert second.status_code == 410
    assert "Тази връзка вече е използвана." in second.content.decode()
    assert SignInLink.objects.get().used_at is not None


def test_000a_step8_only_showing_the_link_does_not_use_it(client, opened):
    """Mail scanners open links; only the button (POST) uses it."""
    path = link_path(mail.outbox[0])

    client.get(path)
    client.get(path)

    assert SignInLink.objects.get().used_at is None


def test_000a_step8_the_link_expires_after_seven_days(client, opened, member):
    path = link_path(mail.outbox[0])
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.post(path)

    assert response.status_code == 410
    assert "Връзката е изтекла." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_000a_step8_the_signature_itself_expires(opened, monkeypatch):
    token = link_path(mail.outbox[0]).rstrip("/").rsplit("/", 1)[-1]
    # The row would still allow it: the signed time stamp alone refuses the old token.
    SignInLink.objects.update(expires_at=timezone.now() + timedelta(days=30))
    later = time.time() + tokens.LINK_VALID_FOR.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)

    with pytest.raises(tokens.LinkRefused) as expired:
        tokens.peek(token)

    assert expired.value.reason == "expired"


def test_000a_step8_an_altered_link_is_refused(client, opened):
    path = link_path(mail.outbox[0])

    response = client.post(path[:-3] + "xx/")

    assert response.status_code == 410
    assert "Тази връзка не е валидна." in response.content.decode()


def test_000a_step8_a_new_account_sets_its_password_after_the_link(client, opened, member):
    member.set_unusable_password()
    member.save()

    response = client.post(link_path(mail.outbox[0]))
    form = client.get(reverse("second_opinion:set_password"))
    saved = client.post(
        reverse("second_opinion:set_password"),
        {"new_password1": "Zdrave-2026-pass", "new_password2": "Zdrave-2026-pass"},
    )

    assert response.url == reverse("second_opinion:set_password")
    assert form.status_code == 200
    assert saved.url == reverse("second_opinion:account")
    member.refresh_from_db()
    assert member.check_password("Zdrave-2026-pass")
    assert client.get(reverse("second_opinion:account")).wsgi_request.user == member


def test_the_team_can_email_a_new_link(opened, partner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.resend_link(opened, actor=partner)

    assert len(mail.outbox) == 2
    assert link_path(mail.outbox[0]) != link_path(mail.outbox[1])
    assert SignInLink.objects.count() == 2
    assert opened.events.filter(kind=CaseEventKind.LINK_SENT).count() == 2


def test_the_link_signs_in_only_its_own_member(client, opened, other_member):
    client.force_login(other_member)

    client.post(link_path(mail.outbox[0]))

    assert client.get(reverse("second_opinion:account")).wsgi_request.user.username == "maria"
