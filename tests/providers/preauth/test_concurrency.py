"""Two medical experts approving two requests of the same person at the same moment: together
they may not exceed the limit (004 Чл.26 т.1). The person's membership row is locked first
(``claims.fetch.lock_member``), so the second approval reads the first one's held amount and is
refused."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from threading import Barrier

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from contracts.factories import make_user
from providers.preauth.conftest import ask
from zdrave.base.identity.models import Role
from zdrave.providers.preauth.actions import approve_request
from zdrave.providers.preauth.models import GuaranteeLetter, RequestStatus


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_cannot_exceed_the_limit_004_chl26_t1(
    clinic, member, institution, contract, expert
):
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL: concurrent writers")
    contract.aggregate_limit = Decimal("1000.00")
    contract.save(update_fields=["aggregate_limit"])
    first = ask(clinic, member, institution, amount="700.00")
    second = ask(clinic, member, institution, amount="600.00")
    expert2 = make_user("doctor2", Role.MEDICAL_EXPERT, email="expert2@insurer.bg")
    barrier = Barrier(2)

    def worker(job) -> str:
        request, actor = job
        barrier.wait()
        try:
            approve_request(request, actor=actor, amount=request.estimated_amount)
            return "approved"
        except ValidationError:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(worker, [(first, expert), (second, expert2)]))
    assert outcomes == ["approved", "refused"]
    assert GuaranteeLetter.objects.count() == 1
    held = sum(letter.held for letter in GuaranteeLetter.objects.all())
    assert held <= Decimal("1000.00")
    statuses = sorted(r.status for r in type(first).objects.filter(pk__in=[first.pk, second.pk]))
    assert statuses == sorted([RequestStatus.APPROVED, RequestStatus.SUBMITTED])
