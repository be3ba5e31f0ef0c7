"""The back office of claims: read-mostly for support staff; the medical parts of a claim only
for the health-data roles, and their views logged."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claims.staff_data import IBAN, submit
from zdrave.base.audit.models import AuditEvent
from zdrave.base.identity.models import Role, User


@pytest.fixture
def claim(member, member_user):
    return submit(member, member_user, key="admin", amount="80.00")


def _staff(client, username: str, role: str):
    user = User.objects.create_user(username, f"{username}@insurer.bg", None, role=role)
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client.force_login(user)
    return client


def test_a_service_coordinator_sees_status_and_payment_but_no_medical_part(client, claim):
    client = _staff(client, "coord", Role.SERVICE_COORDINATOR)
    listing = client.get(reverse("admin:claims_claim_changelist"))
    detail = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert (listing.status_code, detail.status_code) == (200, 200)
    assert claim.number in listing.text
    assert IBAN in detail.text  # the payment: where the money went
    for medical in ("M54.5", "болки в кръста", "МЦ Здраве", "2.8.e"):
        assert medical not in detail.text
        assert medical not in listing.text
    assert not AuditEvent.objects.filter(verb="admin_view_health_data").exists()
    # Read-mostly: nothing is added, changed or deleted here.
    assert client.get(reverse("admin:claims_claim_add")).status_code == 403
    assert client.post(reverse("admin:claims_claim_delete", args=[claim.pk])).status_code == 403


def test_a_claims_adjuster_sees_the_medical_part_and_the_view_is_logged(client, claim):
    client = _staff(client, "adj", Role.CLAIMS_ADJUSTER)
    detail = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert detail.status_code == 200
    assert "M54.5" in detail.text
    assert "2.8.e" in detail.text
    event = AuditEvent.objects.get(verb="admin_view_health_data")
    assert (event.actor.username, event.object_id) == ("adj", str(claim.pk))


def test_payments_and_batches_are_read_only(client, claim):
    client = _staff(client, "boss", Role.ADMINISTRATOR)
    payment = claim.payments.get()
    assert client.get(reverse("admin:claims_payment_changelist")).status_code == 200
    detail = client.get(reverse("admin:claims_payment_change", args=[payment.pk]))
    assert detail.status_code == 200
    assert claim.number in detail.text
    assert client.get(reverse("admin:claims_paymentbatch_changelist")).status_code == 200
    assert client.get(reverse("admin:claims_payment_add")).status_code == 403
    assert client.get(reverse("admin:claims_paymentbatch_add")).status_code == 403
