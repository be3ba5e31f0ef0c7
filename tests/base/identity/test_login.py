"""Log-in, log-out and password change, through the real pages (lock-out: test_lockout.py)."""

import pytest
from django.urls import reverse

from contracts.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_member_logs_in_and_lands_on_their_home_page(client):
    make_user("maria", first_name="Мария", last_name="Петрова")
    response = _login(client, "maria", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    page = client.get("/home/").content.decode()
    assert "Моята застраховка" in page
    assert "Мария Петрова" in page


def test_wrong_password_shows_a_translated_error_and_keeps_the_user_out(client):
    make_user("maria")
    response = _login(client, "maria", "wrong-password")
    assert response.status_code == 200
    assert "Моля, въведете правилните потребител и парола." in response.content.decode()
    assert client.get("/home/")["Location"] == "/accounts/login/?next=/home/"


def test_log_out_only_by_post(client):
    make_user("maria")
    _login(client, "maria", PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/home/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/home/").status_code == 302


def test_password_change(client):
    user = make_user("maria")
    client.force_login(user)
    page = client.get(reverse("identity:password_change"))
    assert "Смяна на паролата" in page.content.decode()

    wrong_old = client.post(
        reverse("identity:password_change"),
        {
            "old_password": "not-it",
            "new_password1": "Nov-parol-2027",
            "new_password2": "Nov-parol-2027",
        },
    )
    assert wrong_old.status_code == 200
    assert "Въвели сте погрешна стара парола." in wrong_old.content.decode()

    done = client.post(
        reverse("identity:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Nov-parol-2027",
            "new_password2": "Nov-parol-2027",
        },
    )
    assert done["Location"] == reverse("identity:password_change_done")
    assert "Паролата е сменена" in client.get(done["Location"]).content.decode()

    client.post("/accounts/logout/")
    assert _login(client, "maria", PASSWORD).status_code == 200
    assert _login(client, "maria", "Nov-parol-2027").status_code == 302
