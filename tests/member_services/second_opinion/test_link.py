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

from contracts.factories import make_user
from member_services.second_opinion.cases_helpers import request_for
from zdrave.base.identity.models import Role
from zdrave.base.outbox.models import OutboxMessage
from zdrave.member_services.second_opinion import actions, tokens
from zdrave.member_services.second_opinion.models import CaseEventKind, SignInLink

pytest_plugins = ["member_services.second_opinion.cases_support"]

SIGN_IN_TOKEN = re.compile(r"/sign-in/([^/\s]+)/")
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


def use_link(client, path: str, **extra):
    """What the member's browser does: open the e-mailed URL, then press "Продължи"."""
    opened_link = client.get(path, **extra)
    if opened_link.status_code != 302:
        return opened_link
    return client.post(reverse("second_opinion:sign_in_continue"), **extra)


def test_000a_step8_the_token_leaves_the_address_bar_at_once(client, opened):
    """Issue 8: the token moves into the session; the page with the button has a clean URL, so
    no later request, Referer header or log line carries it."""
    path = link_path(mail.outbox[0])

    opened_link = client.get(path)
    shown = client.get(opened_link.url)

    assert opened_link.status_code == 302
    assert opened_link.url == "/extra-care/opinions/sign-in/"
    assert shown.status_code == 200
    assert "Продължи" in shown.text
    assert path not in shown.text


def test_000a_step8_a_member_with_a_password_logs_in_with_it(client, opened, member):
    """Issue 8: the link alone never opens an account that has a password; it leads to the
    log-in page and on to the case, and it is used up."""
    path = link_path(mail.outbox[0])

    first = use_link(client, path)
    second = use_link(client, path)

    assert first.status_code == 302
    case_url = reverse("second_opinion:case", args=[opened.pk])
    assert first.url == f"{reverse('identity:login')}?next={case_url}"
    assert "_auth_user_id" not in client.session
    assert second.status_code == 410
    assert "Тази връзка вече е използвана." in second.text
    assert SignInLink.objects.get().used_at is not None


def test_000a_step8_a_signed_in_member_goes_straight_to_the_case(client, opened, member):
    client.force_login(member)

    response = use_link(client, link_path(mail.outbox[0]))

    assert response.url == reverse("second_opinion:case", args=[opened.pk])
    assert client.get(response.url).wsgi_request.user == member


def test_000a_step8_only_showing_the_link_does_not_use_it(client, opened):
    """Mail scanners open links; only the button (POST) uses it."""
    path = link_path(mail.outbox[0])

    client.get(path)
    client.get(path)

    assert SignInLink.objects.get().used_at is None


def test_000a_step8_the_link_expires_after_two_days(client, opened, member):
    link = SignInLink.objects.get()
    assert link.expires_at - link.created_at == timedelta(hours=48)
    assert "2 дни" in mail.outbox[0].body
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

    response = use_link(client, link_path(mail.outbox[0]))
    form = client.get(reverse("second_opinion:set_password"))
    # Issue 8: the link opens the set-password step only, not the account.
    account_before = client.get(reverse("second_opinion:account"))
    saved = client.post(
        reverse("second_opinion:set_password"),
        {"new_password1": "Zdrave-2026-pass", "new_password2": "Zdrave-2026-pass"},
    )

    assert response.url == reverse("second_opinion:set_password")
    assert form.status_code == 200
    assert account_before.status_code == 302
    assert account_before.url.startswith(reverse("identity:login"))
    assert saved.url == reverse("second_opinion:account")
    member.refresh_from_db()
    assert member.check_password("Zdrave-2026-pass")
    assert client.get(reverse("second_opinion:account")).wsgi_request.user == member


def test_the_set_password_step_of_a_link_lasts_half_an_hour(client, opened, member):
    member.set_unusable_password()
    member.save()
    use_link(client, link_path(mail.outbox[0]))
    session = client.session
    session["opinions_link_member"]["until"] = (timezone.now() - timedelta(seconds=1)).isoformat()
    session.save()

    response = client.post(
        reverse("second_opinion:set_password"),
        {"new_password1": "Zdrave-2026-pass", "new_password2": "Zdrave-2026-pass"},
    )

    assert response.url.startswith(reverse("identity:login"))
    member.refresh_from_db()
    assert not member.has_usable_password()


