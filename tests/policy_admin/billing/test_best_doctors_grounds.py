"""The daily check of Best Doctors grounds (``actions.grounds``): one task per contract and
ground for billing staff, with the clause and the last day it gives, closed when the ground goes
away; it never ends a contract.

- unpaid premium (001 т.27.4 / 003 т.24 в)): open from the day after the due date to the 30th
  day after it (the last day of cover); paid, the task closes; on day 31 the cover stops by
  itself and the lapse task takes over;
- misrepresentation (001 т.27.3): the medical expert's opinion finds a pre-existing condition;
  one month from that day to terminate; 003 has no such clause, its insurer may give three
  months' notice (003 т.24 б)) at any time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contracts.factories import make_user
from policy_admin.billing.test_best_doctors_lapse import best_doctors_contract, second
from policy_admin.billing.test_best_doctors_termination import OLD_TERMS, yearly
from zdrave.base.audit.models import AuditEvent
from zdrave.base.identity.models import Role
from zdrave.claims.actions.decide import code_diagnosis
from zdrave.claims.models import Claim, ClaimForm, ClaimKind, ClaimStatus
from zdrave.contracts import actions
from zdrave.contracts.models import Contract, ContractStatus
from zdrave.engine.calendar import add_months
from zdrave.policy_admin.billing.actions.grounds import follow_best_doctors_grounds
from zdrave.policy_admin.billing.actions.termination import terminate
from zdrave.policy_admin.billing.models import BillingTask, TaskKind, TaskStatus
from zdrave.policy_admin.billing.tasks import run_daily

DAY = dt.timedelta(days=1)
TODAY = timezone.localdate
NOTHING = {"bd_unpaid": 0, "bd_misrepresentation": 0, "bd_grounds_closed": 0}


def tasks_of(contract, kind):
    return list(BillingTask.objects.filter(contract=contract, kind=kind).order_by("id"))


# --- unpaid premium: 001 т.27.4 / 003 т.24 в) ---------------------------------------------


@pytest.mark.parametrize(
    ("after_due", "opened"),
    [
        pytest.param(0, 0, id="001-t27.4-due-date-not-past"),
        pytest.param(1, 1, id="001-t27.4-day-after-due-opens"),
        pytest.param(30, 1, id="001-t27.4-day-30-last-day-of-cover"),
        pytest.param(31, 0, id="001-t27.4-day-31-cover-stopped-lapse-instead"),
    ],
)
def test_unpaid_premium_opens_one_task_from_the_day_after_the_due_date(db, after_due, opened):
    contract = best_doctors_contract()
    due = second(contract).due
    on = due + after_due * DAY
    assert follow_best_doctors_grounds(on)["bd_unpaid"] == opened
    found = tasks_of(contract, TaskKind.BD_UNPAID)
    assert len(found) == opened
    if opened:
        (task,) = found
        assert (task.clause, task.deadline, task.status) == ("001 т.27.4", due + 30 * DAY, "open")
        assert task.instalment == second(contract)
    # The check never changes the contract.
    contract.refresh_from_db()
    assert (contract.status, contract.terminated_on) == (ContractStatus.IN_FORCE, None)


def test_unpaid_task_is_opened_once_and_closed_when_paid_001_t27_4(db):
    contract = best_doctors_contract()
    item = second(contract)
    follow_best_doctors_grounds(item.due + DAY)
    assert follow_best_doctors_grounds(item.due + 2 * DAY) == NOTHING  # idempotent
    assert follow_best_doctors_grounds(item.due + 2 * DAY) == NOTHING
    assert len(tasks_of(contract, TaskKind.BD_UNPAID)) == 1
    actions.record_premium_payment(item, item.due + 3 * DAY, item.amount, by=None)
    assert follow_best_doctors_grounds(item.due + 4 * DAY)["bd_grounds_closed"] == 1
    (task,) = tasks_of(contract, TaskKind.BD_UNPAID)
    assert (task.status, task.closed_on) == (TaskStatus.CLOSED, item.due + 4 * DAY)
    assert "001 т.27.4" in task.note
    # Paid: the same instalment never opens a second task.
    assert follow_best_doctors_grounds(item.due + 5 * DAY) == NOTHING


def test_unpaid_task_closes_when_the_cover_stops_and_the_lapse_task_follows_001_t27_4(db):
    contract = best_doctors_contract()
    item = second(contract)
    run_daily(item.due + 30 * DAY)
    (task,) = tasks_of(contract, TaskKind.BD_UNPAID)
    assert task.is_open
    done = run_daily(item.due + 31 * DAY)
    assert (done["lapsed"], done["bd_grounds_closed"]) == (1, 1)
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED
    assert "lapse" in task.note
    assert len(tasks_of(contract, TaskKind.LAPSE)) == 1


def test_unpaid_under_003_cites_t24_v(db):
    contract = best_doctors_contract("BD-301")
    Contract.objects.filter(pk=contract.pk).update(product_version=OLD_TERMS)
    contract.refresh_from_db()
    follow_best_doctors_grounds(second(contract).due + DAY)
    (task,) = tasks_of(contract, TaskKind.BD_UNPAID)
    assert task.clause == "003 т.24 в)"


# --- misrepresentation: 001 т.27.3; 003 т.24 б) -----------------------------------------------


def claim_on(contract) -> Claim:
    member = contract.members.get()
    return Claim.objects.create(
        contract=contract,
        member=member,
        kind=ClaimKind.BEST_DOCTORS,
        form=ClaimForm.REIMBURSEMENT,
        status=ClaimStatus.REFERRED_MEDICAL,
        submitted=TODAY() - 5 * DAY,
        diagnosis_text="рак на гърдата",
    )


def find_pre_existing(claim, *, learned_on=None, circumstances=("pre-existing",)) -> Claim:
    """The medical expert's opinion through the claims action (``code_diagnosis``), dated."""
    expert = make_user(f"dr-{claim.pk}-{len(circumstances)}", Role.MEDICAL_EXPERT)
    code_diagnosis(claim, actor=expert, icd10="C50.4", circumstances=list(circumstances))
    if learned_on is not None:
        at = timezone.make_aware(dt.datetime.combine(learned_on, dt.time(10)))
        AuditEvent.objects.filter(verb="claim_diagnosis_coded", object_id=str(claim.pk)).update(
            at=at
        )
    return claim


