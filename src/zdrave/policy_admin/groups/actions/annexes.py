"""The annex (004 Чл.27 т.2, Чл.24 т.4): the people it adds, removes and changes from 00:00 of
its effective day, with the pro-rata premium for the rest of the year. Applied whole or not at
all; the same submission twice makes one annex (its ``key``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from stdnum.bg import egn as stdnum_egn

from zdrave.base.audit.models import AuditEvent, record
from zdrave.contracts.actions import GROUP_MINIMUM, add_premium_instalment
from zdrave.contracts.models import (
    Contract,
    ContractMember,
    ContractStatus,
    ContractType,
    Cover,
    IdKind,
    InsuredPerson,
    Sex,
)
from zdrave.engine.contract_changes import (
    Change,
    DateRefusal,
    check_effective,
    covered_until,
    premium_difference,
)
from zdrave.policy_admin.groups import census as census_rules
from zdrave.policy_admin.groups.bulk import aware_now_for_db, insert_rows, pks_by
from zdrave.policy_admin.groups.models import Annex, AnnexLine, ChangeKind

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Changes:
    """What an annex does: census-style rows to add and change, members to remove."""

    added: list[dict]
    removed: list[dict]  # {"member": pk, "egn", names...}
    changed: list[dict]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


# -- dates and money ----------------------------------------------------------------------------


def check_dates(contract: Contract, changes: Changes, *, notified_on: dt.date, effective: dt.date):
    """004 Чл.27 т.2 and Чл.24 т.4 for each kind of change present; refused on ``effective``."""
    kinds = []
    if changes.added:
        kinds.append(Change.ADD)
    if changes.removed or changes.changed:
        kinds.append(Change.REMOVE)
    for kind in kinds:
        found = check_effective(
            kind,
            notice=notified_on,
            effective=effective,
            start=contract.start,
            end=contract.end,
            family=contract.type == ContractType.FAMILY,
        )
        if not found.ok:
            raise ValidationError({"effective": _date_message(found, contract)})


def _date_message(found, contract: Contract) -> str:
    earliest = found.earliest.strftime("%d.%m.%Y") if found.earliest else ""
    if found.refusal is DateRefusal.BEFORE_NOTICE:
        return _(
            "In force from: a person joins from 00:00 of the day after the notice at the "
            "earliest, %(date)s (004 Чл.24 т.4, Чл.27 т.2)."
        ) % {"date": earliest}
    if found.refusal is DateRefusal.NOTICE_TOO_LATE:
        return _(
            "In force from: a change is notified within 7 days, so it can take effect from "
            "%(date)s at the earliest (004 Чл.24 т.4)."
        ) % {"date": earliest}
    if found.refusal is DateRefusal.FAMILY_TOO_LATE:
        return _(
            "In force from: family members join no later than one month after the contract "
            "is concluded (004 Чл.27 т.2)."
        )
    return _("In force from: the date must fall within the contract (%(start)s – %(end)s).") % {
        "start": contract.start.strftime("%d.%m.%Y"),
        "end": contract.end.strftime("%d.%m.%Y"),
    }


def annual_premium_per_person(contract: Contract) -> Decimal:
    """The year's premium of one person of ``contract``: its scheduled premium over the people
    insured from its start (the tariff by package is the sales app's; docs/decisions.md)."""
    total = contract.instalments.filter(annex__isnull=True).aggregate(total=Sum("amount"))
    at_start = contract.members.filter(covered_from=contract.start).count()
    if not total["total"] or not at_start:
        return ZERO
    return (total["total"] / at_start).quantize(Decimal("0.01"))


# -- the annex ----------------------------------------------------------------------------------


def make_annex(
    contract: Contract,
    changes: Changes,
    *,
    actor,
    notified_on: dt.date,
    effective: dt.date,
    key: str,
) -> Annex:
    """The annex that adds, removes and changes the people in ``changes`` from 00:00 of
    ``effective`` (004 Чл.27 т.2), with the pro-rata premium for the rest of the year: an extra
    instalment for what is owed, a credit on the annex for what is returned. All or nothing;
    ``key`` makes a second submission return the first annex."""
    if not changes:
        raise ValidationError({"__all__": _("Annex: there is nothing to change.")})
    check_dates(contract, changes, notified_on=notified_on, effective=effective)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        found = Annex.objects.filter(key=key).first()
        if found is not None:
            return found
        check_contract(locked, changes, effective)
        annex = _write_annex(locked, changes, actor, notified_on, effective, key)
    return annex


def check_contract(contract: Contract, changes: Changes, effective: dt.date) -> None:
    """Refused unless ``contract`` is in force on ``effective`` and can take ``changes``: a group
    keeps ten or more people (004 Чл.24 т.2), and nobody insured on it before rejoins by annex."""
    if contract.status != ContractStatus.IN_FORCE or (
        contract.terminated_on is not None and effective >= contract.terminated_on
    ):
        raise ValidationError({"__all__": _("Annex: only a contract in force can be changed.")})
    if contract.type == ContractType.GROUP:
        staying = (
            census_rules.members_in_force(contract, effective).count()
            - len(changes.removed)
            + len(changes.added)
        )
        if staying < GROUP_MINIMUM:
            raise ValidationError(
                {
                    "__all__": _(
                        "Annex: a group contract insures ten or more people; after this change "
                        "it would have %(count)s (004 Чл.24 т.2)."
                    )
                    % {"count": staying}
                }
            )
    wanted = {r["egn"] for r in changes.added}
    again = wanted & set(
        ContractMember.objects.filter(contract=contract, person__id_kind=IdKind.EGN).values_list(
            "person__id_number", flat=True
        )
    )
    if again:
        raise ValidationError(
            {
                "__all__": _(
                    "Annex: %(egn)s was insured on this contract before; a person rejoins by an "
                    "underwriter's decision, not by annex."
                )
                % {"egn": ", ".join(sorted(again)[:5])}
            }
        )


def _write_annex(contract, changes: Changes, actor, notified_on, effective, key) -> Annex:
    annual = annual_premium_per_person(contract)
    span = {"start": contract.start, "end": contract.end, "effective": effective}
    count = Annex.objects.filter(contract=contract).count()
    annex = Annex.objects.create(
        contract=contract,
        number=f"{contract.number}-A{count + 1:03d}",
        notified_on=notified_on,
        effective=effective,
        premium_difference=ZERO,
        key=key,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    base = census_rules.group_packages(contract)
    members = _add_people(contract, changes.added, effective)
    lines: list[Line] = []
    add_premium = premium_difference(annual, Change.ADD, **span)
    for row in changes.added:
        lines.append(_line(annex, ChangeKind.ADDED, members[row["egn"]], row, add_premium))
    removal = premium_difference(annual, Change.REMOVE, **span)
    last_day = covered_until(effective)
    removed_ids = [r["member"] for r in changes.removed]
    ContractMember.objects.filter(pk__in=removed_ids).update(covered_until=last_day)
    for row in changes.removed:
        lines.append(_line(annex, ChangeKind.REMOVED, row["member"], row, removal))
    changed_ids = [r["member"] for r in changes.changed]
    if changed_ids:
        close_covers(Cover.objects.filter(member_id__in=changed_ids), effective)
    for row in changes.changed:
        lines.append(_line(annex, ChangeKind.CHANGED, row["member"], row, ZERO))
    own = [(members[r["egn"]], r) for r in changes.added] + [
        (r["member"], r) for r in changes.changed
    ]
    insert_rows(
        Cover,
        [
            "contract",
            "member",
            "product_code",
            "product_version",
            "package",
            "option",
            "clause",
            "valid_from",
        ],
        (
            (
                contract.pk,
                member_id,
                contract.product_code,
                contract.product_version,
                int(package),
                row["option"],
                clause,
                effective,
            )
            for member_id, row in own
            if not _same_as_group(row, base)
            for package, clause in row["packages"].items()
        ),
    )
    insert_rows(
        AnnexLine,
        ["annex", "change", "member", "name", "packages", "option", "clause", "before", "premium"],
        ((annex.pk, *line) for line in lines),
    )
    total = sum((line.premium for line in lines), start=ZERO)
    annex.premium_difference = total
    if total > ZERO:
        annex.instalment = add_premium_instalment(
            contract, max(effective, notified_on), total, by=actor, reason=annex.number
        )
    annex.save(update_fields=["premium_difference", "instalment"])
    record(
        actor=actor,
        verb="annex.made",
        obj=annex,
        contract=contract.number,
        effective=effective,
        notified_on=notified_on,
        added=len(changes.added),
        removed=len(changes.removed),
        changed=len(changes.changed),
        premium_difference=total,
    )
    who = actor.pk if actor is not None and actor.is_authenticated else None
    at = aware_now_for_db()
    insert_rows(
        AuditEvent,
        ["actor", "verb", "object_type", "object_id", "at", "details"],
        (
            (
                who,
                f"member.{line.change}_by_annex",
                "contracts.contractmember",
                str(line.member_id),
                at,
                {
                    "annex": annex.number,
                    "effective": effective.isoformat(),
                    "covered_until": last_day.isoformat()
                    if line.change == ChangeKind.REMOVED
                    else None,
                },
            )
            for line in lines
        ),
    )
    return annex


def close_covers(covers, effective: dt.date) -> None:
    """End ``covers`` (a queryset) at 00:00 of ``effective`` (004 Чл.27 т.2): their last day is
    the day before, so services before the change keep the old cover. A cover that would only
    start on or after ``effective`` (an earlier annex with a later date) never applied and goes."""
    covers = covers.current()
    covers.filter(valid_from__gte=effective).delete()
    covers.update(valid_until=covered_until(effective))


def _same_as_group(row: dict, base: dict) -> bool:
    option = {o for o, _c in base.values()}
    return (
        set(row["packages"]) == {str(p) for p in base}
        and option == {row["option"]}
        and all(row["packages"][str(p)] == c for p, (_o, c) in base.items())
    )


class Line(NamedTuple):
    """An ``AnnexLine`` as its columns are written (without the annex)."""

    change: str
    member_id: int
    name: str
    packages: list[int]
    option: str
    clause: str
    before: dict
    premium: Decimal


def _line(annex, change, member_id, row, premium) -> Line:
    name = " ".join(
        p for p in (row.get("first_name"), row.get("middle_name"), row.get("last_name")) if p
    )
    packages = row.get("packages", {})
    return Line(
        change=str(change),
        member_id=member_id,
        name=name,
        packages=sorted(int(p) for p in packages),
        option=row.get("option", ""),
        clause=",".join(sorted(set(packages.values()) - {""})),
        before=row.get("before", {}),
        premium=premium,
    )


def _add_people(contract: Contract, rows: list[dict], effective: dt.date) -> dict[str, int]:
    """ЕГН → the new member's pk: people already registered are reused, the others created, in
    a few set-based queries."""
    if not rows:
        return {}
    wanted = {r["egn"]: r for r in rows}
    people = pks_by(InsuredPerson, "id_number", list(wanted), id_kind=IdKind.EGN)
    new = [egn for egn in wanted if egn not in people]
    insert_rows(
        InsuredPerson,
        [
            "first_name",
            "middle_name",
            "last_name",
            "id_kind",
            "id_number",
            "birth_date",
            "sex",
            "email",
            "nhif_rights",
        ],
        (
            (
                wanted[egn]["first_name"],
                wanted[egn].get("middle_name", ""),
                wanted[egn]["last_name"],
                IdKind.EGN,
                egn,
                stdnum_egn.get_birth_date(egn),
                Sex.FEMALE if int(egn[8]) % 2 else Sex.MALE,
                "",
                True,
            )
            for egn in new
        ),
    )
    if new:
        people.update(pks_by(InsuredPerson, "id_number", new, id_kind=IdKind.EGN))
    insert_rows(
        ContractMember,
        ["contract", "person", "role", "student", "covered_from"],
        ((contract.pk, people[egn], r["role"], False, effective) for egn, r in wanted.items()),
    )
    by_person = pks_by(ContractMember, "person", [people[e] for e in wanted], contract=contract.pk)
    return {egn: by_person[people[egn]] for egn in wanted}
