"""Each role's home page at /home/ shows the user's name and role and what that role works with."""

import pytest

from contracts.factories import make_user
from zdrave.base.identity.models import Role

pytestmark = pytest.mark.django_db


def _home(client, user, language="bg") -> str:
    client.force_login(user)
    if language != "bg":
        client.post("/accounts/language/", {"language": language, "next": "/"})
    response = client.get("/home/")
    assert response.status_code == 200
    return response.content.decode()


def test_landing_page_links_to_products_and_log_in(client):
    page = client.get("/").content.decode()
    assert 'href="/products/"' in page
    assert 'href="/accounts/login/"' in page
    assert "Здраве / Zdrave" in page


def test_home_needs_log_in(client):
    assert client.get("/home/")["Location"] == "/accounts/login/?next=/home/"


def test_member_sees_contracts_covers_dates_and_people(client, world):
    page = _home(client, world.ivan)
    assert "Влезли сте като <strong>Ivan Тестов</strong> · Застраховано лице / застраховащ" in page
    assert "Договор F-1" in page
    assert "Здравна застраховка" in page
    assert "условия от 01.11.2022" in page
    assert "01.01.2026 – 31.12.2026" in page
    assert (
        "Пакет 2 — Извънболнична медицинска помощ · опция Луксозна · Клауза Б2 (без самоучастие)"
        in page
    )
    assert "Александър Димитров" in page
    assert "(учащ)" in page
    assert "Договор I-1" not in page


def test_member_home_in_english(client, world):
    page = _home(client, world.maria, "en")
    assert "My insurance" in page
    assert (
        "Package 3 — Hospital care · option Full · Clause Б1 (with co-payment on reimbursement)"
        in page
    )
    assert "Insured person / policyholder" in page


def test_employer_sees_group_contracts_with_head_counts(client, world):
    page = _home(client, world.employer)
    assert "Групови договори" in page
    assert "Работодател (групов застраховащ)" in page
    assert '<a href="/policies/G-1/">G-1</a>' in page
    assert "<td>10</td>" in page
    assert "F-1" not in page


@pytest.mark.parametrize(
    ("role", "title", "duty"),
    [
        (Role.UNDERWRITER, "Работно табло: Андеррайтър", "Заявления"),
        (Role.CLAIMS_ADJUSTER, "Работно табло: Ликвидатор на щети", "Претенции"),
        (Role.MEDICAL_EXPERT, "Работно табло: Медицински експерт", "Медицинска оценка"),
        (
            Role.SERVICE_COORDINATOR,
            "Работно табло: Координатор на услуги",
            "Услуги за застрахованите",
        ),
    ],
)
def test_staff_dashboards(client, world, role, title, duty):
    page = _home(client, make_user("staff", role, is_staff=True))
    assert title in page
    assert f"<h3>{duty}</h3>" in page
    assert 'href="/admin/"' in page
    assert 'Действащи договори</h2><p class="stat">3</p>' in page


def test_administrator_gets_back_office_and_catalog(client, world):
    page = _home(client, make_user("boss", Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    assert "<h1>Администрация</h1>" in page
    assert 'href="/admin/"' in page
    assert 'href="/products/"' in page


@pytest.mark.parametrize(
    ("role", "label"),
    [(Role.PARTNER, "Член на екипа на партньор"), (Role.SPECIALIST, "Специалист / терапевт")],
)
def test_partner_and_specialist_pages(client, settings, repo_dir, role, label):
    settings.PRODUCTS_DIR = repo_dir / "products"  # the partner's name is in Extra Care's data
    page = _home(client, make_user("p", role, partner_code="diagnose-me"))
    assert "Страница на партньора" in page
    assert label in page
    assert "<strong>Diagnose.me</strong>" in page  # the partner's name, never its code


@pytest.mark.parametrize(
    ("role", "links"),
    [
        pytest.param(
            Role.PARTNER,
            ["/extra-care/opinions/team/", "/extra-care/consultations/team/"],
            id="000-partner-team-queues",
        ),
        pytest.param(
            Role.SPECIALIST,
            ["/extra-care/opinions/assigned/", "/extra-care/consultations/sessions/"],
            id="000-specialist-assigned-work",
        ),
    ],
)
def test_the_menu_leads_each_role_to_its_extra_care_work(client, role, links):
    page = _home(client, make_user("someone", role))
    for link in links:
        assert f'href="{link}"' in page