@pytest.mark.parametrize(
    ("days_after", "opened"),
    [
        pytest.param(0, 1, id="001-t27.3-learned-today"),
        pytest.param(None, 1, id="001-t27.3-last-day-of-the-month"),
        pytest.param(-1, 0, id="001-t27.3-month-over-right-gone"),
    ],
)
def test_a_pre_existing_finding_opens_a_misrepresentation_task_001_t27_3(db, days_after, opened):
    contract = yearly()
    learned = TODAY() - 10 * DAY
    deadline = add_months(learned, 1)
    on = learned if days_after == 0 else deadline if days_after is None else deadline + DAY
    find_pre_existing(claim_on(contract), learned_on=learned)
    assert follow_best_doctors_grounds(on)["bd_misrepresentation"] == opened
    found = tasks_of(contract, TaskKind.BD_MISREPRESENTATION)
    assert len(found) == opened
    if opened:
        (task,) = found
        assert (task.clause, task.learned_on, task.deadline) == ("001 т.27.3", learned, deadline)
    contract.refresh_from_db()
    assert contract.terminated_on is None


def test_misrepresentation_task_closes_when_the_month_ends_001_t27_3(db):
    contract = yearly()
    learned = TODAY() - 3 * DAY
    find_pre_existing(claim_on(contract), learned_on=learned)
    follow_best_doctors_grounds(learned)
    deadline = add_months(learned, 1)
    assert follow_best_doctors_grounds(deadline)["bd_grounds_closed"] == 0
    assert follow_best_doctors_grounds(deadline + DAY)["bd_grounds_closed"] == 1
    (task,) = tasks_of(contract, TaskKind.BD_MISREPRESENTATION)
    assert task.status == TaskStatus.CLOSED
    assert "001 т.27.3" in task.note
    # Closed, it is not opened again for the same finding.
    assert follow_best_doctors_grounds(deadline + 2 * DAY) == NOTHING


def test_no_finding_no_task_and_one_task_per_contract_for_two_findings(db):
    contract = yearly()
    find_pre_existing(claim_on(contract), circumstances=("no-symptoms",))
    assert follow_best_doctors_grounds() == NOTHING
    find_pre_existing(claim_on(contract))
    find_pre_existing(claim_on(contract))
    assert follow_best_doctors_grounds()["bd_misrepresentation"] == 1
    assert follow_best_doctors_grounds() == NOTHING
    assert len(tasks_of(contract, TaskKind.BD_MISREPRESENTATION)) == 1


