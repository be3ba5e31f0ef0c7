"""50 claims of one person submitted at the same moment never use more of a limit than there
is: the person's membership row is locked while each claim is decided (fetch.lock_claim), so
the engine sees every earlier decision. The limit here: one primary examination per disease
within 30 days (004 Чл.13) — of 50 examinations for the same illness, exactly one is paid."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from threading import Barrier

import pytest
from django.db import connection

from claims.builders import claim_input, line, stage
from zdrave.claims.actions.intake import submit_claim
from zdrave.claims.models import ClaimLine, Outcome

CLAIMS = 50
DOCS = ["claim-form", "ambulatory-sheet", "invoice", "fiscal-receipt"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_claims_never_exceed_a_limit_004_chl13(member, member_user):
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL: concurrent writers")
    for n in range(CLAIMS):
        stage(member_user, f"c{n:03d}", DOCS)
    barrier = Barrier(CLAIMS)

    def worker(n: int) -> str:
        examination = line(
            "2.1.a", days_ago=1 + n % 20, amount=Decimal("30.00") + n, invoice=f"INV-{n}"
        )
        data = claim_input(member, key=f"c{n:03d}", lines=[examination], diagnosis="J06.9")
        barrier.wait()
        try:
            return submit_claim(data, actor=member_user).status
        finally:
            connection.close()

    with ThreadPoolExecutor(CLAIMS) as pool:
        statuses = list(pool.map(worker, range(CLAIMS)))
    assert len(statuses) == CLAIMS
    paid = ClaimLine.objects.filter(member=member, service="2.1.a", payable__gt=0)
    assert paid.count() == 1
    assert statuses.count("payment_scheduled") == 1
    refused = ClaimLine.objects.filter(member=member, outcome=Outcome.REJECTED)
    assert refused.count() == CLAIMS - 1
    assert {r["clause"] for line in refused for r in line.reasons} == {"004 Чл.13"}
