"""Preventive examinations for a group (004 Чл.30 т.3): the employer requests a period no later
than 6 months before the cover ends, the insurer schedules the provider, main dates and a
reserve date, and each employee sees their slot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts.factories import make_user
from zdrave.base.identity.models import Role
from zdrave.engine.contract_changes import examination_request_deadline
from zdrave.policy_admin.groups import actions
from zdrave.policy_admin.groups.fetch import member_slots
from zdrave.policy_admin.groups.forms import new_form_key
from zdrave.policy_admin.groups.models import ExaminationRequest, ExaminationStatus

from .helpers import today

pytestmark = pytest.mark.django_db


def ask(group, employer, *, on=None, key="k"):
    on = on or today()
    return actions.request_examinations(
        group,
        actor=employer,
        period_from=on + dt.timedelta(days=30),
        period_to=on + dt.timedelta(days=60),
        places="София",
        key=key,
        today=on,
    )


def test_004_chl30_t3_request_on_the_last_day_is_accepted_the_next_refused(group, employer):
    deadline = examination_request_deadline(group.end)
    assert ask(group, employer, on=deadline).status == ExaminationStatus.REQUESTED
    with pytest.raises(ValidationError) as refused:
        ask(group, employer, on=deadline + dt.timedelta(days=1), key="k2")
    assert "004 Чл.30 т.3" in str(refused.value)
    assert ExaminationRequest.objects.count() == 1


def test_same_request_twice_is_one(group, employer):
    assert ask(group, employer).pk == ask(group, employer).pk


def test_schedule_spreads_people_and_everyone_sees_a_reserve_date(group, employer):
    request = ask(group, employer)
    first = request.period_from
    actions.schedule_examinations(
        request,
        actor=None,
        provider="МЦ Тест",
        days=[first, first + dt.timedelta(days=1)],
        reserve=first + dt.timedelta(days=5),
    )
    request.refresh_from_db()
    assert request.status == ExaminationStatus.SCHEDULED
    assert request.slots.filter(reserve=False).count() == 12
    assert request.slots.filter(reserve=True).count() == 12
    assert request.slots.filter(reserve=False, day=first).count() == 6
    worker = make_user("worker", Role.MEMBER)
    member = group.members.select_related("person").first()
    member.person.user = worker
    member.person.save()
    assert [(s.day, s.reserve) for s in member_slots(worker)] == [
        (first, False),
        (first + dt.timedelta(days=5), True),
    ]


def test_schedule_outside_the_period_is_refused(group, employer):
    request = ask(group, employer)
    with pytest.raises(ValidationError):
        actions.schedule_examinations(
            request,
            actor=None,
            provider="МЦ Тест",
            days=[request.period_to + dt.timedelta(days=1)],
            reserve=request.period_from,
        )
    assert not request.slots.exists()


def test_pages_employer_requests_coordinator_schedules_member_sees(client, group, employer):
    client.force_login(employer)
    on = today()
    response = client.post(
        reverse("groups:request_examinations", args=[group.number]),
        {
            "period_from": (on + dt.timedelta(days=30)).isoformat(),
            "period_to": (on + dt.timedelta(days=60)).isoformat(),
            "places": "София",
            "form_key": new_form_key(),
        },
    )
    request = ExaminationRequest.objects.get()
    assert response["Location"] == reverse("groups:examinations", args=[group.number, request.pk])
    # The employer may not schedule.
    assert client.post(response["Location"], {"provider": "X"}).status_code == 403
    coordinator = make_user("coord", Role.SERVICE_COORDINATOR)
    client.force_login(coordinator)
    first = request.period_from
    client.post(
        response["Location"],
        {
            "provider": "МЦ Тест",
            "day1": first.isoformat(),
            "reserve": (first + dt.timedelta(days=3)).isoformat(),
        },
    )
    request.refresh_from_db()
    assert request.status == ExaminationStatus.SCHEDULED
    worker = make_user("worker2", Role.MEMBER)
    member = group.members.select_related("person").first()
    member.person.user = worker
    member.person.save()
    client.force_login(worker)
    page = client.get(reverse("groups:my_slots")).content.decode()
    assert first.strftime("%d.%m.%Y") in page
    assert "МЦ Тест" in page
    # A member cannot open the group's pages.
    assert client.get(response["Location"]).status_code == 404
