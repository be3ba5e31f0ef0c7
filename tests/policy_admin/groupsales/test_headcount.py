"""The quick group quote by head-count (issue 11): the same tariff as a census (004 Чл.24 т.2
group-size band, 004 Чл.1 age band, 004 Чл.25 т.2 instalments), the minimum group of 004 Чл.24
т.2 ("съвкупност от десет и повече лица"), bad input named by field, nothing stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from policy_admin.groupsales.helpers import census_csv
from zdrave.base.identity.roles import Role
from zdrave.contracts.identifiers import birth_date_from_egn
from zdrave.engine.calendar import age_in_years
from zdrave.policy_admin.groupsales import actions, headcount
from zdrave.policy_admin.groupsales.views import SESSION_ESTIMATE
from zdrave.policy_admin.sales.models import Applicant, Application

pytestmark = pytest.mark.django_db
CHOICES = [
    {"package": 1, "option": "full", "clause": "A"},
    {"package": 2, "option": "full", "clause": "Б1"},
]


def _start() -> dt.date:
    today = timezone.localdate()
    return dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)


def _post(client, **counts):
    data = {
        "start": _start().isoformat(),
        "instalments": "4",
        "pkg1": "full/A",
        "pkg2": "full/Б1",
        **{k: str(v) for k, v in counts.items()},
    }
    return client.post(reverse("groupsales:headcount"), data)


def test_004_chl24_t2_the_head_count_prices_as_the_census_of_the_same_people():
    """The census of eight employees and three children, and its head-count by age band: the
    same yearly premium, instalments and group band (004 Чл.24 т.2, Чл.1, Чл.25 т.2)."""
    start = _start()
    rows = actions.read_group_census("c.csv", census_csv(8, children=3), start=start).rows
    census = actions.price_group(rows, start=start, instalments=4)
    tariff = headcount.tariff_on(start)
    counts: dict[int, tuple[int, int]] = {}
    for row in rows:
        age = age_in_years(birth_date_from_egn(row["egn"]), start)
        index = next(i for i, b in enumerate(tariff.age_bands) if b.from_years <= age <= b.to_years)
        employees, family = counts.get(index, (0, 0))
        employee = row["role"] == "employee"
        counts[index] = (employees + employee, family + (not employee))
    found = headcount.estimate(
        start=start, instalments=4, choices=actions.choices_of(rows[0]), counts=counts
    )
    assert found.count == 11
    assert found.group_discount_percent == census.group_discount_percent == Decimal(5)
    assert found.yearly == census.yearly
    assert found.payable == census.payable
    assert found.instalments == census.instalments
    assert found.declarations_needed  # up to 20: declarations (004 Чл.23 т.1)


def test_004_chl24_t2_the_group_band_follows_the_head_count():
    start = _start()
    found = headcount.estimate(start=start, instalments=1, choices=CHOICES, counts={1: (21, 0)})
    assert found.group_discount_percent == Decimal(10)
    assert not found.declarations_needed  # over 20 with a company: 004 Чл.23 т.3


def test_004_chl24_t2_nine_people_are_not_a_group():
    """004 Чл.24 т.2: "съвкупност от десет и повече лица" (min_group_size: 10)."""
    with pytest.raises(ValidationError, match="004 Чл.24 т.2"):
        headcount.estimate(start=_start(), instalments=1, choices=CHOICES, counts={1: (9, 0)})
    assert headcount.minimum_size(_start()) == 10


def test_the_page_shows_per_person_total_and_per_instalment_and_keeps_the_estimate(client):
    response = _post(client, e1=10, f0=2)
    body = response.content.decode()
    assert response.status_code == 200
    for testid in (
        "estimate-count",
        "estimate-per-person",
        "estimate-yearly",
        "estimate-instalment",
    ):
        assert f'data-testid="{testid}"' in body
    assert "Илюстративна тарифа" in body  # the tariff's assumption, as on the other quotes
    assert client.session[SESSION_ESTIMATE]["count"] == 12
    # The census page shows the estimate until the census replaces it.
    assert 'data-testid="estimate-note"' in client.get(reverse("groupsales:quote")).content.decode()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"e1": "0"}, "10 или повече"),
        ({"e1": "-3"}, "Служители на възраст 18–39: броят хора не може да бъде отрицателен"),
        ({"e1": "99999"}, "Служители на възраст 18–39: най-много 5000"),
        ({"e1": "дванайсет"}, "Служители на възраст 18–39: въведете цяло число"),
        ({"f0": "2.5"}, "Членове на семейството на възраст 0–17: въведете цяло число"),
        ({"e1": "4000", "e2": "4000"}, "до 5000 души"),
    ],
)
def test_bad_counts_are_refused_naming_the_field(client, data, words):
    response = _post(client, **data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert SESSION_ESTIMATE not in client.session


def test_no_package_is_refused_naming_the_field(client):
    response = client.post(
        reverse("groupsales:headcount"),
        {"start": _start().isoformat(), "instalments": "1", "e1": "10"},
    )
    assert response.status_code == 400
    assert "Пакети: изберете поне един пакет." in response.content.decode()


def test_a_start_today_is_refused_naming_the_field(client):
    response = client.post(
        reverse("groupsales:headcount"),
        {
            "start": timezone.localdate().isoformat(),
            "instalments": "1",
            "e1": "10",
            "pkg2": "full/Б1",
        },
    )
    assert response.status_code == 400
    assert "004 Чл.24 т.3" in response.content.decode()


def test_double_submit_stores_nothing(client):
    _post(client, e1=12)
    _post(client, e1=12)
    assert Application.objects.count() == 0
    assert Applicant.objects.count() == 0


def test_the_census_replaces_the_estimate(client):
    _post(client, e1=12)
    response = client.post(
        reverse("groupsales:quote"),
        {
            "start": _start().isoformat(),
            "instalments": "4",
            "census": SimpleUploadedFile("c.csv", census_csv(10), "text/csv"),
        },
    )
    assert 'data-testid="estimate-replaced"' in response.content.decode()
    assert SESSION_ESTIMATE not in client.session


@pytest.mark.parametrize("role", ["", *Role])
def test_the_head_count_page_is_public_for_every_role(client, role):
    from contracts.factories import make_user

    if role:
        client.force_login(make_user("u", role))
    assert client.get(reverse("groupsales:headcount")).status_code == 200
