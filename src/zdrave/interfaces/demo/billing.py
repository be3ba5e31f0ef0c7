"""Demo billing, so every billing page has something to show:

- ZH-DEMO-I002 (Стоян Колев): quarterly premium, the second instalment unpaid for more than 15
  days — the daily run opens an arrears task for the billing desk (004 Чл.25 т.5);
- ZH-DEMO-I003 (Радка Добрева): a single premium paid in advance, in force — the one to
  terminate by agreement and see the refund (004 Чл.28 т.1, Чл.25 т.7);
- a bank statement (CSV export) with a line nobody can match, one that names two contracts
  and the bank's fee;
- ZH-DEMO-G002 (Бета Логистик ООД): a small group whose claims already exceed the premium
  earned — a loss ratio over 100 % and a repricing task for the underwriter (Чл.25 т.8).

Built through the real actions; idempotent (each contract by its number, the statement by its
file).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from stdnum.bg import vat

from zdrave.base.identity.models import Role
from zdrave.claims.actions.intake import LineInput
from zdrave.contracts import actions
from zdrave.contracts.identifiers import make_egn
from zdrave.contracts.models import (
    Contract,
    ContractType,
    HolderKind,
    IdKind,
    InsuredPerson,
    MemberRole,
    PolicyHolder,
)
from zdrave.engine.calendar import add_months
from zdrave.interfaces.demo.claims import EXAMINATION, _claim
from zdrave.policy_admin.billing.actions.statements import import_statement
from zdrave.policy_admin.billing.actions.tasks import open_arrears_tasks, open_repricing_tasks
from zdrave.policy_admin.billing.models import BankStatement

STATEMENT_NAME = "извлечение-01.csv"
BETA_EIK_BODY = "20398765"
BETA_EMPLOYEES = [
    ("Бистра", "Маринова", True),
    ("Валентин", "Стоев", False),
    ("Галя", "Русева", True),
    ("Делян", "Цонев", False),
    ("Ема", "Кирова", True),
    ("Жоро", "Енчев", False),
    ("Златка", "Пеева", True),
    ("Иван", "Вълков", False),
    ("Йорданка", "Лозева", True),
    ("Красимир", "Тонев", False),
]


def build_demo_billing(users, today: dt.date) -> None:
    start = today - dt.timedelta(days=120)
    _individual("ZH-DEMO-I002", ("Стоян", "Колев", dt.date(1979, 5, 17), False, 41), start, 4)
    _individual("ZH-DEMO-I003", ("Радка", "Добрева", dt.date(1990, 2, 8), True, 42), start, 1)
    _statement(today, users["billing"])
    _group(users, today)
    open_arrears_tasks(today)
    open_repricing_tasks(today)


def _person(first, last, birth, female, serial, user=None) -> InsuredPerson:
    number = make_egn(birth, serial, female=female)
    found = InsuredPerson.objects.filter(id_kind=IdKind.EGN, id_number=number).first()
    return found or actions.register_person(
        actor=None,
        first_name=first,
        last_name=last,
        id_kind=IdKind.EGN,
        id_number=number,
        email=f"{serial}@demo.zdrave.example",
        user=user,
    )


def _individual(number: str, who, start: dt.date, instalments: int) -> None:
    if Contract.objects.filter(number=number).exists():
        return
    person = _person(*who)
    holder = PolicyHolder.objects.filter(
        kind=HolderKind.PERSON, identifier=person.id_number
    ).first() or actions.create_holder(
        actor=None,
        kind=HolderKind.PERSON,
        name=person.full_name,
        identifier=person.id_number,
        person=person,
    )
    contract = actions.create_contract(
        actor=None,
        number=number,
        type=ContractType.INDIVIDUAL,
        holder=holder,
        product_code="health",
        start=start,
        end=start + dt.timedelta(days=364),
    )
    actions.add_member(contract, person, MemberRole.HOLDER, actor=None)
    actions.add_cover(
        contract, actor=None, product_code="health", package=2, option="basic", clause="Б1"
    )
    yearly = Decimal("720.00")
    part = yearly / instalments
    dues = [add_months(start, 12 * i // instalments) for i in range(instalments)]
    schedule = actions.schedule_premium(contract, [(d, part) for d in dues], by=None)
    # Only the first instalment is paid, three days before the start (004 Чл.25 т.3).
    actions.record_premium_payment(schedule[0], start - dt.timedelta(days=3), part, by=None)
    actions.put_in_force(contract, actor=None)


def _statement(today: dt.date, billing_user) -> None:
    if BankStatement.objects.filter(file_name=STATEMENT_NAME).exists():
        return
    day = (today - dt.timedelta(days=1)).strftime("%d.%m.%Y")
    rows = [
        "Дата;Референция;Наредител;IBAN на наредителя;Дебит;Кредит;Валута;Основание",
        f"{day};FT-DEMO-1;Непознат Наредител;BG80BNBG96611020345678;;95,00;EUR;дарение",
        f"{day};FT-DEMO-2;Стоян Колев;BG80BNBG96611020345678;;180,00;EUR;"
        "вноски ZH-DEMO-I002 и ZH-DEMO-I003",
        f"{day};FT-DEMO-3;Банка;;2,50;;EUR;такса обслужване",
    ]
    data = ("\r\n".join(rows) + "\r\n").encode("utf-8")
    import_statement(STATEMENT_NAME, data, actor=billing_user)


def _group(users, today: dt.date) -> None:
    number = "ZH-DEMO-G002"
    if Contract.objects.filter(number=number).exists():
        return
    start = dt.date(today.year, 1, 1)
    eik = BETA_EIK_BODY + vat.calc_check_digit_legal(BETA_EIK_BODY)
    holder = PolicyHolder.objects.filter(
        kind=HolderKind.COMPANY, identifier=eik
    ).first() or actions.create_holder(
        actor=None, kind=HolderKind.COMPANY, name="Бета Логистик ООД", identifier=eik
    )
    contract = actions.create_contract(
        actor=None,
        number=number,
        type=ContractType.GROUP,
        holder=holder,
        product_code="health",
        start=start,
        end=dt.date(today.year, 12, 31),
    )
    account = _employee_account()
    members = []
    for i, (first, last, female) in enumerate(BETA_EMPLOYEES):
        person = _person(
            first, last, dt.date(1980 + i, 3, 1 + i), female, 200 + i, account if i == 0 else None
        )
        members.append(actions.add_member(contract, person, MemberRole.EMPLOYEE, actor=None))
    actions.add_cover(
        contract, actor=None, product_code="health", package=2, option="full", clause="Б1"
    )
    # An illustrative, deliberately low premium: 5 EUR a month for the whole group.
    dues = [add_months(start, i) for i in range(12)]
    schedule = actions.schedule_premium(contract, [(d, Decimal("5.00")) for d in dues], by=None)
    for instalment in schedule:
        paid_on = start - dt.timedelta(days=3) if instalment.due == start else instalment.due
        if paid_on <= today:
            actions.record_premium_payment(instalment, paid_on, instalment.amount, by=None)
    actions.put_in_force(contract, actor=None)
    _claim(
        "demo-claim-beta-mri",
        account,
        members[0],
        [*EXAMINATION, "fiscal-receipt"],
        [
            LineInput(
                "2.8.e", today - dt.timedelta(days=5), Decimal("150.00"), invoice_number="9917"
            )
        ],
        diagnosis="M54.5",
        text="Болки в кръста",
    )


def _employee_account():
    """The employee of Бета Логистик who claims (not one of the printed demo log-ins)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username="bistra").first()
    if user is None:
        user = user_model(
            username="bistra",
            role=Role.MEMBER,
            first_name="Бистра",
            last_name="Маринова",
            email="bistra@demo.zdrave.example",
        )
        user.set_unusable_password()
        user.save()
    return user
