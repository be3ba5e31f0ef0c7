"""Steps the journeys share."""

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "e2e"


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    """Kept under test-results/ for a person to look at; no test compares pixels."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def log_in(page, username: str, password: str = "demo12345") -> None:  # noqa: S107 - demo log-in
    page.goto("/accounts/login/")
    page.get_by_label("Потребител").fill(username)
    page.get_by_label("Парола").fill(password)
    page.get_by_role("button", name="Вход").click()
