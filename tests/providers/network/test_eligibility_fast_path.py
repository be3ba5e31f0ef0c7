"""The eligibility check's one-statement read (issue 12, performance): on PostgreSQL
``fetch.health_membership`` reads the covers in force on the day, the premium schedule, the
paid lines and the agreed price with the membership, as JSON columns. Its answers must be
exactly those of the query-by-query read (the path SQLite takes) for every person, service and
day: waiting periods (004 Чл.24 т.5), a terminated contract (004 Чл.29 т.9), an unpaid
instalment (004 Чл.25 т.5), co-payment and limits used up by paid lines (004 Чл.26, 002 II),
pre-authorisation (002, the agreed price's flag), a cover changed by annex (004 Чл.27 т.2)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts.factories import contract_with, make_user
from zdrave.claims.catalogue import HEALTH
from zdrave.claims.models import Claim, ClaimLine
from zdrave.contracts import actions as contract_actions
from zdrave.contracts.models import Cover, PremiumInstalment
from zdrave.engine.adjudication.index import index_for
from zdrave.products.terms import terms
from zdrave.providers.network import actions, fetch
from zdrave.providers.network.front_desk import UnknownService, answer_for
from zdrave.providers.network.models import EligibilityCheck

PG = connection.vendor == "postgresql"


def _paid_line(contract, service: str, day: dt.date, payable: str, n: int) -> None:
    member = contract.members.get()
    claim = Claim.objects.create(
        number=f"CL-FAST-{contract.number}-{n}",
        contract=contract,
        member=member,
        kind="outpatient",
        form="subscription",
        submitted=day,
        status="paid",
        outcome="approved",
        payable=payable,
    )
    ClaimLine.objects.create(
        claim=claim, member=member, index=0, service=service, date=day, amount=payable,
        payable=payable, paid_quantity=1,
    )  # fmt: skip


@pytest.fixture
def people(institution, relations):
    """Five people, each a case the answer must carry the same way on both paths."""
    today = timezone.localdate()
    plain = contract_with(make_user("p1", email="p1@example.bg"), number="H-F1", extra_care=False)
    ended = contract_with(make_user("p2", email="p2@example.bg"), number="H-F2", extra_care=False)
    contract_actions.terminate_contract(ended, on=today, reason="mutual", by=None)
    used = contract_with(make_user("p3", email="p3@example.bg"), number="H-F3", extra_care=False)
    start = used.start
    for n, (service, payable) in enumerate(
        [("2.8.d", "80.00"), ("2.1.b", "60.00"), ("2.8.d", "5000.00"), ("2.2.a", "45.50")]
    ):
        _paid_line(used, service, start + dt.timedelta(days=2 + n), payable, n)
    unpaid = contract_with(make_user("p4", email="p4@example.bg"), number="H-F4", extra_care=False)
    PremiumInstalment.objects.create(
        contract=unpaid, due=today - dt.timedelta(days=10), amount=Decimal("55.00")
    )
    annexed = contract_with(make_user("p5", email="p5@example.bg"), number="H-F5", extra_care=False)
    old = Cover.objects.get(contract=annexed, product_code=HEALTH)
    change = today + dt.timedelta(days=10)
    Cover.objects.filter(pk=old.pk).update(valid_until=change - dt.timedelta(days=1))
    Cover.objects.create(
        contract=annexed, member=old.member, product_code=HEALTH,
        product_version=old.product_version, package=2, option="basic", clause="Б1",
        valid_from=change,
    )  # fmt: skip
    Cover.objects.create(
        contract=annexed, member=None, product_code=HEALTH,
        product_version=old.product_version, package=3, option="luxury", clause="Б2",
    )  # fmt: skip
    for service, flag in (("2.2.a", False), ("2.8.e", True), ("3.2.a", False)):
        actions.set_price(
            institution, actor=relations, service=service, price=Decimal("33.30"),
            needs_preauthorisation=flag,
        )  # fmt: skip
    return [c.members.get().person for c in (plain, ended, used, unpaid, annexed)]


def _answers(institution, person, service, day):
    """(query-by-query answer, one-statement answer) — the second is the first on SQLite."""
    slow = fetch.health_membership(day, egn=person.id_number)
    fast = fetch.health_membership(
        day, egn=person.id_number, institution=institution, service=service
    )
    out = []
    for member in (slow, fast):
        try:
            out.append(answer_for(institution, service, day, person=person, member=member))
        except UnknownService:
            out.append("unknown")
    return out


def test_same_answers_on_both_paths_for_many_people_services_and_days(institution, people):
    today = timezone.localdate()
    index = index_for(terms(HEALTH, Cover.objects.filter(package=2).first().product_version))
    services = sorted(index.services)[::5] + ["2.1.b", "2.8.d", "2.8.e", "3.2.a", "9.9.z"]
    days = [today - dt.timedelta(days=35), today - dt.timedelta(days=29), today,
            today + dt.timedelta(days=11), today + dt.timedelta(days=200)]  # fmt: skip
    compared = verdicts = 0
    seen = set()
    for person in people:
        for day in days:
            for service in services:
                slow, fast = _answers(institution, person, service, day)
                assert slow == fast, (person.id_number, service, day)
                if slow != "unknown":
                    # Byte for byte, as the API writes it.
                    as_json = json.dumps(dataclasses.asdict(slow), default=str, sort_keys=True)
                    assert as_json == json.dumps(
                        dataclasses.asdict(fast), default=str, sort_keys=True
                    )
                    seen.add(slow.verdict)
                    verdicts += 1
                compared += 1
    assert compared >= 500
    # The cases the fixture builds all show up.
    assert {"covered", "not_covered", "preauthorisation"} <= seen, seen


@pytest.mark.skipif(not PG, reason="the one-statement read is PostgreSQL's")
def test_the_check_reads_in_one_statement_and_logs_in_one_transaction(institution, clinic, people):
    person = people[2]
    day = timezone.localdate()
    with CaptureQueriesContext(connection) as queries:
        actions.check_eligibility(
            actor=clinic, institution=institution, service="2.1.b", day=day,
            egn=person.id_number, via_api=True,
        )  # fmt: skip
    sql = [q["sql"] for q in queries.captured_queries]
    reads = [s for s in sql if s.lstrip().upper().startswith("SELECT")]
    # The membership with everything else; one more per held-amount source (preauth).
    assert len(reads) <= 2, sql
    assert EligibilityCheck.objects.filter(person=person).count() == 1


def test_the_lean_api_path_answers_as_the_django_view(institution, clinic, people):
    """``GET /api/v1/eligibility/`` through the lean WSGI path (``network.lean``) and through
    Django's view: the same status and the same bytes for every person, service and day."""
    from providers.network.wsgi_calls import DJANGO, PROJECT, call

    key = actions.issue_token(actor=clinic)[1]
    today = timezone.localdate()
    services = ["2.1.b", "2.2.a", "2.8.d", "2.8.e", "3.2.a", "1.1.a", "9.9.z"]
    days = [today - dt.timedelta(days=29), today, today + dt.timedelta(days=11)]
    compared = answered = 0
    for n, person in enumerate(people):
        for day in days:
            for service in services:
                params = {"egn": person.id_number, "service": service, "date": day.isoformat()}
                language = ("bg", "en")[(n + compared) % 2]
                slow = call(DJANGO, params, key=key, language=language)
                fast = call(PROJECT, params, key=key, language=language)
                assert (slow[0], slow[2]) == (fast[0], fast[2]), (person.id_number, service, day)
                compared += 1
                answered += fast[0] == 200
    assert compared == 105
    assert answered >= 60
    # Each path logged every answered check (an unknown service is a 422, not logged).
    assert EligibilityCheck.objects.count() == 2 * answered
