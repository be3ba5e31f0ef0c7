"""Complaints about a Best Doctors treatment-abroad case: the deadline of the case's terms (001
т.79 / 003 т.77), one registration with the case's own objections (001 т.78 / 003 т.76), the
reassessment a complaint may ask for (001 т.74, not in 003) and the register's rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contracts.factories import make_user
from treatment_abroad.conftest import best_doctors_member
from treatment_abroad.test_case_path import at, opened, to_hospital_chosen
from zdrave.base.identity.models import Role
from zdrave.engine.calendar import add_months, add_working_days
from zdrave.member_rights.complaints import register
from zdrave.member_rights.complaints.actions import ComplaintInput, answer, file_complaint
from zdrave.member_rights.complaints.models import Category, ComplainantKind, Complaint, Outcome
from zdrave.treatment_abroad.actions import cases, money, talk
from zdrave.treatment_abroad.models import CaseStatus


@pytest.fixture(params=["001", "003"])
def version(request):
    return request.param


@pytest.fixture
def bd_member(db, version):
    return best_doctors_member("petya", version)


def case_complaint(user, case, *, category=Category.CASE_DECISION, key="c-1", reassessment=False):
    return file_complaint(
        ComplaintInput(
            category=category,
            text="Не съм съгласна с решението по случая.",
            complainant_kind=ComplainantKind.INSURED,
            complainant_name=user.get_full_name(),
            case=case,
            reassessment=reassessment,
            email=user.email,
            idempotency_key=key,
        ),
        actor=user,
    )


def returned_case(member, manager):
    user = member.person.user
    case = to_hospital_chosen(opened(member), manager, user)
    case = money.issue_precertificate(case, actor=manager, amount=Decimal("1000.00"))
    case = money.book_travel(
        case,
        actor=manager,
        travel=Decimal("1"),
        accommodation=Decimal("1"),
        companions=0,
        start=timezone.localdate() - dt.timedelta(days=5),
        agency="Best Doctors Travel",  # paid through claims as a provider (001 т.57–60)
        iban="BG18RZBB91550123456789",
    )
    case = cases.admit(case, actor=manager, at=at(4))
    case = cases.discharge(case, actor=manager, at=at(2))
    return cases.returned(case, actor=manager, on=timezone.localdate())


def test_case_complaint_deadline_follows_the_case_terms(bd_member, version):
    """001 т.79: one month; 003 т.77: 10 (simple) to 30 working days."""
    user = bd_member.person.user
    case = opened(bd_member)
    complaint = case_complaint(user, case)
    today = timezone.localdate()
    assert complaint.case == case
    assert complaint.contract == bd_member.contract
    assert complaint.claim is None
    assert complaint.deadline_from_terms is True
    if version == "001":
        assert complaint.deadline_clause == "001 т.79"
        assert complaint.due_on == complaint.target_on == add_months(today, 1)
    else:
        assert complaint.deadline_clause == "003 т.77"
        assert complaint.target_on == add_working_days(today, 10)
        assert complaint.due_on == add_working_days(today, 30)


def test_claim_category_said_of_a_case_is_the_case_category(bd_member, version):
    user = bd_member.person.user
    complaint = case_complaint(user, opened(bd_member), category=Category.CLAIM_HANDLING)
    assert complaint.category == Category.CASE_HANDLING


@pytest.mark.parametrize("version", ["001"])
def test_someone_elses_case_is_refused(bd_member, member_user):
    case = opened(bd_member)
    with pytest.raises(ValidationError) as refused:
        case_complaint(member_user, case)
    assert "subject" in refused.value.message_dict
    assert not Complaint.objects.exists()


def test_open_objection_holds_the_grievance_once(bd_member, version):
    """001 т.78 / 003 т.76: one incoming number per complaint — an objection to the case's
    decision not yet answered wins; a complaint about the handling of the case is another."""
    user = bd_member.person.user
    case = opened(bd_member)
    objection = talk.file_objection(case, actor=user, text="Диагнозата е покрита.")
    with pytest.raises(ValidationError) as refused:
        case_complaint(user, case)
    (message,) = refused.value.message_dict["subject"]
    assert objection.number in message
    assert objection.clause in message
    assert not Complaint.objects.exists()
    handling = case_complaint(user, case, category=Category.CASE_HANDLING, key="c-2")
    assert handling.number.startswith("CP-")


def test_register_counts_objections_once(bd_member, version):
    user = bd_member.person.user
    case = opened(bd_member)
    first = talk.file_objection(case, actor=user, text="Първо възражение.")
    complaint = case_complaint(user, opened(bd_member, idempotency_key="second"))
    # Filed while the complaint about the same case's decision is open: not a second row.
    second_case = complaint.case
    talk.file_objection(second_case, actor=user, text="Същото, второ.")
    today = timezone.localdate()
    rows = register.month_rows(today.year, today.month)
    numbers = [row[0] for row in rows]
    assert sorted(numbers) == sorted([first.number, complaint.number])
    (row,) = [r for r in rows if r[0] == first.number]
    assert case.number in row[5]
    assert row[6] == str(Category.CASE_DECISION.label)


@pytest.mark.parametrize("version", ["001"])
def test_reassessment_asked_in_a_complaint_is_started_by_an_upheld_answer(
    bd_member, officer, version
):
    """001 т.74: after the return, the member's complaint asks for a new assessment; the
    complaints officer's upheld answer starts it, recorded on both."""
    manager = make_user("cm1", Role.CASE_MANAGER, email="cm1@insurer.bg")
    user = bd_member.person.user
    case = returned_case(bd_member, manager)
    complaint = case_complaint(user, case, reassessment=True)
    assert complaint.reassessment_requested is True
    answered = answer(
        complaint,
        actor=officer,
        outcome=Outcome.UPHELD,
        reasons="Състоянието налага нова оценка.",
        reassess=True,
    )
    case.refresh_from_db()
    assert answered.case_reassessed is True
    assert case.status == CaseStatus.REASSESSMENT
    assert case.reassessments == 1
    assert case.events.filter(kind="reassessment", actor=officer).count() == 1
    assert answered.events.filter(kind="case_reassessed").count() == 1