def test_the_team_can_email_a_new_link(opened, partner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.resend_link(opened, actor=partner)

    assert len(mail.outbox) == 2
    assert link_path(mail.outbox[0]) != link_path(mail.outbox[1])
    assert SignInLink.objects.count() == 2
    assert opened.events.filter(kind=CaseEventKind.LINK_SENT).count() == 2


def test_a_new_link_ends_the_earlier_ones(
    client, opened, partner, django_capture_on_commit_callbacks
):
    """Issue 8: one live link per case."""
    with django_capture_on_commit_callbacks(execute=True):
        actions.resend_link(opened, actor=partner)

    old = use_link(client, link_path(mail.outbox[0]))
    new = use_link(client, link_path(mail.outbox[1]))

    assert old.status_code == 410
    assert "Връзката е изтекла." in old.text
    assert new.status_code == 302


def test_the_link_never_switches_the_browser_to_its_member(client, opened, other_member):
    client.force_login(other_member)

    use_link(client, link_path(mail.outbox[0]))

    assert client.get(reverse("second_opinion:account")).wsgi_request.user == other_member


def test_the_link_goes_to_the_accounts_address_not_the_typed_one(
    member, specialist, partner, django_capture_on_commit_callbacks
):
    """Issue 8: the contact address of the request form is free text nobody confirmed; the
    link goes to the account's e-mail."""
    case = request_for(member, specialist)
    case.email = "attacker@example.com"
    case.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.forward_request(case, actor=partner, specialist=specialist)

    assert [message.to for message in mail.outbox] == [["maria@example.bg"]]


def test_bad_tokens_from_one_address_are_throttled(client, opened):
    """Issue 8: after 10 bad tokens from one address in 15 minutes, even a good link from it is
    refused for a while; another address is not affected."""
    path = link_path(mail.outbox[0])
    for attempt in range(tokens.FAILURES_ALLOWED):
        bad = client.get(f"{path[:-6]}{attempt:04d}x/", REMOTE_ADDR="198.51.100.9")
        assert bad.status_code == 410

    blocked = client.get(path, REMOTE_ADDR="198.51.100.9")
    elsewhere = client.get(path, REMOTE_ADDR="198.51.100.10")

    assert blocked.status_code == 429
    assert "Wait 15 minutes" in blocked.text or "15 минути" in blocked.text
    assert elsewhere.status_code == 302
    assert SignInLink.objects.get().used_at is None


def test_behind_the_proxy_bad_tokens_are_counted_per_client_not_per_proxy(client, opened, settings):
    """Behind the documented proxy every request comes from the proxy's address: links are
    throttled by the client address the proxy saw (the one rule log-in throttling uses), so one
    prober does not lock every member out."""
    settings.ZDRAVE_BEHIND_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    path = link_path(mail.outbox[0])
    for attempt in range(tokens.FAILURES_ALLOWED):
        client.get(f"{path[:-6]}{attempt:04d}x/", HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)

    blocked = client.get(path, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
    elsewhere = client.get(path, HTTP_X_FORWARDED_FOR="198.51.100.10", **proxy)

    assert blocked.status_code == 429
    assert elsewhere.status_code == 302


@pytest.mark.parametrize(
    "role",
    [
        Role.UNDERWRITER,
        Role.CLAIMS_ADJUSTER,
        Role.MEDICAL_EXPERT,
        Role.SERVICE_COORDINATOR,
        Role.ADMINISTRATOR,
    ],
)
def test_staff_reading_the_outbox_never_get_a_working_link(
    client, settings, requested, partner, specialist, django_capture_on_commit_callbacks, role
):
    """Issue 8 (critical): a coordinator opened the member's mail in /outbox/, copied the link
    and was signed in as the member. The stored copy staff read has the token masked."""
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
    with django_capture_on_commit_callbacks(execute=True):
        actions.forward_request(requested, actor=partner, specialist=specialist)
    [message] = OutboxMessage.objects.all()
    token = SIGN_IN_TOKEN.search(bytes(message.raw_mime).decode()).group(1)
    staff = make_user(f"staff-{role}", role=role, is_staff=True, is_superuser=True)
    client.force_login(staff)

    pages = [
        client.get(reverse("outbox:list")).text,
        client.get(reverse("outbox:detail", args=[message.pk])).text,
        client.get(reverse("admin:outbox_outboxmessage_change", args=[message.pk])).text,
    ]
    client.logout()
    tried = use_link(client, "/extra-care/opinions/sign-in/[hidden]/")

    for page in pages:
        assert token not in page
    assert tried.status_code == 410
    assert "_auth_user_id" not in client.session
    assert SignInLink.objects.get().used_at is None


def test_the_clean_sign_in_page_without_a_link_is_refused_and_not_counted(client):
    for _ in range(tokens.FAILURES_ALLOWED + 1):
        response = client.get(reverse("second_opinion:sign_in_continue"))
        assert response.status_code == 410

    assert not tokens.is_throttled("127.0.0.1")
