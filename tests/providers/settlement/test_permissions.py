"""Who may bill, see and settle (``can_access_provider_settlement``): a provider only its own
institution's claims and statements; billing, claims adjusters and administrators all; every
other role nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contracts.factories import make_user
from providers.settlement.helpers import bill
from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import can_access_provider_settlement
from zdrave.providers.settlement import actions

STAFF = (Role.BILLING, Role.CLAIMS_ADJUSTER, Role.ADMINISTRATOR)
REFUSED = tuple(r for r in Role.values if r not in {*STAFF, Role.PROVIDER})


@pytest.fixture
def statement(clinic, institution, person, account, billing, today):
    bill(clinic, institution, person)
    return actions.close_month(today, actor=billing).statements[0]


@pytest.mark.parametrize("role", STAFF)
def test_staff_see_every_statement_and_the_settlement_page(client, role, statement):
    user = make_user(f"s-{role}", role)
    assert can_access_provider_settlement(user)
    client.force_login(user)
    assert client.get(reverse("settlement:staff")).status_code == 200
    assert client.get(reverse("settlement:statement", args=[statement.pk])).status_code == 200


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused(client, role, statement, institution):
    user = make_user(f"r-{role}", role)
    assert not can_access_provider_settlement(user)
    assert not can_access_provider_settlement(user, institution)
    client.force_login(user)
    assert client.get(reverse("settlement:staff")).status_code == 403
    assert client.get(reverse("settlement:provider")).status_code == 403
    assert client.get(reverse("settlement:statement", args=[statement.pk])).status_code == 404


def test_provider_sees_its_own_only(client, clinic, other_clinic, institution, statement):
    assert can_access_provider_settlement(clinic, institution)
    assert not can_access_provider_settlement(clinic)  # never the insurer's side
    client.force_login(clinic)
    page = client.get(reverse("settlement:provider"))
    assert page.status_code == 200
    assert statement.number in page.content.decode()
    assert client.get(reverse("settlement:statement", args=[statement.pk])).status_code == 200
    pdf = client.get(reverse("settlement:statement_pdf", args=[statement.pk]))
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("settlement:staff")).status_code == 403

    client.force_login(other_clinic)
    assert statement.number not in client.get(reverse("settlement:provider")).content.decode()
    assert client.get(reverse("settlement:statement", args=[statement.pk])).status_code == 404
    assert client.get(reverse("settlement:statement_csv", args=[statement.pk])).status_code == 404


def test_anonymous_goes_to_log_in(client, statement):
    assert client.get(reverse("settlement:provider")).status_code == 302
    assert client.get(reverse("settlement:staff")).status_code == 302