@pytest.mark.parametrize("version", ["001"])
def test_reassessment_refused_when_not_upheld(bd_member, officer, version):
    manager = make_user("cm1", Role.CASE_MANAGER, email="cm1@insurer.bg")
    user = bd_member.person.user
    case = returned_case(bd_member, manager)
    complaint = case_complaint(user, case, reassessment=True)
    with pytest.raises(ValidationError) as refused:
        answer(complaint, actor=officer, outcome=Outcome.NOT_UPHELD, reasons="Не.", reassess=True)
    assert "reassess" in refused.value.message_dict
    case.refresh_from_db()
    complaint.refresh_from_db()
    assert case.status == CaseStatus.RETURNED
    assert complaint.answered_on is None


def test_reassessment_before_the_return_or_under_003_is_refused(bd_member, version):
    """001 т.74 is after the return from treatment abroad; 003 has no reassessment."""
    user = bd_member.person.user
    case = opened(bd_member)
    with pytest.raises(ValidationError) as refused:
        case_complaint(user, case, reassessment=True)
    (message,) = refused.value.message_dict["reassessment"]
    assert ("001 т.74" in message) if version == "001" else ("003" in message)
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("version", ["001"])
def test_member_files_a_case_complaint_from_the_portal(bd_member, client, version):
    user = bd_member.person.user
    case = opened(bd_member)
    client.force_login(user)
    page = client.get("/complaints/new/", {"about": f"case:{case.number}"})
    assert f"case:{case.number}".encode() in page.content
    response = client.post(
        "/complaints/new/",
        {
            "form_key": "0" * 32,
            "category": Category.CASE_DECISION,
            "subject": f"case:{case.number}",
            "text": "Искам нова оценка.",
            "email": user.email,
            "language": "bg",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.case == case
    assert complaint.deadline_clause == "001 т.79"
    detail = client.get(f"/complaints/{complaint.number}/")
    assert case.number.encode() in detail.content


@pytest.mark.parametrize("version", ["003"])
def test_the_case_page_leads_the_member_to_a_complaint_about_it(bd_member, client, version):
    """003 т.77: the member finds the complaint route on the case page, the case named."""
    user = bd_member.person.user
    case = opened(bd_member)
    client.force_login(user)
    page = client.get(f"/treatment-abroad/{case.number}/").content.decode()
    link = f"/complaints/new/?about=case:{case.number}"
    assert link in page
    form_page = client.get(link).content.decode()
    assert f'value="case:{case.number}"' in form_page
