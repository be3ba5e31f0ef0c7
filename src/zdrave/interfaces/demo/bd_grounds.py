"""Demo Best Doctors ground (issue 11), so the billing desk lists one and its task page has
something to show: BD-DEMO-I002 (Милен Георгиев), Best Doctors with a quarterly premium, the
second instalment unpaid since its due date about ten days ago — the daily check opens a task
with the last day of cover (001 т.27.4). Built through the real actions; idempotent (the
contract by its number, the check by its own rule)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zdrave.contracts import actions
from zdrave.contracts.models import Contract, ContractType, HolderKind, MemberRole
from zdrave.engine.calendar import add_months
from zdrave.interfaces.demo.billing import _person
from zdrave.policy_admin.billing.actions.grounds import follow_best_doctors_grounds

NUMBER = "BD-DEMO-I002"


def build_demo_bd_grounds(users, today: dt.date) -> None:
    if not Contract.objects.filter(number=NUMBER).exists():
        _contract(today - dt.timedelta(days=100))
    follow_best_doctors_grounds(today)


def _contract(start: dt.date) -> None:
    person = _person("Милен", "Георгиев", dt.date(1975, 9, 21), False, 43)
    holder = actions.create_holder(
        actor=None,
        kind=HolderKind.PERSON,
        name=person.full_name,
        identifier=person.id_number,
        person=person,
    )
    contract = actions.create_contract(
        actor=None,
        number=NUMBER,
        type=ContractType.INDIVIDUAL,
        holder=holder,
        product_code="best-doctors",
        start=start,
        end=add_months(start, 12) - dt.timedelta(days=1),
    )
    actions.add_member(contract, person, MemberRole.HOLDER, actor=None)
    actions.add_cover(contract, actor=None, product_code="best-doctors")
    dues = [add_months(start, 3 * i) for i in range(4)]
    schedule = actions.schedule_premium(contract, [(d, Decimal("300.00")) for d in dues], by=None)
    actions.record_premium_payment(
        schedule[0], start - dt.timedelta(days=3), Decimal("300.00"), by=None
    )
    actions.put_in_force(contract, actor=None)
