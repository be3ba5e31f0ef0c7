"""The daily checks (``zdrave abroad_daily`` and the worker's ``abroad_daily`` task) open tasks
for the case manager, never change a case: the pre-certificate run out (001 т.72.1–72.2), the
premiums unpaid (001 т.27.4, т.40 / 003 т.36), the contract ended (001 т.41 / 003 т.37), a step
overdue. A finding opens its task once; a person records the decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from treatment_abroad.test_case_path import issued_days_ago, opened, to_hospital_chosen
from zdrave.contracts.models import Contract, PremiumInstalment
from zdrave.treatment_abroad.actions import daily, money
from zdrave.treatment_abroad.models import AbroadCase, CaseStatus, CaseTask, TaskKind

S = CaseStatus
TODAY = timezone.localdate


def days_ago(n: int) -> dt.date:
    return TODAY() - dt.timedelta(days=n)


def _issued(member, manager, days: int):
    case = to_hospital_chosen(opened(member), manager, member.person.user)
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("10000.00"))
    return issued_days_ago(case, days)


def test_precertificate_run_out_opens_a_task_in_2019_terms_only(member, manager, version):
    """001 т.72.1–72.2: valid three months, then new versions; 003 sets no period."""
    case = _issued(member, manager, 100)
    opened_now = daily.run_daily_checks()
    tasks = CaseTask.objects.filter(case=case, kind=TaskKind.PRECERTIFICATE_EXPIRED)
    if version == "001":
        assert opened_now["precertificate_expired"] == 1
        assert tasks.get().clause == "001 т.72.1"
    else:
        assert not tasks.exists()
    case.refresh_from_db()
    assert case.status == S.PRECERTIFICATE_ISSUED  # a person decides; nothing moved


def test_unpaid_premium_during_the_case_is_a_task_not_a_stop(member, manager, version):
    """001 т.27.4 / т.40, 003 т.36: the insurer may stop the cover; a person decides."""
    case = opened(member)
    PremiumInstalment.objects.create(
        contract=member.contract, due=days_ago(40), amount=Decimal("300.00")
    )
    daily.run_daily_checks()
    task = CaseTask.objects.get(case=case, kind=TaskKind.PREMIUM_UNPAID)
    assert task.clause == ("001 т.40" if version == "001" else "003 т.36")
    assert task.detail == days_ago(40).isoformat()
    case.refresh_from_db()
    assert case.status == S.NOTIFIED


def test_unpaid_premium_within_the_30_days_is_not_flagged(member, manager):
    case = opened(member)
    PremiumInstalment.objects.create(
        contract=member.contract, due=days_ago(10), amount=Decimal("300.00")
    )
    daily.run_daily_checks()
    assert not CaseTask.objects.filter(case=case).exists()


def test_contract_ended_during_the_case(member, manager, version):
    """001 т.41, т.26 / 003 т.37: the case manager decides what the end means for the case."""
    case = _issued(member, manager, 10)
    Contract.objects.filter(pk=member.contract_id).update(terminated_on=days_ago(1))
    daily.run_daily_checks()
    task = CaseTask.objects.get(case=case, kind=TaskKind.CONTRACT_ENDED)
    assert task.clause == ("001 т.41" if version == "001" else "003 т.37")


def test_overdue_step_opens_one_task_however_often_the_check_runs(member, manager):
    case = opened(member)
    AbroadCase.objects.filter(pk=case.pk).update(next_due=days_ago(2))
    first = daily.run_daily_checks()
    second = daily.run_daily_checks()
    assert (first["overdue"], second["overdue"]) == (1, 0)
    task = CaseTask.objects.get(case=case)
    daily.resolve_task(task, actor=manager, decision="Обадих се на пациента.")
    # Closed by a person: the same finding is not reported again.
    assert daily.run_daily_checks()["overdue"] == 0
    task.refresh_from_db()
    assert (task.done_by, task.decision) == (manager, "Обадих се на пациента.")


def test_only_a_case_manager_records_the_decision(member, manager):
    case = opened(member)
    AbroadCase.objects.filter(pk=case.pk).update(next_due=days_ago(2))
    daily.run_daily_checks()
    task = CaseTask.objects.get(case=case)
    with pytest.raises(PermissionDenied):
        daily.resolve_task(task, actor=member.person.user, decision="x")
    with pytest.raises(ValidationError) as error:
        daily.resolve_task(task, actor=manager, decision="  ")
    assert "decision" in error.value.message_dict
    member_client = Client()
    member_client.force_login(member.person.user)
    url = reverse("treatment_abroad:resolve_task", args=[case.number, task.pk])
    assert member_client.post(url, {"decision": "x"}).status_code == 403
    manager_client = Client()
    manager_client.force_login(manager)
    page = manager_client.get(reverse("treatment_abroad:detail", args=[case.number]))
    assert "Tasks from the daily checks" in page.content.decode() or "задачи" in (
        page.content.decode().lower()
    )
    response = manager_client.post(url, {"decision": "Поисках документите отново."})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_on == TODAY()


def test_the_command_runs_the_checks_and_queues_the_next_run(member, manager, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    case = opened(member)
    AbroadCase.objects.filter(pk=case.pk).update(next_due=days_ago(2))
    call_command("abroad_daily", verbosity=0)
    assert CaseTask.objects.filter(case=case, kind=TaskKind.OVERDUE).count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="abroad_daily").count() == 1
    call_command("abroad_daily", verbosity=0)
    assert DBTaskResult.objects.filter(task_path__endswith="abroad_daily").count() == 1
