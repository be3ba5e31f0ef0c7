"""Demo pre-authorisations (issue 12), built through the real actions and idempotent (looked up
by the forms' one-time keys):

- Maria's MRI of the spine (2.8.d) at МЦ „Здраве“ София, asked by the front desk ``clinic``:
  waiting in the medical expert's queue (nothing held yet).
- Elena's hospital stay (002 III, 3.1) at УМБАЛ „Морска“ Варна, asked by Elena herself and
  approved by ``medic``: guarantee letter held against her limits (004 Чл.26 т.1).
- Ivan's hospital stay at the same hospital, refused: the medical need is not shown by the
  documents (004 Чл.29 т.5).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zdrave.contracts.models import ContractMember
from zdrave.providers.network.models import Institution
from zdrave.providers.preauth import actions
from zdrave.providers.preauth.models import PreauthRequest

VARNA_EIK_BODY = "10312345"


def _member(username: str, today: dt.date) -> ContractMember:
    return (
        ContractMember.objects.select_related("person", "contract")
        .filter(person__user__username=username, contract__product_code="health")
        .filter(contract__start__lte=today, contract__end__gt=today)
        .get()
    )


def _ask(key: str, **fields) -> tuple[PreauthRequest, bool]:
    found = PreauthRequest.objects.filter(form_key=key).first()
    if found is not None:
        return found, False
    return actions.submit_request(form_key=key, **fields), True


def build_demo_preauth(users, today: dt.date) -> None:
    sofia = Institution.objects.get(staff__user=users["clinic"])
    varna = Institution.objects.get(eik__startswith=VARNA_EIK_BODY)
    soon = today + dt.timedelta(days=7)
    _ask(
        "demo-preauth-maria-mri",
        actor=users["clinic"],
        member=_member("maria", today),
        institution=sofia,
        service="2.8.d",
        planned_date=soon,
        estimated_amount=Decimal("120.00"),
        diagnosis="M51.1",
        notes="Лумбална дискова херния с радикулопатия, 6 седмици без подобрение.",
    )
    elena, new = _ask(
        "demo-preauth-elena-stay",
        actor=users["elena"],
        member=_member("elena", today),
        institution=varna,
        service="3.1",
        planned_date=today + dt.timedelta(days=10),
        estimated_amount=Decimal("800.00"),
        diagnosis="K40.9",
        notes="Планова операция на ингвинална херния.",
    )
    if new:
        actions.approve_request(elena, actor=users["medic"], amount=Decimal("800.00"))
    ivan, new = _ask(
        "demo-preauth-ivan-stay",
        actor=users["ivan"],
        member=_member("ivan", today),
        institution=varna,
        service="3.1",
        planned_date=today + dt.timedelta(days=14),
        estimated_amount=Decimal("600.00"),
        diagnosis="M54.5",
        notes="Болки в кръста.",
    )
    if new:
        actions.refuse_request(
            ivan,
            actor=users["medic"],
            reason_code="not_necessary",
            reasons="Няма образно изследване и становище на специалист; болничен престой не е "
            "показан на този етап.",
        )
