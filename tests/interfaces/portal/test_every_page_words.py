"""Every page, in Bulgarian and in English, as every role: no raw codes, no English left in
Bulgarian pages, no unfilled ``{placeholder}``."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from interfaces.portal.every_page import (
    NOT_PAGES,
    USERS,
    all_paths,
    build_site,
    url_patterns,
    walkable_patterns,
)

pytestmark = pytest.mark.django_db


class _Text(HTMLParser):
    """The text a reader sees, plus attribute text read out loud (title, alt, aria-label,
    placeholder, value of buttons)."""

    SKIP = {"script", "style", "code", "pre"}
    SPOKEN = {"title", "alt", "aria-label", "placeholder"}

    VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr", "col", "area", "base"}

    def __init__(self, language: str):
        super().__init__()
        self.language = language
        self.parts: list[str] = []
        self._skip = 0
        self._stack: list[bool] = []  # per open element: does it start a skipped subtree

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # Text marked as another language (lang="en" on a Bulgarian page) says so to readers
        # and screen readers; it is not an untranslated string.
        other = tag != "html" and attrs.get("lang") not in (None, self.language)
        skipped = tag in self.SKIP or other
        if tag not in self.VOID:
            self._stack.append(skipped)
            self._skip += skipped
        if not self._skip and not skipped:
            for name, value in attrs.items():
                if name in self.SPOKEN and value:
                    self.parts.append(value)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self._stack:
            self._skip -= self._stack.pop()

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str, language: str = "bg") -> str:
    parser = _Text(language)
    parser.feed(html)
    return "\n".join(parser.parts)


def pages(values, language: str):
    """(user, path, html) of every page each demo user can open, in ``language``."""
    get_user_model().objects.update(language=language)
    for username in USERS:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        for path in all_paths(values):
            response = client.get(path)
            assert response.status_code != 500, (username, path)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                yield username, path, response.content.decode()


@pytest.fixture(autouse=True)
def _test_products(settings, repo_dir):
    """These checks walk the real product files, not the small test copy."""
    settings.PRODUCTS_DIR = repo_dir / "products"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = (
        "zdrave.base.outbox.backends.OutboxBackend"  # the outbox pages show mail
    )


# Words of the English UI and codes of the terms that a Bulgarian page must never show.
ENGLISH_WORDS = {
    "the",
    "and",
    "of",
    "for",
    "per",
    "with",
    "claim",
    "year",
    "years",
    "days",
    "months",
    "covered",
    "not",
    "yes",
    "no",
    "save",
    "submit",
    "search",
    "next",
    "back",
    "cancel",
    "delete",
    "edit",
    "login",
    "password",
    "home",
    "products",
    "product",
    "clause",
    "member",
    "partner",
    "decline",
    "refer",
    "accept",
    "reimbursement",
    "subscription",
    "count",
    "limit",
    "none",
    "true",
    "false",
    "required",
    "optional",
    "amount",
    "value",
    "unit",
    "money",
    "holder",
    "spouse",
    "child",
    "employee",
    "family",
    "group",
    "individual",
    "minimal",
    "basic",
    "full",
    "luxury",
    "request",
    "report",
    "status",
    "open",
    "closed",
    "draft",
    "specialist",
    "therapist",
    "consultation",
    "email",
    "phone",
    "video",
    "your",
    "insurer",
}
SNAKE_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
HYPHEN_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sd]|\{\{|\}\}|\{%")
LATIN_WORD = re.compile(r"\b[A-Za-z]+\b")
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|\b\w+\.(?:me|bg|example|com)\b")


def defects(text: str, language: str) -> set[str]:
    text = NOT_WORDS.sub(" ", text)
    found = set(SNAKE_CODE.findall(text)) | set(PLACEHOLDER.findall(text))
    if language == "bg":
        found |= set(HYPHEN_CODE.findall(text))
        found |= {w for w in LATIN_WORD.findall(text) if w.lower() in ENGLISH_WORDS}
    return found


@pytest.mark.parametrize("language", ["bg", "en"])
def test_every_page_reads_in_its_language_without_codes_or_placeholders(language):
    values = build_site()
    found: dict[str, set[str]] = {}
    count = 0
    for username, path, html in pages(values, language):
        count += 1
        if path.startswith("/outbox/") and path != "/outbox/":
            continue  # a stored e-mail shown as sent: its MIME headers are the message itself
        bad = defects(visible_text(html, language), language)
        if bad:
            found[f"{username or 'anonymous'} {path}"] = bad
    assert count > 200  # every role, every page
    assert found == {}


def test_every_url_pattern_is_walked_or_excused():
    assert set(walkable_patterns()) | set(NOT_PAGES) >= set(url_patterns())
    assert not set(NOT_PAGES) - set(url_patterns()), "excuse for a URL that no longer exists"


def test_the_check_catches_what_issue_8_saw():
    assert defects("Лимит: per_year", "bg") == {"per_year"}
    assert defects("Услуга: reimbursement", "bg") == {"reimbursement"}
    assert "{partner}" in defects("Екипът на {partner} получава заявката", "bg")
    assert defects("Обстоятелства: treated-in-bulgaria", "bg") == {"treated-in-bulgaria"}
    assert defects("Extra Care чрез Diagnose.me · maria@demo.zdrave.example", "bg") == set()
    assert visible_text('<p>Бележки</p><ul lang="en"><li>the notes</li></ul>', "bg") == "Бележки"
