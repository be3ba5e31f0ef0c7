"""One person by annex, asked by staff or the employer (004 Чл.27 т.2): a census row added, a
member removed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.contracts.models import Contract, ContractMember
from zdrave.policy_admin.groups import census as census_rules
from zdrave.policy_admin.groups.actions.annexes import Changes, make_annex
from zdrave.policy_admin.groups.models import Annex


def add_person(
    contract: Contract,
    row: dict,
    *,
    actor,
    effective: dt.date,
    key: str,
    notified_on: dt.date | None = None,
) -> Annex:
    """An annex adding one person, given as a census row (``egn``, names, ``role``,
    ``packages``, ``option``, ``clause``); the row is checked as a census row is."""
    notified_on = notified_on or timezone.localdate()
    done = Annex.objects.filter(key=key, contract=contract).first()
    if done is not None:
        return done
    return make_annex(
        contract,
        Changes([checked_newcomer(contract, row, effective)], [], []),
        actor=actor,
        notified_on=notified_on,
        effective=effective,
        key=key,
    )


def checked_newcomer(contract: Contract, row: dict, effective: dt.date) -> dict:
    """``row`` checked as a census row of someone joining ``contract`` from ``effective``, as the
    census reads it; refused on the row's field, or on ``egn`` when they are in the group now."""
    current = census_rules.current_census(contract, effective)
    checked = census_rules.check_rows(
        contract, [{**row, "row": 1}], effective=effective, existing=set(current)
    )
    if checked.errors:
        raise ValidationError({_field(e["column"]): e["message"] for e in checked.errors})
    found = checked.rows[0]
    if found["egn"] in current:
        raise ValidationError({"egn": _("ЕГН: this person is already in the group.")})
    return found


def _field(column: str) -> str:
    return column if column in census_rules.COLUMNS else "__all__"


def remove_person(
    member: ContractMember,
    *,
    actor,
    effective: dt.date,
    key: str,
    notified_on: dt.date | None = None,
) -> Annex:
    """An annex removing ``member``: covered until the day before ``effective`` (004 Чл.27 т.2),
    the unused premium credited."""
    notified_on = notified_on or timezone.localdate()
    done = Annex.objects.filter(key=key, contract_id=member.contract_id).first()
    if done is not None:
        return done
    if member.covered_until is not None:
        raise ValidationError({"member": _("Insured person: already removed from the group.")})
    if effective <= member.covered_from:
        raise ValidationError(
            {
                "effective": _("In force from: the person is covered from %(date)s.")
                % {"date": member.covered_from.strftime("%d.%m.%Y")}
            }
        )
    person = member.person
    row = {
        "member": member.pk,
        "egn": person.id_number,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "last_name": person.last_name,
    }
    return make_annex(
        member.contract,
        Changes([], [row], []),
        actor=actor,
        notified_on=notified_on,
        effective=effective,
        key=key,
    )
