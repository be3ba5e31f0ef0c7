"""Which contracts and insured people a user may see: the role rules of
``zdrave.base.identity.permissions`` applied to contract rows (the holder, the family, the
employer's group)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import (
    has_role,
    is_signed_in,
    sees_all_health_data,
    sees_every_contract,
)
from zdrave.contracts.models import Contract, ContractType, InsuredPerson, MemberRole
from zdrave.engine.calendar import age_in_years

FAMILY_ROLES = frozenset(
    {MemberRole.SPOUSE, MemberRole.COHABITANT, MemberRole.CHILD, MemberRole.HOLDER}
)
ADULT_AGE = 18


def visible_contracts(user) -> QuerySet[Contract]:
    """The contracts ``user`` may open."""
    contracts = Contract.objects.all()
    if not is_signed_in(user):
        return contracts.none()
    if sees_every_contract(user):
        return contracts
    if user.role == Role.EMPLOYER:
        return contracts.filter(type=ContractType.GROUP, holder__users=user).distinct()
    if user.role == Role.MEMBER:
        return contracts.filter(Q(holder__users=user) | Q(members__person__user=user)).distinct()
    return contracts.none()


def can_view_contract(user, contract: Contract) -> bool:
    return visible_contracts(user).filter(pk=contract.pk).exists()


def contract_for(user, number: str) -> Contract:
    """The contract ``number`` if ``user`` may open it; 404 otherwise, so a member cannot learn
    which contract numbers exist."""
    contract = visible_contracts(user).filter(number=number).first()
    if contract is None:
        raise Http404(number)
    return contract


def can_view_person(user, person: InsuredPerson) -> bool:
    """Name, identity, contracts and covers of ``person`` (not their health data)."""
    if not is_signed_in(user):
        return False
    if sees_every_contract(user):
        return True
    if person.user_id == user.pk:
        return True
    if user.role == Role.EMPLOYER:
        return person.memberships.filter(
            contract__type=ContractType.GROUP, contract__holder__users=user
        ).exists()
    if user.role == Role.MEMBER:
        return person.memberships.filter(
            contract__type=ContractType.FAMILY, contract__holder__users=user, role__in=FAMILY_ROLES
        ).exists()
    return False


def can_view_health_data(user, person: InsuredPerson, *, today: dt.date | None = None) -> bool:
    """Claims, diagnoses, medical files of ``person``."""
    if not is_signed_in(user):
        return False
    if sees_all_health_data(user):
        return True
    if user.role != Role.MEMBER:
        return False
    if person.user_id == user.pk:
        return True
    return (
        _is_minor(person, today)
        and person.memberships.filter(
            contract__type=ContractType.FAMILY, contract__holder__users=user, role=MemberRole.CHILD
        ).exists()
    )


def _is_minor(person: InsuredPerson, today: dt.date | None) -> bool:
    return age_in_years(person.birth_date, today or timezone.localdate()) < ADULT_AGE


def visible_people(user, contract: Contract) -> list[InsuredPerson]:
    """The people on ``contract`` that ``user`` may see, in contract order."""
    people = [m.person for m in contract.members.select_related("person")]
    return [p for p in people if can_view_person(user, p)]


def may_download_family_file(user, medical_file) -> bool:
    """A medical file of someone whose health data ``user`` may see as a member (the holder of
    a family contract, for a child under 18 on it); registered in
    ``zdrave.base.identity.permissions.can_access_medical_file`` by ``ContractsConfig``."""
    if not has_role(user, Role.MEMBER):
        return False
    owner = InsuredPerson.objects.filter(user_id=medical_file.owner_id).first()
    return owner is not None and can_view_health_data(user, owner)