def test_under_003_the_finding_leads_to_notice_without_a_deadline_003_t24_b(db):
    contract = yearly("BD-503", terms="003")
    find_pre_existing(claim_on(contract))
    follow_best_doctors_grounds()
    (task,) = tasks_of(contract, TaskKind.BD_MISREPRESENTATION)
    assert (task.clause, task.deadline) == ("003 т.24 б)", None)


def test_the_decision_on_the_termination_page_closes_the_task_001_t27_3(db):
    contract = yearly()
    billing = make_user("cveta", Role.BILLING)
    find_pre_existing(claim_on(contract))
    follow_best_doctors_grounds()
    terminate(
        contract,
        kind="bd-misrepresentation",
        effective_on=TODAY(),
        actor=billing,
        since=TODAY(),
    )
    (task,) = tasks_of(contract, TaskKind.BD_MISREPRESENTATION)
    assert task.status == TaskStatus.TERMINATED
    assert follow_best_doctors_grounds() == NOTHING  # terminated: nothing to check


def test_the_command_runs_the_check(db):
    contract = best_doctors_contract()
    call_command("billing_daily", "--on", (second(contract).due + DAY).isoformat(), "--no-schedule")
    assert len(tasks_of(contract, TaskKind.BD_UNPAID)) == 1


# --- pages and roles ------------------------------------------------------------------------


@pytest.fixture
def misrep_task(db):
    contract = yearly()
    find_pre_existing(claim_on(contract), learned_on=TODAY() - 2 * DAY)
    follow_best_doctors_grounds()
    return BillingTask.objects.get(kind=TaskKind.BD_MISREPRESENTATION)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        pytest.param(Role.BILLING, 200, id="billing"),
        pytest.param(Role.ADMINISTRATOR, 200, id="administrator"),
        pytest.param(Role.UNDERWRITER, 404, id="underwriter"),
        pytest.param(Role.CLAIMS_ADJUSTER, 403, id="adjuster"),
        pytest.param(Role.MEDICAL_EXPERT, 403, id="medical-expert"),
        pytest.param(Role.CASE_MANAGER, 403, id="case-manager"),
        pytest.param(Role.MEMBER, 403, id="member"),
        pytest.param(Role.EMPLOYER, 403, id="employer"),
    ],
)
def test_who_sees_and_decides_a_ground_task(client, misrep_task, role, status):
    client.force_login(make_user(f"u-{role}", role))
    url = reverse("billing:task", args=[misrep_task.pk])
    assert client.get(url).status_code == status
    response = client.post(url, {"action": "keep", "note": "Декларирано устно."})
    assert response.status_code == (302 if status == 200 else status)
    misrep_task.refresh_from_db()
    assert misrep_task.is_open == (status != 200)


def test_the_task_page_links_to_the_termination_page_with_the_ground(client, misrep_task):
    client.force_login(make_user("cveta", Role.BILLING))
    desk = client.get(reverse("billing:desk")).content.decode()
    assert reverse("billing:task", args=[misrep_task.pk]) in desk
    assert "001 т.27.3" in desk
    page = client.get(reverse("billing:task", args=[misrep_task.pk])).content.decode()
    assert misrep_task.deadline.strftime("%d.%m.%Y") in page
    since = misrep_task.learned_on.isoformat()
    link = f"kind=bd-misrepresentation&amp;since={since}"
    assert link in page
    form = client.get(
        reverse("billing:contract", args=[misrep_task.contract.number])
        + f"?kind=bd-misrepresentation&since={since}"
    ).content.decode()
    assert 'value="bd-misrepresentation" selected' in form
    assert f'value="{since}"' in form


def test_keeping_needs_a_reason_and_terminating_from_the_task_is_refused(client, misrep_task):
    client.force_login(make_user("cveta", Role.BILLING))
    url = reverse("billing:task", args=[misrep_task.pk])
    response = client.post(url, {"action": "keep", "note": ""})
    assert response.status_code == 200
    assert response.context["note_form"].errors["note"]  # the reason is required
    bad = client.post(url, {"action": "terminate", "effective_on": TODAY().isoformat()})
    assert bad.status_code == 404
    assert client.get(reverse("billing:task_letter", args=[misrep_task.pk])).status_code == 404
    misrep_task.refresh_from_db()
    assert misrep_task.is_open


def test_a_kept_contract_is_not_reopened(db, misrep_task):
    misrep_task.status = TaskStatus.CLOSED
    misrep_task.save()
    assert follow_best_doctors_grounds() == NOTHING
    assert BillingTask.objects.filter(kind=TaskKind.BD_MISREPRESENTATION).count() == 1
