"""The group sale's pages for every role: the public quote and apply, the link, staff pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contracts.factories import make_user
from policy_admin.groupsales.helpers import census_csv
from zdrave.base.identity.models import Role
from zdrave.policy_admin.sales.models import Application

pytestmark = pytest.mark.django_db


def _quote(client, n=10, **kw):

    today = timezone.localdate()
    start = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return client.post(
        reverse("groupsales:quote"),
        {
            "start": start.isoformat(),
            "instalments": "4",
            "census": SimpleUploadedFile("c.csv", census_csv(n, **kw), "text/csv"),
        },
    )


def test_quote_page_prices_the_census_and_offers_to_apply(client):
    response = client.get(reverse("groupsales:quote"))
    assert response.status_code == 200
    response = _quote(client)
    assert response.status_code == 200
    assert 'data-testid="group-yearly"' in response.content.decode()
    assert 'name="eik"' in response.content.decode()


def test_quote_page_lists_row_errors_and_offers_no_apply(client):
    response = _quote(client, bad_egn=True)
    body = response.content.decode()
    assert "1234567890" in body
    assert 'name="eik"' not in body


def test_apply_twice_with_one_key_is_one_application(client, mailoutbox):
    _quote(client)
    data = {
        "employer_name": "Фирма ООД",
        "eik": "121000061",
        "contact_name": "Мария",
        "email": "hr@firma.bg",
        "form_key": "k" * 32,
    }
    first = client.post(reverse("groupsales:apply"), data)
    assert first.status_code == 302
    second = client.post(reverse("groupsales:apply"), data)
    assert Application.objects.count() == 1
    assert second.status_code in (302, 400)
    assert client.get(reverse("groupsales:applied")).status_code == 200


def test_bad_eik_on_apply_names_the_field(client):
    _quote(client)
    response = client.post(
        reverse("groupsales:apply"),
        {
            "employer_name": "Ф",
            "eik": "121000062",
            "contact_name": "М",
            "email": "a@b.bg",
            "form_key": "x" * 32,
        },
    )
    assert response.status_code == 400
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.UNDERWRITER, 200), (Role.BILLING, 200), (Role.MEMBER, 403), (Role.EMPLOYER, 403)],
)
def test_staff_list_by_role(client, role, status):
    client.force_login(make_user("u", role))
    assert client.get(reverse("groupsales:staff_list")).status_code == status


def test_forged_link_is_404(client):
    assert client.get(reverse("groupsales:declare", args=["forged"])).status_code == 404
