"""Renewal's pages for every role: the holder sees and answers only their own offers and
proposals; the desk is for underwriters, billing and administrators; the underwriter alone
decides after a refusal (004 Чл.25 т.8). Bad answers get a message, never a 500."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contracts.factories import make_user
from policy_admin.renewal.conftest import ending_contract, group_contract
from zdrave.base.identity.models import Role
from zdrave.policy_admin.billing.actions import tasks
from zdrave.policy_admin.billing.models import BillingTask, TaskKind
from zdrave.policy_admin.renewal import actions
from zdrave.policy_admin.renewal.models import AnswerKind, OfferStatus


def client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def offer(holder_user):
    return actions.offer_renewal(ending_contract("R-1", user=holder_user))


def test_holder_sees_and_accepts_the_offer(holder_user, offer):
    c = client(holder_user)
    page = c.get(reverse("renewal:mine"))
    assert page.status_code == 200
    assert "R-1" in page.content.decode()
    detail = c.get(reverse("renewal:offer", args=[offer.pk]))
    assert "Accept the renewal" in detail.content.decode() or "Приемам" in detail.content.decode()
    assert c.get(reverse("renewal:offer_letter", args=[offer.pk])).content.startswith(b"%PDF")
    done = c.post(reverse("renewal:offer", args=[offer.pk]), {"answer": "accept"}, follow=True)
    assert done.status_code == 200
    c.post(reverse("renewal:offer", args=[offer.pk]), {"answer": "accept"})  # double submit
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert offer.new_contract.number in done.content.decode()


def test_a_bad_answer_is_a_message_not_a_500(holder_user, offer):
    page = client(holder_user).post(
        reverse("renewal:offer", args=[offer.pk]), {"answer": "maybe"}, follow=True
    )
    assert page.status_code == 200
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OFFERED


@pytest.mark.parametrize(
    ("role", "mine", "desk"),
    [
        (Role.MEMBER, 200, 403),
        (Role.EMPLOYER, 200, 403),
        (Role.UNDERWRITER, 403, 200),
        (Role.BILLING, 403, 200),
        (Role.ADMINISTRATOR, 403, 200),
        (Role.CLAIMS_ADJUSTER, 403, 403),
        (Role.MEDICAL_EXPERT, 403, 403),
        (Role.SERVICE_COORDINATOR, 403, 403),
        (Role.PROVIDER, 403, 403),
    ],
)
def test_access_by_role(db, role, mine, desk):
    c = client(make_user(f"u-{role}", role))
    assert c.get(reverse("renewal:mine")).status_code == mine
    assert c.get(reverse("renewal:desk")).status_code == desk


def test_another_member_gets_404_and_cannot_answer(offer, stranger):
    c = client(stranger)
    assert c.get(reverse("renewal:offer", args=[offer.pk])).status_code == 404
    assert (
        c.post(reverse("renewal:offer", args=[offer.pk]), {"answer": "accept"}).status_code == 404
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OFFERED


def test_staff_read_the_offer_but_do_not_answer(offer, underwriter):
    c = client(underwriter)
    assert c.get(reverse("renewal:offer", args=[offer.pk])).status_code == 200
    assert "R-1" in c.get(reverse("renewal:desk")).content.decode()
    assert (
        c.post(reverse("renewal:offer", args=[offer.pk]), {"answer": "accept"}).status_code == 404
    )


def test_repricing_answer_pages(employer, underwriter, billing_user):
    contract = group_contract(
        "G-9", user=employer, end=timezone.localdate() + dt.timedelta(days=90)
    )
    task = BillingTask.objects.create(
        kind=TaskKind.REPRICING, contract=contract, opened_on=timezone.localdate()
    )
    tasks.propose_repricing(task, actor=underwriter, premium=Decimal("900.00"))
    hr = client(employer)
    assert hr.get(reverse("renewal:proposal", args=[task.pk])).status_code == 200
    hr.post(reverse("renewal:proposal", args=[task.pk]), {"answer": "refuse"})
    answer = task.premium_answer
    assert answer.answer == AnswerKind.REFUSED
    assert client(billing_user).get(reverse("renewal:answer", args=[answer.pk])).status_code == 200
    refused = client(billing_user).post(
        reverse("renewal:answer", args=[answer.pk]), {"action": "keep", "note": "x"}
    )
    assert refused.status_code == 404  # billing looks on; the underwriter decides
    uw = client(underwriter)
    bad = uw.post(reverse("renewal:answer", args=[answer.pk]), {"action": "terminate"})
    assert bad.status_code == 200  # the form with its message
    done = uw.post(
        reverse("renewal:answer", args=[answer.pk]),
        {"action": "terminate", "effective_on": timezone.localdate().isoformat(), "note": ""},
    )
    assert done.status_code == 302
    answer.refresh_from_db()
    assert answer.outcome == "terminated"
    assert (
        client(make_user("x", Role.MEMBER))
        .get(reverse("renewal:proposal", args=[task.pk]))
        .status_code
        == 404
    )
