"""Every write to contracts, people and covers. Each action validates first (a translated
``ValidationError`` naming the field), then writes inside one transaction with an audit row per
state change, so a refused request leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record, record_change
from zdrave.contracts.identifiers import check_egn, check_eik
from zdrave.contracts.models import (
    Contract,
    ContractMember,
    ContractStatus,
    ContractType,
    Cover,
    HolderKind,
    InsuredPerson,
    PolicyHolder,
)
from zdrave.contracts.validation import (
    check_contract_terms,
    check_cover_terms,
    check_identity,
    check_member_role,
    check_sold_with,
)
from zdrave.products import terms

# 004 Чл.24 т.2: "съвкупност от десет и повече лица".
GROUP_MINIMUM = 10


def register_person(
    *,
    actor,
    first_name: str,
    last_name: str,
    id_kind: str,
    id_number: str,
    middle_name: str = "",
    birth_date: dt.date | None = None,
    sex: str = "",
    email: str = "",
    user=None,
) -> InsuredPerson:
    number, birth, derived_sex = check_identity(id_kind, id_number, birth_date, sex)
    if not first_name.strip() or not last_name.strip():
        field = "first_name" if not first_name.strip() else "last_name"
        raise ValidationError({field: _("Name: first and last name are required.")})
    if InsuredPerson.objects.filter(id_kind=id_kind, id_number=number).exists():
        raise ValidationError(
            {"id_number": _("Identity number: this person is already registered.")}
        )
    with transaction.atomic():
        person = InsuredPerson.objects.create(
            first_name=first_name.strip(),
            middle_name=middle_name.strip(),
            last_name=last_name.strip(),
            id_kind=id_kind,
            id_number=number,
            birth_date=birth,
            sex=derived_sex,
            email=email,
            user=user,
        )
        record(actor=actor, verb="person.registered", obj=person, id_kind=id_kind)
    return person


def create_holder(
    *,
    actor,
    kind: str,
    name: str,
    identifier: str,
    person: InsuredPerson | None = None,
    users: Iterable = (),
) -> PolicyHolder:
    """A company holder is identified by its ЕИК; a person holder by ЕГН."""
    if kind == HolderKind.COMPANY:
        try:
            identifier = check_eik(identifier)
        except ValidationError as exc:
            raise ValidationError({"identifier": exc.messages}) from None
    else:
        try:
            identifier = check_egn(identifier)
        except ValidationError as exc:
            raise ValidationError({"identifier": exc.messages}) from None
    if PolicyHolder.objects.filter(kind=kind, identifier=identifier).exists():
        raise ValidationError({"identifier": _("ЕИК / ЕГН: this policyholder already exists.")})
    with transaction.atomic():
        holder = PolicyHolder.objects.create(
            kind=kind, name=name, identifier=identifier, person=person
        )
        holder.users.set(list(users))
        record(actor=actor, verb="holder.created", obj=holder, kind=kind)
    return holder


def create_contract(
    *,
    actor,
    number: str,
    type: str,  # noqa: A002 - the insurer's word for it
    holder: PolicyHolder,
    product_code: str,
    start: dt.date,
    end: dt.date,
    product_version: dt.date | None = None,
) -> Contract:
    """A draft contract under the product version on sale on ``start`` (or the one named)."""
    if type not in ContractType.values:
        raise ValidationError(
            {"type": _("Contract type: choose individual, family or group (004 Чл.12).")}
        )
    if product_version is None:
        product_version = _version_on_sale(product_code, start)
    check_contract_terms(product_code, product_version, start, end)
    if Contract.objects.filter(number=number).exists():
        raise ValidationError(
            {"number": _("Contract number: %(number)s is already used.") % {"number": number}}
        )
    with transaction.atomic():
        contract = Contract.objects.create(
            number=number,
            type=type,
            holder=holder,
            product_code=product_code,
            product_version=product_version,
            start=start,
            end=end,
        )
        record(
            actor=actor,
            verb="contract.created",
            obj=contract,
            product=product_code,
            version=product_version,
            start=start,
            end=end,
        )
    return contract


def add_member(
    contract: Contract,
    person: InsuredPerson,
    role: str,
    *,
    actor,
    covered_from: dt.date | None = None,
    student: bool = False,
) -> ContractMember:
    check_member_role(contract.type, role, contract.members.count())
    covered_from = covered_from or contract.start
    if not contract.start <= covered_from <= contract.end:
        raise ValidationError(
            {
                "covered_from": _(
                    "Covered from: the date must fall within the contract (%(start)s – %(end)s)."
                )
                % {"start": contract.start.isoformat(), "end": contract.end.isoformat()}
            }
        )
    if contract.members.filter(person=person).exists():
        raise ValidationError({"person": _("Person: already on this contract.")})
    with transaction.atomic():
        member = ContractMember.objects.create(
            contract=contract, person=person, role=role, covered_from=covered_from, student=student
        )
        record(actor=actor, verb="member.added", obj=member, contract=contract.number, role=role)
    return member


def add_cover(
    contract: Contract,
    *,
    actor,
    product_code: str,
    member: ContractMember | None = None,
    package: int | None = None,
    option: str = "",
    clause: str = "",
    product_version: dt.date | None = None,
) -> Cover:
    if member is not None and member.contract_id != contract.pk:
        raise ValidationError({"member": _("Insured person: not on this contract.")})
    if product_version is None:
        if product_code == contract.product_code:
            product_version = contract.product_version
        else:
            product_version = _version_on_sale(product_code, contract.start)
    check_cover_terms(product_code, product_version, package, option, clause)
    check_sold_with(product_code, product_version, contract)
    with transaction.atomic():
        cover = Cover.objects.create(
            contract=contract,
            member=member,
            product_code=product_code,
            product_version=product_version,
            package=package,
            option=option,
            clause=clause,
        )
        record(
            actor=actor,
            verb="cover.added",
            obj=cover,
            contract=contract.number,
            product=product_code,
            package=package,
            option=option,
            clause=clause,
        )
    return cover


def put_in_force(contract: Contract, *, actor) -> Contract:
    """A draft with at least one insured person and one cover comes into force."""
    if contract.status != ContractStatus.DRAFT:
        raise ValidationError({"status": _("Status: only a draft contract can be put in force.")})
    if not contract.members.exists():
        raise ValidationError({"members": _("Insured persons: a contract needs at least one.")})
    if not contract.covers.exists():
        raise ValidationError({"covers": _("Covers: a contract needs at least one.")})
    if contract.type == ContractType.GROUP and contract.members.count() < GROUP_MINIMUM:
        raise ValidationError(
            {
                "members": _(
                    "Insured persons: a group contract insures ten or more people (004 Чл.24 т.2)."
                )
            }
        )
    with transaction.atomic():
        record_change(
            contract, "status", ContractStatus.IN_FORCE, actor=actor, verb="contract.status_changed"
        )
    return contract


def _version_on_sale(product_code: str, day: dt.date) -> dt.date:
    """The version of ``product_code`` on sale on ``day``; refused on the product field when
    none is."""
    try:
        return terms.version_in_force(product_code, day).effective_from
    except terms.UnknownTerms:
        raise ValidationError(
            {
                "product_code": _("Product: no version of %(code)s is on sale on %(start)s.")
                % {"code": product_code, "start": day.isoformat()}
            }
        ) from None
