"""Demo complaints, so every complaints page has something to show:

- Maria: a second MRI in the insurance year, refused by 002 II.8's count (a rejected claim she
  may complain about — the complaint journey's starting point);
- Petya (English, Best Doctors): an open complaint from the portal about her contract, due in
  one month (001 т.79);
- Ivan: a complaint received by letter about the family contract, recorded by the complaints
  officer from its postmark (004 Чл.30 т.7) and answered (partly upheld) with a letter.

Built through the same actions as the pages; idempotent (each has its form key).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zdrave.claims.actions.intake import LineInput
from zdrave.contracts.models import Contract, ContractMember
from zdrave.interfaces.demo.claims import EXAMINATION, _claim
from zdrave.member_rights.complaints import actions
from zdrave.member_rights.complaints.models import (
    Category,
    Channel,
    ComplainantKind,
    Complaint,
    Outcome,
)


def build_demo_complaints(users, today: dt.date) -> None:
    maria = ContractMember.objects.get(contract__number="ZH-DEMO-I001", person__user=users["maria"])
    _claim(
        "demo-claim-mri-again",
        users["maria"],
        maria,
        [*EXAMINATION, "fiscal-receipt"],
        [LineInput("2.8.e", today - dt.timedelta(days=4), Decimal("120.00"), invoice_number="88")],
        diagnosis="M54.5",
        text="Болки в кръста, контролен ЯМР",
    )
    petya = users["petya"]
    if not Complaint.objects.filter(idempotency_key="demo-complaint-open").exists():
        actions.file_complaint(
            actions.ComplaintInput(
                category=Category.CONTRACT,
                text=(
                    "My insurance card for the Best Doctors cover has not arrived, and nobody "
                    "answered my e-mail of last week. Please send the card and tell me whom to "
                    "call in the meantime."
                ),
                complainant_kind=ComplainantKind.INSURED,
                complainant_name=petya.get_full_name(),
                contract=Contract.objects.get(number="BD-DEMO-I001"),
                email=petya.email,
                language="en",
                idempotency_key="demo-complaint-open",
            ),
            actor=petya,
        )
    if Complaint.objects.filter(idempotency_key="demo-complaint-answered").exists():
        return
    ivan, officer = users["ivan"], users["complaints"]
    complaint = actions.file_complaint(
        actions.staff_input(
            category=Category.CONTRACT,
            text=(
                "Писмо: вноската за третото тримесечие е изтеглена два пъти от сметката ми. "
                "Моля да възстановите надвзетата сума."
            ),
            channel=Channel.LETTER,
            received_on=today - dt.timedelta(days=9),
            complainant_kind=ComplainantKind.POLICYHOLDER,
            complainant_name=ivan.get_full_name(),
            complainant_user=ivan,
            contract=Contract.objects.get(number="ZH-DEMO-F001"),
            email=ivan.email,
            postal_address="София 1000, ул. „Шипка“ 12",
            idempotency_key="demo-complaint-answered",
        ),
        actor=officer,
    )
    actions.take(complaint, actor=officer)
    actions.answer(
        complaint,
        actor=officer,
        outcome=Outcome.PARTLY_UPHELD,
        reasons=(
            "Вноската действително е получена два пъти: надвзетата сума се възстановява по "
            "сметката Ви в 5 работни дни.\n\nТаксата на банката Ви за второто теглене не е "
            "събрана от нас и не можем да я възстановим."
        ),
    )
