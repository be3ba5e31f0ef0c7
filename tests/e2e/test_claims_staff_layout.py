"""The claims staff pages on a 390 px phone (issue 10): the queue's rows stack as cards, the
review, the approval and the dashboard fit the screen with nothing scrolling sideways, and the
main ones pass axe-core with no serious or critical violation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from claims.staff_data import submit
from contracts.factories import contract_with, make_user
from e2e.helpers import screenshot
from zdrave.base.identity.models import Role

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


@pytest.fixture
def claims(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    member_user = make_user("mila", email="mila@example.bg")
    member = contract_with(member_user, number="H-390", extra_care=False).members.get()
    make_user("adj1", Role.CLAIMS_ADJUSTER)
    make_user("adj2", Role.CLAIMS_ADJUSTER)
    make_user("doc1", Role.MEDICAL_EXPERT)
    make_user("boss", Role.ADMINISTRATOR)
    referred = submit(member, member_user, key="a", diagnosis="")
    submit(member, member_user, key="b", amount="80.00")
    duplicate = submit(member, member_user, key="c", amount="80.00", invoice="INV-b")
    client = Client()
    client.force_login(get_user_model().objects.get(username="adj1"))
    client.post(
        reverse("claims:decide", args=[duplicate.number]),
        {"payable_0": "0", "reason_0": "Същата фактура вече е платена"},
    )
    return {"referred": referred.number, "proposed": duplicate.number}


def _cookie(username: str, base_url: str) -> list[dict]:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]


def test_claims_staff_pages_fit_a_390px_phone(browser, live_server, claims):
    pages = {
        "adj1": [
            "/claims/queue/",
            f"/claims/queue/{claims['referred']}/",
            f"/claims/queue/{claims['proposed']}/",
            "/claims/dashboard/",
        ],
        "adj2": [f"/claims/queue/{claims['proposed']}/approve/"],
        "doc1": ["/claims/queue/", f"/claims/queue/{claims['referred']}/"],
        "boss": ["/claims/dashboard/"],
    }
    too_wide, violations = {}, {}
    for username, paths in pages.items():
        context = browser.new_context(
            base_url=live_server.url, locale="bg-BG", viewport=PHONE, bypass_csp=True
        )
        context.add_cookies(_cookie(username, live_server.url))
        page = context.new_page()
        for path in paths:
            page.goto(path, wait_until="load")
            assert page.locator("h1").count() == 1, path
            if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
                too_wide[f"{username} {path}"] = page.evaluate(
                    "document.documentElement.scrollWidth"
                )
            page.add_script_tag(path=str(AXE))
            found = page.evaluate(AXE_RUN)
            if found:
                violations[f"{username} {path}"] = found
            name = path.strip("/").replace("/", "-")
            screenshot(page, f"claims-staff-{username}-{name}")
        if username == "adj1":
            # The queue's table rows are cards on a phone: the column names are hidden and
            # each cell carries its own.
            page.goto("/claims/queue/")
            header = page.locator("table.queue thead")
            assert header.bounding_box()["height"] <= 1
            assert (
                page.locator("table.queue tbody tr").first.evaluate(
                    "e => getComputedStyle(e).display"
                )
                == "block"
            )
        context.close()
    problems = {"wider than 390 px": too_wide, "axe serious/critical": violations}
    assert problems == {"wider than 390 px": {}, "axe serious/critical": {}}, json.dumps(
        problems, indent=1, ensure_ascii=False
    )
