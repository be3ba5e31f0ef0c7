"""Reads for the group pages: which group contracts a user may administer (``contracts.visibility``
applies the role rules: the employer sees only its own group), the census as rows, annexes,
examination slots. ``access_*`` raise 404 so nobody learns what exists."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.identity.permissions import (
    can_change_family_contract,
    can_change_group,
    can_open_family_request,
    can_schedule_examinations,
)
from zdrave.contracts.models import Contract, ContractStatus, ContractType, InsuredPerson
from zdrave.contracts.visibility import visible_contracts
from zdrave.policy_admin.groups.census import current_census
from zdrave.policy_admin.groups.models import (
    Annex,
    CensusUpload,
    ExaminationRequest,
    ExaminationSlot,
    FamilyRequest,
)
from zdrave.policy_admin.sales.fetch import QueueRow
from zdrave.policy_admin.sales.models import Decision


def group_contracts(user):
    """The group contracts ``user`` may administer or schedule examinations for."""
    if not (can_change_group(user) or can_schedule_examinations(user)):
        return Contract.objects.none()
    return (
        visible_contracts(user)
        .filter(type=ContractType.GROUP)
        .exclude(status=ContractStatus.DRAFT)
        .select_related("holder")
        .order_by("number")
    )


def access_group(user, number: str) -> Contract:
    contract = group_contracts(user).filter(number=number).first()
    if contract is None:
        raise Http404(number)
    return contract


def family_contracts(user):
    """The family contracts in force ``user`` holds (004 Чл.24 т.2, Чл.27 т.2)."""
    if not can_change_family_contract(user):
        return Contract.objects.none()
    return (
        Contract.objects.filter(
            type=ContractType.FAMILY, status=ContractStatus.IN_FORCE, holder__users=user
        )
        .select_related("holder")
        .order_by("number")
    )


def access_family(user, number: str) -> Contract:
    contract = family_contracts(user).filter(number=number).first()
    if contract is None:
        raise Http404(number)
    return contract


def access_annex(user, number: str) -> Annex:
    annex = Annex.objects.select_related("contract__holder").filter(number=number).first()
    if annex is None or not (
        group_contracts(user).filter(pk=annex.contract_id).exists()
        or family_contracts(user).filter(pk=annex.contract_id).exists()
    ):
        raise Http404(number)
    return annex


def access_upload(user, contract: Contract, pk: int) -> CensusUpload:
    upload = CensusUpload.objects.filter(contract=contract, pk=pk).first()
    if upload is None:
        raise Http404(pk)
    return upload


def access_request(user, contract: Contract, pk: int) -> ExaminationRequest:
    found = ExaminationRequest.objects.filter(contract=contract, pk=pk).first()
    if found is None:
        raise Http404(pk)
    return found


def census_rows(contract: Contract, on: dt.date | None = None) -> list[dict]:
    """The group's people in force on ``on`` (default today), as census rows in ЕГН order of
    joining."""
    return list(current_census(contract, on or timezone.localdate()).values())


def member_slots(user) -> list[ExaminationSlot]:
    """The signed-in member's own preventive-examination dates (004 Чл.30 т.3)."""
    if not user.is_authenticated:
        return []
    person = InsuredPerson.objects.filter(user=user).first()
    if person is None:
        return []
    return list(
        ExaminationSlot.objects.filter(member__person=person)
        .select_related("request__contract")
        .order_by("day", "reserve")
    )


def access_family_request(user, pk: int) -> FamilyRequest:
    """A referred family member (004 Чл.10): its holder or an underwriter, else 404."""
    request = (
        FamilyRequest.objects.select_related("contract__holder", "annex").filter(pk=pk).first()
    )
    if request is None or not can_open_family_request(user, request):
        raise Http404(pk)
    return request


def waiting_family_requests() -> list[QueueRow]:
    """The underwriter's queue rows (``sales.fetch.register_queue_source``): family members
    referred by annex, not decided yet (004 Чл.10, Чл.27 т.2)."""
    return [
        QueueRow(
            name=r.full_name,
            reference=r.contract.number,
            sent_on=r.notified_on,
            url=reverse("groups:family_request", args=[r.pk]),
            kind=str(_("Family member by annex")),
        )
        for r in FamilyRequest.objects.filter(decision=Decision.PENDING).select_related("contract")
    ]
