"""A change of package, option or clause by annex applies from 00:00 of its effective day
(004 Чл.27 т.2): the old cover stays in force until the day before, so a claim for a service
before the change is decided on the old cover and one from the change day on the new; the
provider's front desk sees the cover of the day of the visit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from claims.builders import line, submit
from contracts.factories import make_user
from zdrave.base.identity.roles import Role
from zdrave.claims.display import claim_page
from zdrave.claims.fetch import case_for
from zdrave.claims.letters import decision_letter, letter_html
from zdrave.contracts.models import ContractMember, Cover, PremiumInstalment
from zdrave.policy_admin.groups import actions
from zdrave.providers.network.fetch import insured_on

from .helpers import today

pytestmark = pytest.mark.django_db

EFFECTIVE_DAYS_AGO = 10


@pytest.fixture(autouse=True)
def _tasks_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def employee_with_account(group):
    PremiumInstalment.objects.filter(contract=group).update(
        paid_amount=F("amount"), paid_on=group.start
    )
    member = ContractMember.objects.filter(contract=group).select_related("person").first()
    user = make_user("employee1")
    member.person.user = user
    member.person.save(update_fields=["user"])
    return member, user


def change_to_b2_full(group, member, *, effective: dt.date, key: str = "c1"):
    person = member.person
    row = {
        "member": member.pk,
        "egn": person.id_number,
        "first_name": person.first_name,
        "middle_name": "",
        "last_name": person.last_name,
        "role": "employee",
        "packages": {"2": "Б2", "3": "Б2"},
        "option": "full",
        "before": {"packages": {"2": "Б1", "3": "Б1"}, "option": "basic"},
    }
    return actions.make_annex(
        group,
        actions.Changes(added=[], removed=[], changed=[row]),
        actor=None,
        notified_on=effective - dt.timedelta(days=1),
        effective=effective,
        key=key,
    )


def packages_on(member, day):
    return {
        c.package: (c.option, c.clause)
        for c in Cover.objects.on(day).filter(member=member).order_by("package")
    }


def test_004_chl27_t2_change_closes_the_old_cover_the_day_before(group):
    member, _user = employee_with_account(group)
    effective = today() - dt.timedelta(days=EFFECTIVE_DAYS_AGO)
    change_to_b2_full(group, member, effective=effective)
    own = Cover.objects.filter(member=member)
    assert own.count() == 2
    assert {c.valid_from for c in own} == {effective}
    # The day before: only the group's covers (basic Б1); from the day: her own (full Б2).
    assert packages_on(member, effective - dt.timedelta(days=1)) == {}
    assert packages_on(member, effective) == {2: ("full", "Б2"), 3: ("full", "Б2")}


def test_004_chl27_t2_second_change_closes_the_first_and_keeps_its_days(group):
    member, _user = employee_with_account(group)
    first = today() - dt.timedelta(days=20)
    second = today() - dt.timedelta(days=EFFECTIVE_DAYS_AGO)
    change_to_b2_full(group, member, effective=first, key="c1")
    row_back = {
        "member": member.pk,
        "egn": member.person.id_number,
        "role": "employee",
        "packages": {"2": "Б1", "3": "Б1"},
        "option": "full",
    }
    actions.make_annex(
        group,
        actions.Changes(added=[], removed=[], changed=[row_back]),
        actor=None,
        notified_on=second - dt.timedelta(days=1),
        effective=second,
        key="c2",
    )
    assert packages_on(member, second - dt.timedelta(days=1)) == {
        2: ("full", "Б2"),
        3: ("full", "Б2"),
    }
    assert packages_on(member, second) == {2: ("full", "Б1"), 3: ("full", "Б1")}
    closed = Cover.objects.filter(member=member, valid_until__isnull=False)
    assert {c.valid_until for c in closed} == {second - dt.timedelta(days=1)}


def test_004_chl27_t2_claim_before_the_change_day_is_decided_on_the_old_cover(group):
    member, user = employee_with_account(group)
    effective = today() - dt.timedelta(days=EFFECTIVE_DAYS_AGO)
    change_to_b2_full(group, member, effective=effective)
    before = submit(member, user, key="b", days_ago=EFFECTIVE_DAYS_AGO + 1, invoice="0000000001")
    on_day = submit(member, user, key="a", days_ago=EFFECTIVE_DAYS_AGO, invoice="0000000002")
    old = case_for(before).covers
    new = case_for(on_day).covers
    assert (old[2].option, old[2].clause) == ("basic", "Б1")
    assert (new[2].option, new[2].clause) == ("full", "Б2")
    # 002 II.8: an MRI is not in option basic, it is in option full.
    refused = before.lines.get()
    assert refused.payable == Decimal("0.00")
    assert [r["code"] for r in refused.reasons] == ["service-not-in-option"]
    assert on_day.lines.get().payable > Decimal("0.00")


def test_front_desk_sees_the_cover_of_the_visit_day(group):
    member, _user = employee_with_account(group)
    effective = today() - dt.timedelta(days=EFFECTIVE_DAYS_AGO)
    change_to_b2_full(group, member, effective=effective)
    member = ContractMember.objects.select_related("contract", "person").get(pk=member.pk)
    old = insured_on(member, day=effective - dt.timedelta(days=1)).case.covers
    new = insured_on(member, day=effective).case.covers
    assert (old[2].option, old[2].clause) == ("basic", "Б1")
    assert (new[2].option, new[2].clause) == ("full", "Б2")


# ---- one claim, lines on both sides of an annex: each line on its own day's cover -------------


def reasons_of(row):
    return [(r["code"], r["clause"]) for r in row.reasons]


def test_004_chl27_t2_lines_straddling_an_upgrade_are_each_decided_on_their_day(group):
    """Basic Б1 until the day before the annex, full Б2 from it (002 II: reimbursement limits
    200 / 300 лв = 102.26 / 153.39 EUR a year). The insurance year is the contract's, so the
    line after the annex has the higher limit less what the line before used (004 Чл.26 т.1;
    docs/decisions.md, "Claim lines across an annex")."""
    member, user = employee_with_account(group)
    effective = today() - dt.timedelta(days=EFFECTIVE_DAYS_AGO)
    change_to_b2_full(group, member, effective=effective)
    found = submit(
        member,
        user,
        key="two",
        lines=[
            line("2.8.c", days_ago=EFFECTIVE_DAYS_AGO + 1, invoice="0000000001"),
            line("2.10.b", days_ago=EFFECTIVE_DAYS_AGO, invoice="0000000002"),
        ],
    )
    before, after = found.lines.order_by("index")
    # Before: basic Б1 — 150 billed, 20 % co-payment (002 II.Б т.3), capped at 102.26.
    assert (before.copay, before.payable) == (Decimal("30.00"), Decimal("102.26"))
    assert reasons_of(before) == [("yearly-limit", "002 II.Б"), ("copayment", "002 II.Б т.3")]
    # After: full Б2 — no co-payment; 153.39 − 102.26 already used = 51.13.
    assert (after.copay, after.payable) == (Decimal("0.00"), Decimal("51.13"))
    assert reasons_of(after) == [("yearly-limit", "002 II.Б")]
    assert found.payable == Decimal("153.39")
    # The letter and the claim's page say which cover each line was decided on.
    letter = decision_letter(found, "en")
    assert [line.cover for line in letter.lines] == [
        "Outpatient care, option Basic, clause Б1: both forms, co-payment on reimbursement",
        "Outpatient care, option Full, clause Б2: both forms, no co-payment",
    ]
    with translation.override("bg"):
        page = claim_page(found, user)
    assert [line.cover for line in page.lines][1].startswith("Извънболнична")
    assert "опция" in page.lines[1].cover
    html = letter_html(letter)
    assert html.count("Decided on the cover") == 2
    # The limit left after the claim is the full option's, from the annex on (002 II.Б).
    outpatient = [x for x in letter.limits if x.what == "reimbursement of expenses"]
    assert [(x.limit, x.used) for x in outpatient] == [(Decimal("153.39"), Decimal("153.39"))]


def test_the_adjuster_sees_the_cover_of_each_line_on_the_review_page(group, client):
    member, user = employee_with_account(group)
    effective = today() - dt.timedelta(days=EFFECTIVE_DAYS_AGO)
    change_to_b2_full(group, member, effective=effective)
    found = submit(
        member,
        user,
        key="two",
        lines=[
            line("2.8.c", days_ago=EFFECTIVE_DAYS_AGO + 1, invoice="0000000001"),
            line("2.10.b", days_ago=EFFECTIVE_DAYS_AGO, invoice="0000000002"),
        ],
    )
    client.force_login(make_user("adjuster1", Role.CLAIMS_ADJUSTER))
    page = client.get(reverse("claims:review", args=[found.number]))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("Решено по покритието") == 2
    assert text.count("клауза Б1") == 1
    assert text.count("клауза Б2") == 1


def test_004_chl29_t9_line_after_the_last_day_of_a_removed_person_is_refused(group, employer):
    member, user = employee_with_account(group)
    actions.remove_person(member, actor=employer, effective=today() - dt.timedelta(days=5), key="r")
    found = submit(
        member,
        user,
        key="gone",
        lines=[
            line("2.8.c", days_ago=6, invoice="0000000001"),
            line("2.10.b", days_ago=5, invoice="0000000002"),
        ],
    )
    last_day, after = found.lines.order_by("index")
    assert last_day.payable > Decimal("0.00")
    assert after.payable == Decimal("0.00")
    assert reasons_of(after) == [("after-termination", "004 Чл.29 т.9")]
