"""Journey: switch the language BG → EN → BG from the header; the page changes each time and
the choice stays with the account."""

from playwright.sync_api import expect

from e2e.helpers import log_in, screenshot


def test_switch_language_bg_en_bg(page, demo, django_user_model):
    log_in(page, "maria")
    expect(page.get_by_role("heading", level=1)).to_have_text("Моята застраховка")
    expect(page.locator("html")).to_have_attribute("lang", "bg")

    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My insurance")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Signed in as")).to_contain_text("Insured person / policyholder")
    assert django_user_model.objects.get(username="maria").language == "en"
    screenshot(page, "home-maria-en")

    page.get_by_role("button", name="БГ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Моята застраховка")
    assert django_user_model.objects.get(username="maria").language == "bg"


def test_visitor_switches_the_landing_page(page, demo):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Здравна застраховка, която се ползва лесно"
    )
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Health insurance that is easy to use"
    )
    screenshot(page, "landing-en")
