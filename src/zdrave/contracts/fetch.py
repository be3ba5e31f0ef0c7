"""Reads for pages: contracts described in words, in the active language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zdrave.contracts.models import Clause, Contract, Cover, InsuredPerson, MemberRole, Option
from zdrave.contracts.visibility import visible_people
from zdrave.products import terms


@dataclass(frozen=True)
class CoverView:
    product: str
    text: str  # "Package 2 — Outpatient care · option Full · clause Б1"
    person: str | None  # None: covers everyone on the contract


@dataclass(frozen=True)
class PersonView:
    name: str
    role: str
    covered_from: dt.date
    student: bool
    covered_until: dt.date | None = None  # removed by annex (004 Чл.27 т.2)


@dataclass(frozen=True)
class ContractView:
    contract: Contract
    product: str
    version: dt.date
    people: list[PersonView] = field(default_factory=list)
    covers: list[CoverView] = field(default_factory=list)
    head_count: int = 0


def product_name(code: str, version: dt.date) -> str:
    try:
        return terms.terms(code, version).name.get(get_language() or "bg")
    except terms.UnknownTerms:
        return code


def describe_cover(cover: Cover) -> CoverView:
    product = product_name(cover.product_code, cover.product_version)
    person = cover.member.person.full_name if cover.member_id else None
    if not cover.package:
        return CoverView(product=product, text=product, person=person)
    package_name = ""
    try:
        package = terms.terms(cover.product_code, cover.product_version).package(cover.package)
        if package is not None:
            package_name = package.name.get(get_language() or "bg")
    except terms.UnknownTerms:
        pass
    parts = [
        _("Package %(number)s") % {"number": cover.package}
        + (f" — {package_name}" if package_name else "")
    ]
    if cover.option:
        parts.append(_("option %(option)s") % {"option": Option(cover.option).label})
    if cover.clause:
        parts.append(str(Clause(cover.clause).label))
    return CoverView(product=product, text=" · ".join(parts), person=person)


def describe_contract(contract: Contract, user) -> ContractView:
    """``contract`` as the user may see it: only the people they may see, and the covers that
    apply to the contract or to those people."""
    people = visible_people(user, contract)
    visible_ids = {p.pk for p in people}
    members = [m for m in contract.members.select_related("person") if m.person_id in visible_ids]
    covers = [
        describe_cover(c)
        # Covers ended by an annex before today are history (004 Чл.27 т.2).
        for c in contract.covers.exclude(valid_until__lt=timezone.localdate()).select_related(
            "member__person"
        )
        if c.member_id is None or c.member.person_id in visible_ids
    ]
    return ContractView(
        contract=contract,
        product=product_name(contract.product_code, contract.product_version),
        version=contract.product_version,
        people=[
            PersonView(
                m.person.full_name,
                str(MemberRole(m.role).label),
                m.covered_from,
                m.student,
                m.covered_until,
            )
            for m in members
        ],
        covers=covers,
        head_count=contract.members.count(),
    )


def person_of(user) -> InsuredPerson | None:
    return InsuredPerson.objects.filter(user=user).first() if user.is_authenticated else None


def member_email(user) -> str:
    """The address to offer a member on a form: their account's, else their insured person's."""
    if user.email:
        return user.email
    person = InsuredPerson.objects.filter(user=user).only("email").first()
    return person.email if person else ""
