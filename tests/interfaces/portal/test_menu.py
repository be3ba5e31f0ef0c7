"""The menu shows each person only what they may use (issue 8: members without Extra Care saw
"Second opinion" and "Psychologist", and the click ended in 403)."""

import re

import pytest
from django.contrib.auth import get_user_model

from interfaces.portal.every_page import build_site
from interfaces.portal.test_every_page_words import (  # noqa: F401 - the real products
    _test_products,
)

pytestmark = pytest.mark.django_db

EXTRA_CARE_LINKS = {
    "/extra-care/specialists/",
    "/extra-care/opinions/cases/",
    "/extra-care/consultations/",
}


def _menu(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    html = client.get("/home/").content.decode()
    nav = re.search(r'<nav[^>]*aria-label="[^"]*"[^>]*>.*?</nav>', html, flags=re.S).group(0)
    return set(re.findall(r'href="([^"]+)"', nav)), html


def test_every_menu_link_opens_for_its_user(client):
    build_site()
    for user in get_user_model().objects.all():
        links, _ = _menu(client, user.username)
        for link in links:
            # A link may land on its page through a redirect (one family contract: its page).
            assert client.get(link, follow=True).status_code == 200, (user.username, link)


def test_member_without_extra_care_sees_no_extra_care_links_and_learns_what_gives_them(client):
    build_site()
    links, html = _menu(client, "georgi")
    assert not links & EXTRA_CARE_LINKS
    assert (
        "Второто медицинско мнение и консултациите с психолог се предоставят с Extra Care" in html
    )


def test_member_with_extra_care_sees_its_services(client):
    build_site()
    links, html = _menu(client, "maria")
    assert links >= EXTRA_CARE_LINKS
    assert 'id="extra-care-needed"' not in html
