"""Demo family members referred to the underwriter (issue 11, 004 Чл.9–10, Чл.27 т.2), so the
queue, the review page, the holder's family page and the decision letter have something to show:

- Ivan (ZH-DEMO-F001) asked by post, in the contract's first month, to add
  their son Калоян, whose declaration says "yes" to a chronic disease: waiting for the
  underwriter;
- and Радослава, with "yes" to a disease registered before: declined with the reasons, the
  letter e-mailed.

Built through the same actions as the pages; idempotent (looked up by their form keys).
"""

from __future__ import annotations

import datetime as dt

from zdrave.contracts.identifiers import make_egn
from zdrave.contracts.models import Contract
from zdrave.policy_admin.groups import actions
from zdrave.policy_admin.groups.models import FamilyRequest
from zdrave.policy_admin.sales.models import Decision

FAMILY = "ZH-DEMO-F001"
WAITING = ("Калоян", dt.date(2019, 6, 14), 611, False, "chronic_disease", "demo-family-ref-1")
DECLINED = (
    "Радослава",
    dt.date(2020, 3, 3),
    612,
    True,
    "prior_registered_disease",
    "demo-fam-ref-2",
)


def build_demo_family_referrals(users, today: dt.date) -> None:
    contract = Contract.objects.filter(number=FAMILY).first()
    if contract is None:
        return
    asked = contract.start + dt.timedelta(days=20)
    if asked >= today:
        return
    for first, birth, serial, female, question, key in (WAITING, DECLINED):
        request = FamilyRequest.objects.filter(key=key).first() or _ask(
            contract, users["ivan"], asked, first, birth, serial, female, question, key
        )
        if key == DECLINED[-1] and request.decision == Decision.PENDING:
            actions.decide_family_request(
                request,
                actor=users["underwriter"],
                decision=Decision.DECLINED,
                note="Заболяването е в активно лечение; лицето не може да бъде прието (004 Чл.9).",
            )


def _ask(contract, ivan, asked, first, birth, serial, female, question, key):
    answers = {q.key: False for q in actions.declaration_questions(contract)}
    answers[question] = True
    return actions.add_family_member(
        contract,
        {
            "egn": make_egn(birth, serial, female=female),
            "first_name": first,
            "middle_name": "Иванов" if not female else "Иванова",
            "last_name": "Димитров" if not female else "Димитрова",
            "role": "child",
        },
        answers=answers,
        signer_name="Иван Димитров",
        actor=ivan,
        effective=asked + dt.timedelta(days=1),
        key=key,
        notified_on=asked,
    )
