"""Two case managers issuing the pre-certificate of one case at the same moment: exactly one is
issued and one reservation made against the limit (001 т.72, т.28); the other is refused —
the case row is locked (``fetch.lock_case``) and its status checked under the lock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from threading import Barrier

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from treatment_abroad.test_case_path import opened, to_hospital_chosen
from zdrave.treatment_abroad.actions.money import issue_precertificate
from zdrave.treatment_abroad.models import CaseCost, CaseStatus, CostStatus


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_case_managers_cannot_both_issue_a_precertificate_001_t72(member, manager, manager2):
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL: concurrent writers")
    case = to_hospital_chosen(opened(member), manager, member.person.user)
    barrier = Barrier(2)

    def worker(actor) -> str:
        barrier.wait()
        try:
            issue_precertificate(case, actor=actor, amount=Decimal("50000.00"))
            return "issued"
        except ValidationError:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(worker, [manager, manager2]))
    assert outcomes == ["issued", "refused"]
    case.refresh_from_db()
    assert case.status == CaseStatus.PRECERTIFICATE_ISSUED
    assert CaseCost.objects.filter(case=case, status=CostStatus.RESERVED).count() == 1
    assert case.events.filter(kind="precertificate_issued").count() == 1
