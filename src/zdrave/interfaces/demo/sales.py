"""Demo data of online sales (issue 11), built through the real actions and idempotent (looked
up by the forms' one-time keys): Georgi, a member of the employer's group, buys for his family.

- A concluded individual policy for his wife Веселина, paid by billing: the policy and her
  legitimation card (PDF and phone image) on the application page.
- A family application for his parents waiting for the underwriter: his father declared a
  heart surgery (004 Чл.9), so the engine referred him (Чл.10); his mother is accepted.
"""

from __future__ import annotations

import datetime as dt

from zdrave.contracts.identifiers import make_egn
from zdrave.policy_admin.sales import actions
from zdrave.policy_admin.sales.models import Application, ApplicationStatus

OUTPATIENT = {"package": 2, "option": "basic", "clause": "Б1"}
HOSPITAL = {"package": 3, "option": "basic", "clause": "Б1"}
DENTAL = {"package": 6, "option": "minimal", "clause": "Б1"}


def _first_of_next_month(today: dt.date) -> dt.date:
    return dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)


def _answers(application, **yes: bool) -> dict[str, bool]:
    """Every question of the product's declaration answered "no", except those in ``yes``."""
    return {q.key: yes.get(q.key, False) for q in actions.questions_of(application)}


def _application(owner, key: str, contract_type: str, start: dt.date, instalments: int):
    found = Application.objects.filter(form_key=key).first()
    if found is not None:
        return found, False
    return (
        actions.start_application(
            actor=owner,
            contract_type=contract_type,
            start=start,
            instalments=instalments,
            email=owner.email or "georgi@example.bg",
            form_key=key,
        ),
        True,
    )


def _person(application, owner, key, first, last, birth, serial, female, role, choices, yes=None):
    person = actions.add_person(
        application,
        actor=owner,
        first_name=first,
        last_name=last,
        egn=make_egn(birth, serial, female=female),
        role=role,
        choices=choices,
        form_key=key,
    )
    actions.save_declaration(
        person,
        actor=owner,
        answers=_answers(application, **(yes or {})),
        signed_by="self",
        signer_name=f"{first} {last}",
        sign=True,
    )
    return person


def build_demo_sales(users, today: dt.date) -> None:
    owner = users["georgi"]
    start = _first_of_next_month(today)
    issued, new = _application(owner, "demo-sales-issued", "individual", start, 1)
    if new:
        _person(
            issued,
            owner,
            "demo-sales-veselina",
            "Веселина",
            "Николова",
            dt.date(1987, 8, 19),
            401,
            True,
            "holder",
            [OUTPATIENT, HOSPITAL, DENTAL],
        )
        actions.submit_application(issued, actor=owner)
        issued.refresh_from_db()
    if issued.status == ApplicationStatus.ACCEPTED:
        actions.conclude_contract(issued, actor=owner)
        issued.refresh_from_db()
        first = issued.contract.instalments.order_by("due").first()
        actions.record_first_payment(
            issued, actor=users["billing"], paid_on=today, amount=first.amount
        )
    parents, new = _application(owner, "demo-sales-referred", "family", start, 4)
    if new:
        _person(
            parents,
            owner,
            "demo-sales-stoyan",
            "Стоян",
            "Николов",
            dt.date(1964, 3, 7),
            402,
            False,
            "holder",
            [OUTPATIENT, HOSPITAL],
            yes={"heart_surgery": True},
        )
        _person(
            parents,
            owner,
            "demo-sales-radka",
            "Радка",
            "Николова",
            dt.date(1966, 10, 2),
            403,
            True,
            "spouse",
            [OUTPATIENT],
        )
        actions.submit_application(parents, actor=owner)
