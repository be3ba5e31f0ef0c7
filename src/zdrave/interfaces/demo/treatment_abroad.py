"""A demo treatment-abroad case (issue 13), so the case pages have something to show: Petya
(Best Doctors, 2019 terms) notified a breast cancer diagnosis; the file went to the experts,
they proposed two hospitals, she chose one, the case manager issued the pre-certificate and
booked her travel with one companion — the case waits for her admission. A message from her
case manager is on the case, and her complaint about the companions booked (001 т.79).

Built through the same actions as the pages; idempotent (the case has its form key)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test.utils import override_settings

from zdrave.contracts.models import ContractMember
from zdrave.member_rights.complaints.actions import ComplaintInput, file_complaint
from zdrave.member_rights.complaints.models import Category, ComplainantKind
from zdrave.treatment_abroad.actions import cases, money, talk
from zdrave.treatment_abroad.models import AbroadCase

KEY = "demo-abroad-petya"


def build_demo_treatment_abroad(users, today: dt.date) -> None:
    if AbroadCase.objects.filter(idempotency_key=KEY).exists():
        return
    # The case's past is not mailed: nobody lived through it, and the outbox shows real mail.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        _build(users, today)


def _build(users, today: dt.date) -> None:
    petya = ContractMember.objects.get(contract__number="BD-DEMO-I001", person__user=users["petya"])
    manager = users["casemanager"]
    case = cases.open_case(
        actor=users["petya"],
        member=petya,
        condition="cancer",
        diagnosis="C50.4",
        treating_doctor="Д-р Радослава Методиева, УМБАЛ „Александровска“",
        idempotency_key=KEY,
    )
    talk.post_message(
        case, actor=users["petya"], body="Може ли болницата да е в Германия или Австрия?"
    )
    cases.file_complete(case, actor=manager)
    cases.send_to_experts(case, actor=manager)
    cases.record_opinion(
        case,
        actor=manager,
        opinion="Експертите потвърждават диагнозата (001 т.42.1) и препоръчват операция, "
        "последвана от химиотерапия.",
        hospitals=["Charité – Universitätsmedizin Berlin", "AKH Wien"],
    )
    cases.choose(case, actor=users["petya"], choice="Charité – Universitätsmedizin Berlin")
    money.issue_precertificate(case, actor=manager, amount=Decimal("45000.00"))
    money.book_travel(
        case,
        actor=manager,
        travel=Decimal("860.00"),
        accommodation=Decimal("1540.00"),
        companions=1,
        start=today + dt.timedelta(days=7),
        agency="Best Doctors Travel",
        iban="BG18RZBB91550123456789",
    )
    talk.post_message(
        case,
        actor=manager,
        body="Полетите до Берлин за вас и един придружител са резервирани; хотелът е на 2 км "
        "от болницата.",
    )
    # A complaint about a decision on the case (001 т.79: answered within one month), so the
    # complaints queue and register show one that names a case.
    file_complaint(
        ComplaintInput(
            category=Category.CASE_DECISION,
            text=(
                "Only one companion's travel was booked, but my doctor says I need my husband "
                "and my daughter with me after the operation. Please reconsider."
            ),
            complainant_kind=ComplainantKind.INSURED,
            complainant_name=users["petya"].get_full_name(),
            case=case,
            email=users["petya"].email,
            language="en",
            idempotency_key=KEY + "-complaint",
        ),
        actor=users["petya"],
    )
