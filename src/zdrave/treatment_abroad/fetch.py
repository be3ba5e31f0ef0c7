"""Reads of the treatment-abroad app: the cases a user may see (404 for the rest), the queue,
the Best Doctors memberships a member may open a case for, and the one lock order (the
person's membership, then the case)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zdrave.base.identity.permissions import (
    can_act_on_abroad_case,
    can_view_abroad_case,
    can_work_abroad_cases,
)
from zdrave.claims.abroad import abroad_members
from zdrave.claims.fetch import claimable_people, lock_member
from zdrave.contracts.models import ContractMember
from zdrave.treatment_abroad.models import AbroadCase
from zdrave.treatment_abroad.states import OPEN


def visible_cases(user) -> QuerySet[AbroadCase]:
    cases = AbroadCase.objects.select_related("member__person", "member__contract", "owner")
    if can_work_abroad_cases(user):
        return cases
    if not getattr(user, "is_authenticated", False):
        return cases.none()
    return cases.filter(Q(member__person__user=user) | Q(opened_by=user))


def access_case(user, number: str) -> AbroadCase:
    """The case ``number`` if ``user`` may see it; 404 otherwise (nobody learns what exists)."""
    case = visible_cases(user).filter(number=number).first()
    if case is None or not can_view_abroad_case(user, case):
        raise Http404(number)
    return case


def member_side(user, case: AbroadCase) -> bool:
    return can_act_on_abroad_case(user, case)


def openable_members(user, today: dt.date | None = None) -> list[ContractMember]:
    """The Best Doctors memberships in force that ``user`` may open a case for: their own and
    those they may claim for (``claims.fetch.claimable_people``)."""
    people = [p.pk for p in claimable_people(user)]
    return abroad_members(people, today or timezone.localdate()) if people else []


def has_abroad_cover(user) -> bool:
    return bool(openable_members(user)) or visible_cases(user).exists()


def queue(*, status: str = "", mine_of=None, overdue_only: bool = False) -> QuerySet[AbroadCase]:
    """Open cases by next deadline (none last), for the case managers."""
    today = timezone.localdate()
    cases = (
        AbroadCase.objects.filter(status__in=OPEN)
        .select_related("member__person", "owner")
        .annotate(open_tasks=Count("tasks", filter=Q(tasks__done_on__isnull=True)))
        .order_by("next_due", "opened", "id")
    )
    if status:
        cases = cases.filter(status=status)
    if mine_of is not None:
        cases = cases.filter(owner=mine_of)
    if overdue_only:
        cases = cases.filter(next_due__lt=today)
    return cases


def lock_case(case_id: int) -> AbroadCase:
    """The case, locked after its person's membership row (the claims app locks the same row
    first: one lock order for every limit the person uses)."""
    member_id = AbroadCase.objects.values_list("member_id", flat=True).get(pk=case_id)
    lock_member(member_id)
    return (
        AbroadCase.objects.select_for_update(of=("self",))
        .select_related("member__person", "member__contract")
        .get(pk=case_id)
    )
