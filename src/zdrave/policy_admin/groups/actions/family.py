"""A family contract's holder, online (004 Чл.27 т.2, Чл.10): a spouse, partner or child added
by annex, or referred to the underwriter by their declaration; one taken off by annex."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.contracts.models import Contract, ContractMember, ContractType, Cover, MemberRole
from zdrave.policy_admin.groups import census as census_rules
from zdrave.policy_admin.groups.actions.annexes import Changes, check_contract, check_dates
from zdrave.policy_admin.groups.actions.declarations import check_declaration
from zdrave.policy_admin.groups.actions.people import add_person, checked_newcomer, remove_person
from zdrave.policy_admin.groups.models import Annex, FamilyRequest
from zdrave.policy_admin.sales.models import Decision


def add_family_member(
    contract: Contract,
    person: dict,
    *,
    answers: dict[str, bool | None],
    signer_name: str,
    actor,
    effective: dt.date,
    key: str,
    notified_on: dt.date | None = None,
) -> Annex | FamilyRequest:
    """The holder of a family contract adds a spouse, partner or child by annex from 00:00 of
    ``effective`` (004 Чл.27 т.2: notified no later than a month after the contract was made;
    the person at least 3 months old, 004 Чл.7, and a child under 18, Чл.24 т.2, as the census
    rules check), with the health declaration answered (Чл.10) and the pro-rata premium for the
    rest of the term as an extra instalment. A "yes" the terms refer (004 Чл.9) makes no annex
    yet: a ``FamilyRequest`` for the underwriter (``decide_family_request``, 004 Чл.10).
    ``notified_on``: the day the insurer received the request (a paper one by post), today
    online."""
    if contract.type != ContractType.FAMILY:
        raise ValidationError({"__all__": _("Annex: this is not a family contract.")})
    done = Annex.objects.filter(key=key, contract=contract).first()
    if done is not None:
        return done
    asked = FamilyRequest.objects.filter(key=key, contract=contract).first()
    if asked is not None:
        return asked
    if person.get("role") not in (MemberRole.SPOUSE, MemberRole.COHABITANT, MemberRole.CHILD):
        raise ValidationError({"role": _("Role: a spouse, a cohabiting partner or a child.")})
    if not (signer_name or "").strip():
        raise ValidationError(
            {"signer_name": _("Name of who fills in the declaration: required to sign.")}
        )
    referred = check_declaration(contract, answers)
    row = {**person, **family_packages(contract)}
    if referred:
        return _refer_family_member(
            contract,
            row,
            answers=answers,
            referred=referred,
            signer_name=signer_name,
            actor=actor,
            effective=effective,
            key=key,
            notified_on=notified_on or timezone.localdate(),
        )
    annex = add_person(
        contract, row, actor=actor, effective=effective, key=key, notified_on=notified_on
    )
    record(
        actor=actor,
        verb="declaration.signed",
        obj=annex,
        person=person.get("egn", ""),
        answers={k: v for k, v in answers.items() if v is not None},
        signer_name=signer_name.strip(),
    )
    return annex


def _refer_family_member(
    contract, row, *, answers, referred, signer_name, actor, effective, key, notified_on
) -> FamilyRequest:
    """Checked now as the annex would be — the person (census rules), the dates on the day the
    holder asks (004 Чл.27 т.2, Чл.24 т.4) — so that the underwriter only weighs the risk."""
    found = checked_newcomer(contract, row, effective)
    changes = Changes([found], [], [])
    check_dates(contract, changes, notified_on=notified_on, effective=effective)
    check_contract(contract, changes, effective)
    if FamilyRequest.objects.filter(
        contract=contract, decision=Decision.PENDING, person__egn=found["egn"]
    ).exists():
        raise ValidationError(
            {"egn": _("ЕГН: a request for this person already waits for the underwriter.")}
        )
    person = {k: row.get(k, "") for k in ("egn", "first_name", "middle_name", "last_name", "role")}
    with transaction.atomic():
        Contract.objects.select_for_update().get(pk=contract.pk)
        asked = FamilyRequest.objects.filter(key=key).first()
        if asked is not None:
            return asked
        request = FamilyRequest.objects.create(
            contract=contract,
            person=person,
            answers={k: v for k, v in answers.items() if v is not None},
            referred=[{"key": q.key, "clause": q.clause} for q in referred],
            signer_name=signer_name.strip(),
            notified_on=notified_on,
            effective=effective,
            key=key,
            requested_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record(
            actor=actor,
            verb="family_request.referred",
            obj=request,
            contract=contract.number,
            person=person["egn"],
            referred=[q.key for q in referred],
            effective=effective,
        )
        record(
            actor=actor,
            verb="declaration.signed",
            obj=request,
            person=person["egn"],
            answers=request.answers,
            signer_name=request.signer_name,
        )
    return request


def family_packages(contract: Contract) -> dict[str, str]:
    """The newcomer takes the family's cover: the contract's own, else the holder's."""
    base = census_rules.group_packages(contract)
    if not base:
        own = (
            Cover.objects.current()
            .filter(contract=contract, member__role=MemberRole.HOLDER)
            .exclude(package=None)
        )
        base = {c.package: (c.option, c.clause) for c in own}
    clauses = {c for _o, c in base.values()}
    return {
        "packages": ", ".join(str(p) for p in sorted(base)),
        "option": next(iter(base.values()), ("", ""))[0],
        "clause": clauses.pop() if len(clauses) == 1 else "",
    }


def remove_family_member(member: ContractMember, *, actor, effective: dt.date, key: str) -> Annex:
    """The holder takes a spouse, partner or child off their family contract by annex: covered
    until the day before ``effective`` (004 Чл.27 т.2), the unused premium credited. The holder
    stays: a contract without them is ended, not changed."""
    if member.contract.type != ContractType.FAMILY:
        raise ValidationError({"__all__": _("Annex: this is not a family contract.")})
    if member.role == MemberRole.HOLDER:
        raise ValidationError(
            {"member": _("Insured person: the policyholder cannot be removed by annex.")}
        )
    return remove_person(member, actor=actor, effective=effective, key=key)
