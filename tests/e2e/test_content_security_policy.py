"""Journey: every main page, as every role, runs under the Content-Security-Policy with no
violation: no inline script, event handler or style attribute, nothing from another origin
(Swagger UI included, served from the project)."""

import pytest
from playwright.sync_api import expect

from e2e.helpers import log_in

# Playwright's init script is injected by the browser's debugging protocol, so the policy does
# not block it; it records what the page itself tried and was refused.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}:${e.lineNumber}`);
});
"""

PUBLIC_PAGES = [
    "/",
    "/products/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/no-such-page/",
]
ROLES = [
    "maria",
    "ivan",
    "employer",
    "underwriter",
    "adjuster",
    "medic",
    "coordinator",
    "partner",
    "specialist",
    "admin",
]


@pytest.fixture
def csp_page(page):
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_violations = console
    return page


def _violations(page) -> list[str]:
    page.wait_for_load_state("load")
    return page.evaluate("window.__csp || []") + page.console_violations


def _assert_clean(page, url: str) -> None:
    page.goto(url)
    violations = _violations(page)
    assert violations == [], f"{url}: {violations}"


def test_public_pages_and_product_pages_pass_the_policy(csp_page, demo, products):
    response = csp_page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for url in PUBLIC_PAGES:
        _assert_clean(csp_page, url)
    csp_page.goto("/products/")
    product_links = csp_page.locator("main a[href^='/products/']").evaluate_all(
        "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )
    assert product_links
    for url in product_links[:6]:
        _assert_clean(csp_page, url)


def test_the_api_docs_run_swagger_ui_from_the_project(csp_page, demo):
    requested = []
    csp_page.on("request", lambda request: requested.append(request.url))
    csp_page.goto("/api/v1/docs")
    expect(csp_page.locator(".swagger-ui .info .title")).to_contain_text("Zdrave API")
    assert _violations(csp_page) == []
    base = csp_page.url.split("/api/")[0]
    assert [url for url in requested if not url.startswith(base)] == []


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_the_menu_passes_the_policy_for_each_role(csp_page, demo, username):
    log_in(csp_page, username)
    assert _violations(csp_page) == []
    links = csp_page.locator("header nav a, main a").evaluate_all(
        "links => [...new Set(links.map(a => a.getAttribute('href')))]"
        ".filter(h => h && h.startsWith('/') && !h.startsWith('/accounts/logout'))"
    )
    for url in links[:25]:
        _assert_clean(csp_page, url)
