"""Journey: every role logs in and lands on its own home page, with its name and role."""

import pytest
from playwright.sync_api import expect

from e2e.helpers import log_in, screenshot

ROLES = [
    # user name, heading of the home page, role label, something only that page shows
    ("maria", "Моята застраховка", "Застраховано лице / застраховащ", "Договор ZH-DEMO-I001"),
    ("employer", "Групови договори", "Работодател (групов застраховащ)", "ZH-DEMO-G001"),
    ("underwriter", "Работно табло: Андеррайтър", "Андеррайтър", "Заявления"),
    ("adjuster", "Работно табло: Ликвидатор на щети", "Ликвидатор на щети", "Претенции"),
    ("medic", "Работно табло: Медицински експерт", "Медицински експерт", "Медицинска оценка"),
    (
        "coordinator",
        "Работно табло: Координатор на услуги",
        "Координатор на услуги",
        "Услуги за застрахованите",
    ),
    ("partner", "Страница на партньора", "Член на екипа на партньор", "Заявки"),
    ("specialist", "Страница на партньора", "Специалист / терапевт", "Моите случаи"),
    ("admin", "Администрация", "Администратор", "Отворете бек офиса"),
]


@pytest.mark.parametrize(
    ("username", "heading", "role", "marker"), ROLES, ids=[r[0] for r in ROLES]
)
def test_each_role_sees_its_home_page(page, demo, username, heading, role, marker):
    log_in(page, username)
    assert page.url.endswith("/home/")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_text("Влезли сте като")).to_contain_text(role)
    expect(page.get_by_text(marker, exact=True).first).to_be_visible()
    screenshot(page, f"home-{username}")


def test_member_home_lists_covers_in_words(page, demo):
    log_in(page, "ivan")
    contract = page.get_by_role("article").filter(has_text="ZH-DEMO-F001")
    expect(contract.get_by_role("cell", name="Александър Димитров")).to_be_visible()
    expect(contract.get_by_text("учащ", exact=False)).to_be_visible()
    expect(contract.get_by_text("опция Луксозна").first).to_be_visible()


def test_log_out_from_the_user_menu(page, demo):
    log_in(page, "maria")
    page.get_by_role("banner").get_by_text("Мария Петрова").click()
    page.get_by_role("button", name="Изход").click()
    assert page.url.endswith("/")
    expect(page.get_by_role("banner").get_by_role("link", name="Вход")).to_be_visible()
