"""Every page, as every role, on a 390 px wide phone: nothing scrolls sideways (issue 8: the
order form's radios broke and 8 pages scrolled); and the main pages pass axe-core with no
serious or critical violation.

The pages are the ones the translation check walks (``core.every_page``: URL resolver + demo
data), so a new page is laid out and checked without anyone listing it. One browser, one
context per role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from interfaces.portal.every_page import USERS, all_paths, build_site
from interfaces.portal.test_every_page_words import (  # noqa: F401 - the real products
    _test_products,
    pages,
)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
# The pages a new user meets first (issue 8): home of each role, products, the specialist
# search, the second-opinion request and order, the consultations, the log-in.
MAIN_PAGES = (
    "/",
    "/home/",
    "/accounts/login/",
    "/products/",
    "/products/health/",
    "/products/best-doctors/",
    "/products/extra-care/",
    "/extra-care/specialists/",
    "/extra-care/therapists/",
    "/extra-care/opinions/request/",
    "/extra-care/opinions/cases/",
    "/extra-care/consultations/",
)
# What sticks out, for the failure message: the outermost elements past the right edge.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .filter(e => ![...document.querySelectorAll('body *')].some(
    a => a !== e && a.contains(e) && getComputedStyle(a).overflowX !== 'visible'))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' + Math.round(e.getBoundingClientRect().right))"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


def _is_main(path: str) -> bool:
    return path in MAIN_PAGES or any(
        path.startswith(p) and p.endswith(("/request/", "/cases/", "/consultations/"))
        for p in MAIN_PAGES
    )


def _session_cookie(username: str, base_url: str) -> list[dict]:
    if not username:
        return []
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies["sessionid"]
    return [{"name": "sessionid", "value": cookie.value, "url": base_url}]


@pytest.fixture
def site_pages(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    values = build_site()
    by_user: dict[str, list[str]] = {u: [] for u in USERS}
    for username, path, _html in pages(values, "bg"):
        # The public product pages are the same for everyone: laid out once, as a visitor.
        if username and path.startswith("/products/"):
            continue
        by_user[username].append(path)
    return by_user


def test_every_page_fits_a_390px_phone_and_the_main_pages_pass_axe(
    browser, live_server, site_pages
):
    too_wide: dict[str, int] = {}
    violations: dict[str, list[str]] = {}
    checked = 0
    for username, paths in site_pages.items():
        context = browser.new_context(
            base_url=live_server.url, locale="bg-BG", viewport=PHONE, bypass_csp=True
        )
        context.set_default_timeout(10_000)
        context.add_cookies(_session_cookie(username, live_server.url))
        page = context.new_page()
        for path in paths:
            page.goto(path, wait_until="domcontentloaded")
            checked += 1
            if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
                too_wide[f"{username or 'anonymous'} {path}"] = page.evaluate(WIDEST)
            if _is_main(path):
                page.add_script_tag(path=str(AXE))
                found = page.evaluate(AXE_RUN)
                if found:
                    violations[f"{username or 'anonymous'} {path}"] = found
        context.close()
    assert checked > 100
    problems = {"wider than 390 px": too_wide, "axe serious/critical": violations}
    assert problems == {"wider than 390 px": {}, "axe serious/critical": {}}, json.dumps(
        problems, indent=1, ensure_ascii=False
    )


# Issue 14: the member-rights pages (complaints, personal data) at 390 px in English too.
MEMBER_RIGHTS = ("/complaints/", "/my-data/")


def test_member_rights_pages_fit_a_390px_phone_in_english(browser, live_server, transactional_db):
    values = build_site()
    paths = [p for p in all_paths(values) if p.startswith(MEMBER_RIGHTS)]
    get_user_model().objects.update(language="en")
    by_user: dict[str, list[str]] = {}
    for username in USERS:
        client = Client()
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        for path in paths:
            response = client.get(path)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                by_user.setdefault(username, []).append(path)
    too_wide: dict[str, list[str]] = {}
    checked = 0
    for username, user_paths in by_user.items():
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", viewport=PHONE, bypass_csp=True
        )
        context.add_cookies(_session_cookie(username, live_server.url))
        page = context.new_page()
        for path in user_paths:
            page.goto(path, wait_until="domcontentloaded")
            checked += 1
            if "/letter/" not in path:  # a letter is in the complainant's language
                assert page.evaluate("document.documentElement.lang") == "en", path
            if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
                too_wide[f"{username or 'anonymous'} {path}"] = page.evaluate(WIDEST)
        context.close()
    assert {"complaints", "dpo", "petya"} <= set(by_user)
    assert checked >= 15
    assert too_wide == {}, json.dumps(too_wide, indent=1, ensure_ascii=False)
