"""The language switcher: Bulgarian by default, English on request; a signed-in user's choice is
saved on the account and wins over the cookie and the browser."""

import pytest
from django.conf import settings

from contracts.factories import PASSWORD, make_user
from zdrave.base.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_bulgarian_is_the_default(client):
    page = client.get("/").content.decode()
    assert '<html lang="bg">' in page
    assert "Здравна застраховка, която се ползва лесно" in page


def test_browser_language_is_used_for_visitors(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Health insurance that is easy to use" in page


def test_switching_language_is_saved_on_the_user(client):
    user = make_user("maria")
    client.force_login(user)
    response = client.post("/accounts/language/", {"language": "en", "next": "/home/"})
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    user.refresh_from_db()
    assert user.language == "en"
    assert "My insurance" in client.get("/home/").content.decode()
    event = AuditEvent.objects.get(verb="user.language_changed")
    assert event.details == {"previous": "bg", "language": "en"}


def test_the_saved_language_follows_the_user_to_a_new_browser(client, django_user_model):
    make_user("maria", language="en")
    client.post("/accounts/login/", {"username": "maria", "password": PASSWORD})
    # No cookie, a Bulgarian browser: the account's choice wins.
    page = client.get("/home/", HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert "My insurance" in page
    client.post("/accounts/language/", {"language": "bg", "next": "/home/"})
    assert django_user_model.objects.get(username="maria").language == "bg"
    assert "Моята застраховка" in client.get("/home/").content.decode()


def test_a_visitor_switch_sets_the_cookie_only(client):
    response = client.post("/accounts/language/", {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Health insurance that is easy to use" in client.get("/").content.decode()
    assert not AuditEvent.objects.exists()


def test_an_unknown_language_changes_nothing(client):
    user = make_user("maria")
    client.force_login(user)
    client.post("/accounts/language/", {"language": "de", "next": "/home/"})
    user.refresh_from_db()
    assert user.language == "bg"


def test_switcher_is_a_post_form_on_every_page(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'action="/accounts/language/" method="post"' in page
    assert client.get("/accounts/language/").status_code == 405
