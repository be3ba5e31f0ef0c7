"""Journey: five wrong passwords lock the user name; the right password is then refused too."""

from playwright.sync_api import expect

from e2e.helpers import log_in, screenshot


def test_five_wrong_passwords_lock_the_account(page, demo):
    for attempt in range(1, 5):
        log_in(page, "maria", f"wrong-{attempt}")
        expect(page.get_by_role("alert")).to_contain_text(
            "Моля, въведете правилните потребител и парола"
        )
    log_in(page, "maria", "wrong-5")
    expect(page.get_by_role("heading", level=1)).to_have_text("Профилът е заключен")
    screenshot(page, "locked-out")

    log_in(page, "maria", "demo12345")
    expect(page.get_by_role("heading", level=1)).to_have_text("Профилът е заключен")
    page.goto("/home/")
    assert "/accounts/login/" in page.url
