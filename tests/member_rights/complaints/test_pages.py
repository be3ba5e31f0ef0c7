"""The complaint pages as a user meets them: the portal form (one complaint however often it is
sent, a clear message for a 100 000-character text), the answer with its letter (HTML in both
languages, the PDF opened with pypdf), the staff's record and answer forms, and the monthly
register as CSV and XLSX."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from member_rights.complaints.conftest import member_complaint
from zdrave.claims.models import ClaimStatus
from zdrave.member_rights.complaints import actions
from zdrave.member_rights.complaints.models import Complaint, ComplaintStatus, Outcome

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def form(key: str, **values) -> dict:
    return {
        "form_key": key,
        "category": "claim_decision",
        "subject": "",
        "text": "Отказът е несправедлив.",
        "email": "mila@example.bg",
        "phone": "",
        "language": "bg",
        **values,
    }


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages
    )


def test_a_member_files_about_a_rejected_claim_and_a_second_send_is_the_same(
    client, member_user, rejected_claim
):
    c = signed_in(client, member_user)
    page = c.get(f"/complaints/new/?about=claim:{rejected_claim.number}").content.decode()
    assert rejected_claim.number in page
    key = uuid.uuid4().hex
    data = form(key, subject=f"claim:{rejected_claim.number}")
    first = c.post("/complaints/new/", data)
    complaint = Complaint.objects.get()
    assert first.status_code == 302
    assert first["Location"] == f"/complaints/{complaint.number}/"
    again = c.post("/complaints/new/", data)
    assert again["Location"] == first["Location"]
    assert Complaint.objects.count() == 1
    assert complaint.claim == rejected_claim
    detail = c.get(first["Location"]).content.decode()
    assert "Регистрирана" in detail
    assert f"{complaint.due_on:%d.%m.%Y}" in detail


def test_a_100000_character_complaint_is_sent_back_with_the_limit(client, member_user, contract):
    c = signed_in(client, member_user)
    response = c.post("/complaints/new/", form(uuid.uuid4().hex, text="ж" * 100_000))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Вашата жалба: най-много 10 000 знака (написахте 100000)" in page
    assert Complaint.objects.count() == 0


def test_an_empty_complaint_is_sent_back_naming_the_field(client, member_user, contract):
    c = signed_in(client, member_user)
    response = c.post("/complaints/new/", form(uuid.uuid4().hex, text="  "))
    assert "Вашата жалба: моля, опишете за какво е жалбата." in response.content.decode()
    assert Complaint.objects.count() == 0


def test_another_members_claim_is_not_offered(client, other_user, rejected_claim):
    c = signed_in(client, other_user)
    assert rejected_claim.number not in c.get("/complaints/new/").content.decode()
    response = c.post(
        "/complaints/new/", form(uuid.uuid4().hex, subject=f"claim:{rejected_claim.number}")
    )
    assert response.status_code == 200  # not a valid choice for this member
    assert Complaint.objects.count() == 0


def test_staff_answer_reopens_the_claim_and_the_member_reads_the_letter(
    client, member_user, officer, rejected_claim
):
    complaint = member_complaint(member_user, claim=rejected_claim)
    staff = signed_in(client, officer)
    review = staff.get(f"/complaints/queue/{complaint.number}/").content.decode()
    assert "Претенцията да се разгледа отново" in review
    response = staff.post(
        f"/complaints/queue/{complaint.number}/answer/",
        {
            "outcome": Outcome.UPHELD,
            "reasons": "Изследването е по друг повод.",
            "reopen": "on",
            "language": "bg",
        },
    )
    assert response.status_code == 302
    rejected_claim.refresh_from_db()
    assert rejected_claim.status == ClaimStatus.REOPENED
    member = signed_in(client, member_user)
    detail = member.get(f"/complaints/{complaint.number}/").content.decode()
    assert "Уважена" in detail
    assert f"Претенция {rejected_claim.number} е възобновена" in detail
    pdf = member.get(f"/complaints/{complaint.number}/letter.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert f"Отговор на Вашата жалба {complaint.number}" in text
    assert "Изследването е по друг повод." in text
    assert "Комисията за финансов надзор" in text
    english = member.get(f"/complaints/{complaint.number}/letter/?lang=en").content.decode()
    assert "Financial Supervision Commission" in english
    assert "004 Чл.31 т.2" in english


def test_the_letter_is_not_there_before_the_answer(client, member_user, contract):
    complaint = member_complaint(member_user, contract=contract)
    c = signed_in(client, member_user)
    assert c.get(f"/complaints/{complaint.number}/letter.pdf").status_code == 404


def test_staff_record_a_phone_complaint_with_a_clear_message_when_contact_is_missing(
    client, officer, contract
):
    c = signed_in(client, officer)
    key = uuid.uuid4().hex
    data = {
        "form_key": key,
        "channel": "phone",
        "received_on": f"{timezone.localdate():%Y-%m-%d}",
        "complainant_kind": "insured",
        "complainant_name": "Мила Тестова",
        "account": "",
        "email": "",
        "postal_address": "",
        "phone": "0888 123 456",
        "language": "en",
        "contract_number": contract.number,
        "claim_number": "",
        "category": "contract",
        "text": "Обади се: не е получила карта.",
    }
    refused = c.post("/complaints/queue/new/", data)
    assert "Връзка: посочете имейл или пощенски адрес" in refused.content.decode()
    data["email"] = "mila@example.bg"
    done = c.post("/complaints/queue/new/", data)
    complaint = Complaint.objects.get()
    assert done["Location"] == f"/complaints/queue/{complaint.number}/"
    assert complaint.contract == contract
    assert complaint.channel == "phone"
    assert complaint.language == "en"


def test_the_monthly_register_as_csv_and_xlsx(client, officer, member_user, contract):
    complaint = member_complaint(member_user, contract=contract)
    actions.answer(complaint, actor=officer, outcome=Outcome.PARTLY_UPHELD, reasons="Частично.")
    c = signed_in(client, officer)
    month = f"{timezone.localdate():%Y-%m}"
    response = c.get(f"/complaints/queue/register.csv?month={month}")
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == [
        "Входящ номер",
        "Дата на получаване",
        "Канал",
        "Жалбоподател",
        "Жалбоподателят е",
        "Предмет на жалбата",
    ]
    assert rows[1][0] == complaint.number
    assert rows[1][2] == "Портал"
    assert rows[1][5] == f"договор {contract.number}"
    assert rows[1][9] == "Частично уважена"
    book = load_workbook(
        io.BytesIO(c.get(f"/complaints/queue/register.xlsx?month={month}").content)
    )
    sheet = book.active
    assert sheet["A2"].value == complaint.number
    assert sheet.max_row == 2
    other_month = c.get("/complaints/queue/register.csv?month=2020-01").content.decode("utf-8-sig")
    assert complaint.number not in other_month


def test_the_queue_flags_and_filters(client, officer, member_user, contract):
    complaint = member_complaint(member_user, contract=contract)
    Complaint.objects.filter(pk=complaint.pk).update(due_on=timezone.localdate().replace(year=2025))
    c = signed_in(client, officer)
    page = c.get("/complaints/queue/?flag=overdue").content.decode()
    assert complaint.number in page
    assert "просрочена" in page
    assert complaint.number not in c.get("/complaints/queue/?flag=at_risk").content.decode()
    assert complaint.number not in c.get("/complaints/queue/?status=answered").content.decode()
    c.post(f"/complaints/queue/{complaint.number}/take/")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.IN_REVIEW
    assert complaint.owner == officer
    assert complaint.number in c.get("/complaints/queue/?mine=on").content.decode()


def test_an_employer_complains_about_its_group_contract_only(client, world):
    c = signed_in(client, world.employer)
    page = c.get("/complaints/new/").content.decode()
    assert "contract:G-1" in page
    assert "contract:I-1" not in page
    assert "claim:" not in page
    response = c.post(
        "/complaints/new/",
        form(uuid.uuid4().hex, subject="contract:G-1", category="contract", email="hr@acme.bg"),
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/complaints/{complaint.number}/"
    assert complaint.complainant_kind == "employer"
    assert complaint.contract == world.group
    assert f'href="/complaints/{complaint.number}/"' in c.get("/complaints/").content.decode()


def test_a_decided_claim_page_leads_to_a_complaint_about_it(client, member_user, rejected_claim):
    """The member's claim page offers the complaint form with the claim already named."""
    c = signed_in(client, member_user)
    page = c.get(f"/claims/{rejected_claim.number}/").content.decode()
    link = f"/complaints/new/?about=claim:{rejected_claim.number}"
    assert link in page
    assert "Подайте жалба срещу това решение" in page
    form_page = c.get(link).content.decode()
    assert f'value="claim:{rejected_claim.number}"' in form_page
