"""Log-in throttling (django-axes, zdrave.base.identity.lockout): 5 failures for one user name from one
address, or 30 from one address whatever the names, lock for 30 minutes; the e-mailed password
reset is the owner's way in during a lock. Every way to log in with a password is counted."""

import email
import email.policy
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from contracts.factories import PASSWORD, make_user
from zdrave.base.identity.models import Role
from zdrave.base.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
OFFICE = "198.51.100.10"
ATTACKER = "203.0.113.66"
LOCKED = "Профилът е заключен"


@pytest.fixture(autouse=True)
def _outbox(settings):
    """Mail goes through the project's outbox, as in production (pytest-django swaps in locmem)."""
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"


def _login(client, username, password, address=OFFICE, url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_from_one_address_lock_that_user_name_there(client):
    make_user("maria")
    for _ in range(4):
        response = _login(client, "maria", "wrong-password")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    fifth = _login(client, "maria", "wrong-password")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()
    assert "заключен за 30 минути" in fifth.content.decode()

    locked = _login(client, "maria", PASSWORD)
    assert locked.status_code == 429
    assert client.get("/home/").status_code == 302  # still signed out


def test_a_guesser_elsewhere_cannot_lock_the_administrator_out(client):
    make_user("admin", Role.ADMINISTRATOR)
    for _ in range(12):
        _login(client, "admin", "guess", address=ATTACKER)
    assert _login(client, "admin", "guess", address=ATTACKER).status_code == 429

    assert _login(client, "admin", PASSWORD, address=OFFICE).status_code == 302


def test_spraying_many_user_names_from_one_address_is_stopped(client):
    make_user("maria")
    limit = settings.ZDRAVE_LOGIN_FAILURES_PER_ADDRESS
    answers = [_login(client, f"user{n}", "Parola123", address=ATTACKER) for n in range(limit)]
    assert [a.status_code for a in answers[:-1]] == [200] * (limit - 1)
    assert answers[-1].status_code == 429

    # Even a right password is refused from that address for the cool-off time …
    assert _login(client, "maria", PASSWORD, address=ATTACKER).status_code == 429
    # … while everyone elsewhere logs in as usual.
    assert _login(client, "maria", PASSWORD, address=OFFICE).status_code == 302


def test_colleagues_behind_one_office_address_do_not_lock_each_other_out(client):
    colleagues = [make_user(f"colleague{n}", Role.UNDERWRITER) for n in range(6)]
    for user in colleagues:
        for _ in range(4):
            assert _login(client, user.username, "typo").status_code == 200
    for user in colleagues:
        assert _login(client, user.username, PASSWORD).status_code == 302
        client.post("/accounts/logout/")


def test_a_sprayer_cannot_reset_the_address_count_with_an_account_of_their_own(client):
    make_user("mallory")
    limit = settings.ZDRAVE_LOGIN_FAILURES_PER_ADDRESS
    for n in range(limit - 1):
        _login(client, f"user{n}", "Parola123", address=ATTACKER)
    assert _login(client, "mallory", PASSWORD, address=ATTACKER).status_code == 302
    client.post("/accounts/logout/")

    assert _login(client, "user99", "Parola123", address=ATTACKER).status_code == 429


def test_a_success_before_the_limit_resets_that_users_count(client):
    make_user("maria")
    for _ in range(4):
        _login(client, "maria", "wrong-password")
    assert _login(client, "maria", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert _login(client, "maria", "wrong-password").status_code == 200
    assert _login(client, "maria", PASSWORD).status_code == 302


def test_the_admin_log_in_counts_towards_the_same_lock(client):
    make_user("admin", Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    for _ in range(5):
        _login(client, "admin", "guess", url=ADMIN_LOGIN)
    assert _login(client, "admin", PASSWORD, url=ADMIN_LOGIN).status_code == 429
    assert _login(client, "admin", PASSWORD, url=LOGIN).status_code == 429
    assert client.get("/admin/").status_code == 302


def _reset_link(message: OutboxMessage) -> str:
    """The link as delivered to the member (the raw MIME the worker hands to SMTP); the copy
    staff read in the outbox has the token masked."""
    delivered = email.message_from_bytes(bytes(message.raw_mime), policy=email.policy.default)
    body = delivered.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", body).group(1)


def test_a_locked_out_member_sets_a_new_password_by_email_and_gets_in_at_once(client):
    make_user("maria", email="maria@example.bg")
    for _ in range(5):
        _login(client, "maria", "wrong-password")
    locked = _login(client, "maria", PASSWORD)
    assert locked.status_code == 429
    assert 'href="/accounts/password/reset/"' in locked.content.decode()

    sent = client.post("/accounts/password/reset/", {"email": "maria@example.bg"})
    assert sent["Location"] == "/accounts/password/reset/sent/"
    mail = OutboxMessage.objects.get()
    assert mail.to == ["maria@example.bg"]
    link = _reset_link(mail)

    form = client.get(link)
    assert form.status_code == 302  # Django moves the token out of the address bar
    page = client.get(form["Location"])
    assert "Нова парола" in page.content.decode()
    done = client.post(
        form["Location"],
        {"new_password1": "Nova-parola-2027", "new_password2": "Nova-parola-2027"},
    )
    assert done["Location"] == "/accounts/password/reset/complete/"

    assert _login(client, "maria", PASSWORD).status_code == 200  # the old one is gone
    assert _login(client, "maria", "Nova-parola-2027").status_code == 302
    assert not AccessAttempt.objects.filter(username="maria").exists()

    client.post("/accounts/logout/")
    used = client.get(link)
    assert used.status_code == 200
    assert "вече е използвана или е изтекла" in used.content.decode()


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    make_user("maria", email="maria@example.bg")
    sent = client.post("/accounts/password/reset/", {"email": "nobody@example.bg"})
    assert sent["Location"] == "/accounts/password/reset/sent/"
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("role", [Role.SERVICE_COORDINATOR, Role.MEDICAL_EXPERT])
def test_staff_reading_the_outbox_never_see_a_usable_reset_link(client, role):
    """The medical expert may read mail content (health data), the coordinator only its
    delivery: neither sees the reset link's token, which stays in the delivered MIME only."""
    make_user("maria", email="maria@example.bg")
    client.post("/accounts/password/reset/", {"email": "maria@example.bg"})
    message = OutboxMessage.objects.get()
    token_path = _reset_link(message)

    client.force_login(make_user("staff", role))
    for url in ("/outbox/", f"/outbox/{message.pk}/"):
        page = client.get(url)
        assert page.status_code == 200
        assert token_path not in page.content.decode()
    assert token_path not in message.body_text


def test_behind_the_proxy_each_client_is_counted_by_the_address_the_proxy_saw(client, settings):
    settings.ZDRAVE_BEHIND_PROXY = True
    make_user("maria")
    proxy = "10.0.0.2"

    def through_proxy(password, forwarded_for):
        return client.post(
            LOGIN,
            {"username": "maria", "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    # The attacker writes a fresh address of their own in front each time; the proxy appends
    # the real one.
    for n in range(5):
        through_proxy("guess", f"192.0.2.{n}, {ATTACKER}")
    assert through_proxy(PASSWORD, f"192.0.2.99, {ATTACKER}").status_code == 429
    assert through_proxy(PASSWORD, OFFICE).status_code == 302


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_a_user_name_longer_than_any_account_is_a_wrong_log_in_not_a_server_error(client, url):
    response = _login(client, "x" * 1000, "guess", url=url)
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "x" * 255
