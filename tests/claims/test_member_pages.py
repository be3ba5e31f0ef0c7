"""The member's claim pages through the Django test client: "My claims" with the limits chart,
a new claim (kind and person, the form, the document checklist, uploads kept across mistakes,
one claim per form), the status page, documents sent later, withdrawal and a new account — as
the member, as the holder of a family contract for a child, and refused to everyone else."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from PIL import Image

from claims.builders import IBAN, submit
from claims.conftest import photo
from contracts.factories import make_person, make_user, person_holder
from zdrave.base.audit.models import AuditEvent
from zdrave.base.documents import storage
from zdrave.base.identity.models import Role
from zdrave.claims import states
from zdrave.claims.actions import decide as deciding
from zdrave.claims.actions.account import change_account
from zdrave.claims.actions.intake import withdraw
from zdrave.claims.actions.pay import schedule_payment
from zdrave.claims.clocks import clock_for
from zdrave.claims.fetch import lock_claim
from zdrave.claims.models import Claim, ClaimEvent, ClaimStatus, Payment, PaymentStatus
from zdrave.contracts import actions as contract_actions
from zdrave.contracts.models import ContractType, MemberRole
from zdrave.engine.money import format_eur

OTHER_IBAN = "BG18RZBB91550123456789"
# 004 Приложение №1 I.2: what an MRI (002 II.8) needs besides the online claim form.
MRI_DOCS = ["ambulatory-sheet", "imaging-report", "invoice", "fiscal-receipt"]


def browser(user, language: str = "en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if user is not None:
        user.language = language  # a signed-in member reads the pages in their own language
        user.save(update_fields=["language"])
        client.force_login(user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def key_of(response) -> str:
    return re.search(r'name="form_key" value="([0-9a-f]{32})"', response.content.decode())[1]


def claim_data(member, key: str, *, lines=None, **fields) -> dict:
    lines = lines or [{}]
    day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    data = {
        "form_key": key,
        "member": str(member.pk),
        "provider": "МЦ Здраве",
        "diagnosis_text": "Болки в кръста",
        "diagnosis": "M54.5",
        "payee": "insured",
        "iban": IBAN,
        "action": "submit",
        "line-TOTAL_FORMS": str(len(lines)),
        "line-INITIAL_FORMS": "0",
        "line-MIN_NUM_FORMS": "1",
        "line-MAX_NUM_FORMS": "30",
    }
    for i, line in enumerate(lines):
        values = {
            "service": "2.8.e",
            "date": day,
            "amount": "150.00",
            "currency": "EUR",
            "quantity": "1",
            "invoice_number": f"000001234{i}",
            **line,
        }
        data.update({f"line-{i}-{name}": value for name, value in values.items()})
    data.update(fields)
    return data


def with_files(data: dict, documents=MRI_DOCS) -> dict:
    return {**data, **{f"doc-{d}": photo(f"{d}.jpg") for d in documents}}


def not_a_photo(name: str = "receipt.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"just some text, not a picture", content_type="image/jpeg")


def noisy_photo(name: str) -> SimpleUploadedFile:
    """A photo too detailed to compress: a few hundred kilobytes."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3)).save(buffer, "JPEG", quality=95)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def open_form(client, member, kind: str = "outpatient"):
    response = client.get(f"/claims/new/{kind}/?member={member.pk}")
    assert response.status_code == 200
    return response


def submitted(member, user, *, key: str, docs=("claim-form", *MRI_DOCS), **extra) -> Claim:
    return submit(member, user, key=key, docs=docs, **extra)


@pytest.fixture
def family(db):
    """Petar holds a family contract (packages 2 and 5, full, Б2, in force) with his wife
    Vesela, adult, and their daughter Nia, 10."""
    petar_user = make_user("petar", email="petar@example.bg")
    vesela_user = make_user("vesela", email="vesela@example.bg")
    petar = make_person("Петър", "Колев", dt.date(1984, 5, 1), user=petar_user)
    vesela = make_person("Весела", "Колева", dt.date(1986, 2, 3), female=True, user=vesela_user)
    nia = make_person("Ния", "Колева", timezone.localdate().replace(year=2016), female=True)
    start = timezone.localdate() - dt.timedelta(days=30)
    contract = contract_actions.create_contract(
        actor=None,
        number="F-500",
        type=ContractType.FAMILY,
        holder=person_holder(petar, petar_user),
        product_code="health",
        start=start,
        end=start + dt.timedelta(days=364),
    )
    contract_actions.add_member(contract, petar, MemberRole.HOLDER, actor=None)
    spouse = contract_actions.add_member(contract, vesela, MemberRole.SPOUSE, actor=None)
    child = contract_actions.add_member(contract, nia, MemberRole.CHILD, actor=None)
    for package in (2, 5):
        contract_actions.add_cover(
            contract, actor=None, product_code="health", package=package, option="full", clause="Б2"
        )
    contract_actions.put_in_force(contract, actor=None)
    return {"holder": petar_user, "spouse_user": vesela_user, "spouse": spouse, "child": child}


@pytest.fixture
def outsiders(db, member):
    other = make_user("ivo", email="ivo@example.bg")
    from contracts.factories import contract_with

    contract_with(other, number="H-200", extra_care=False)
    return {
        "other member": other,
        "employer": make_user("boss", Role.EMPLOYER),
        "service coordinator": make_user("coord", Role.SERVICE_COORDINATOR),
    }


# -- my claims -------------------------------------------------------------------------------


def test_menu_links_my_claims_for_members_only(member, member_user, outsiders):
    page = browser(member_user).get("/claims/")
    assert page.status_code == 200
    assert 'href="/claims/"' in text(page)
    employer_home = browser(outsiders["employer"]).get("/")
    assert 'href="/claims/"' not in text(employer_home)


def test_my_claims_newest_first_with_amount_paid_and_limits_chart_004_chl26(member, member_user):
    first = submitted(member, member_user, key="k-first", invoice="A-1")
    second = submitted(member, member_user, key="k-second", invoice="B-2", amount="3.00")
    Payment.objects.filter(claim=first).update(status=PaymentStatus.PAID, paid_at=timezone.now())
    page = text(browser(member_user).get("/claims/"))
    assert page.index(second.number) < page.index(first.number)
    assert f"Paid: {format_eur(Decimal('150.00'))}" in page
    # 002 II.Б: package 2 "Full" reimburses 300.00 лв = 153.39 EUR a year; the first claim paid
    # 150.00 and the second claim got the 3.00 it asked for (it waits for a person: same day and
    # service, a possible duplicate), so 150.00 is used.
    used, limit, left = (format_eur(Decimal(x)) for x in ("150.00", "153.39", "3.39"))
    assert f"{used} used of {limit} · {left} left" in page
    # 002 II.8: the MRI is once a year under "Full"; the member used it.
    assert "1 used of 1 · 0 left (times)" in page
    assert 'role="img"' in page
    assert "98 % used" in page


def test_my_claims_of_a_family_holder_include_the_childs_not_the_adult_spouses(family):
    holder = family["holder"]
    child_claim = submitted(family["child"], holder, key="k-child")
    spouse_claim = submitted(family["spouse"], family["spouse_user"], key="k-spouse", invoice="S")
    page = text(browser(holder).get("/claims/"))
    assert child_claim.number in page
    assert spouse_claim.number not in page
    assert "Ния Колева" in page


# -- a new claim: kind and person ----------------------------------------------------------------


def test_new_claim_explains_each_kind_and_offers_self_and_child_only(family):
    page = text(browser(family["holder"]).get("/claims/new/"))
    assert "Doctor visits and tests" in page
    assert "Examinations by a doctor, tests, scans, physiotherapy" in page
    assert "Medicines a doctor prescribed and you bought at a pharmacy" in page
    # Packages 2 and 5 only: no dental care (package 6) or hospital (3) to claim for.
    for kind in ("Dental care", "Hospital treatment"):
        assert kind not in page
    assert "Петър Колев · F-500" in page
    assert "Ния Колева · F-500" in page
    assert "Весела" not in page  # an adult's health data stays theirs
    assert "Best Doctors" not in page


def test_choosing_kind_and_person_opens_the_form_of_that_kind(family):
    child = family["child"]
    response = browser(family["holder"]).get(f"/claims/new/?kind=medicines&member={child.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/claims/new/medicines/?member={child.pk}"
    form = text(open_form(browser(family["holder"]), child, "medicines"))
    assert f'<option value="{child.pk}" selected>Ния Колева · F-500</option>' in form
    assert "Prescribed on" in form
    assert "Days of treatment" in form
    # A child's reimbursement goes to the policyholder by default (004 Чл.29 т.7).
    assert 'value="holder" required id="id_payee_1" checked' in form


def test_a_member_without_health_insurance_in_force_is_told_so(db):
    page = browser(make_user("nobody")).get("/claims/new/outpatient/")
    assert page.status_code == 200
    assert "We found no such health insurance in force today" in text(page)


def test_the_form_offers_only_the_services_of_the_kind_in_the_persons_cover(member, member_user):
    page = text(open_form(browser(member_user), member, "outpatient"))
    assert '<option value="2.8.e">' in page  # 002 II.8 MRI, in "Full"
    assert 'value="2.1.c"' not in page  # a professor by choice: "Luxury" only (002 II.1)
    assert 'value="3.1"' not in page  # hospital care: another kind, another package
    dental = text(open_form(browser(member_user), member, "dental"))
    assert "includes no service of this kind" in dental  # package 6 is not in the cover
    assert browser(member_user).get("/claims/new/best_doctors/").status_code == 404


# -- the document checklist ----------------------------------------------------------------------


def test_checklist_shows_the_engines_documents_for_the_chosen_service_004_pril1(
    member, member_user
):
    client = browser(member_user)
    key = key_of(open_form(client, member))
    page = text(client.post("/claims/new/outpatient/", claim_data(member, key, action="refresh")))
    checklist = page[page.index('id="documents"') :]
    assert "Line 1: Clinical instrumental tests on medical grounds" in checklist
    assert "– MRI (without contrast)</h3>" in checklist
    for name in (
        "Outpatient record (ambulatory sheet) or another official medical document",
        "Imaging report",
        "Invoice in the insured&#x27;s name",
        "Original fiscal receipt or Bank-certified payment order",
    ):
        assert name in checklist
    assert (
        'Claim form – <span class="online">this online form; nothing to upload</span>' in checklist
    )
    for doc in MRI_DOCS:
        assert f'name="doc-{doc}"' in checklist
    assert 'name="doc-claim-form"' not in checklist
    assert 'name="doc-prescription"' not in checklist
    assert "Please correct" not in page  # a refresh shows no mistakes yet
    assert Claim.objects.count() == 0


def test_medicines_need_the_prescription_and_its_date_004_pril1_III1(family):
    child = family["child"]
    client = browser(family["holder"])
    key = key_of(open_form(client, child, "medicines"))
    data = claim_data(child, key, lines=[{"service": "5.1"}])
    page = text(client.post("/claims/new/medicines/", data))
    assert "Line 1 – Prescribed on: This field is required." in page
    checklist = page[page.index('id="documents"') :]
    assert "Prescription with quantity and dosage" in checklist
    assert (
        "Outpatient record (ambulatory sheet) or another official medical document or "
        "Hospital discharge summary" in checklist
    )
    day = timezone.localdate() - dt.timedelta(days=3)
    late = claim_data(
        child,
        key,
        lines=[{"service": "5.1", "prescribed": (day + dt.timedelta(days=1)).isoformat()}],
    )
    assert "Line 1 – Prescribed on: is after the date you bought it." in text(
        client.post("/claims/new/medicines/", late)
    )
    assert Claim.objects.count() == 0


def test_add_line_adds_an_empty_line_and_keeps_what_was_typed(member, member_user):
    client = browser(member_user)
    key = key_of(open_form(client, member))
    data = claim_data(member, key, action="add_line", provider="Клиника Изток")
    page = text(client.post("/claims/new/outpatient/", data))
    assert 'name="line-TOTAL_FORMS" value="2"' in page
    assert "Line 2" in page
    assert 'name="line-1-quantity" value="1"' in page
    assert 'value="Клиника Изток"' in page
    assert Claim.objects.count() == 0
    # The added line left empty is not a line: the claim has the one that was filled in.
    sent = {**with_files(data), "action": "submit", "line-TOTAL_FORMS": "2", "line-1-quantity": "1"}
    response = client.post("/claims/new/outpatient/", sent)
    claim = Claim.objects.get()
    assert response["Location"] == f"/claims/{claim.number}/"
    assert [(line.service, line.amount) for line in claim.lines.all()] == [
        ("2.8.e", Decimal("150.00"))
    ]


def test_two_lines_make_one_claim_with_two_lines(member, member_user):
    client = browser(member_user)
    key = key_of(open_form(client, member))
    data = claim_data(member, key, lines=[{}, {"service": "2.1.a", "amount": "40.00"}])
    client.post("/claims/new/outpatient/", with_files(data))
    claim = Claim.objects.get()
    assert [(line.index, line.service, line.amount) for line in claim.lines.all()] == [
        (0, "2.8.e", Decimal("150.00")),
        (1, "2.1.a", Decimal("40.00")),
    ]


# -- submitting --------------------------------------------------------------------------------


def test_submitting_creates_the_claim_and_shows_its_number_004_chl29_t1(
    member, member_user, django_capture_on_commit_callbacks
):
    client = browser(member_user)
    key = key_of(open_form(client, member))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/claims/new/outpatient/", with_files(claim_data(member, key)))
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/claims/{claim.number}/"
    assert claim.idempotency_key == key
    # The online form is the claim form: filed as a Word document with the uploads.
    assert claim.documents == sorted(["claim-form", *MRI_DOCS])
    form_file = claim.files.get(key="claim-form").file
    assert form_file.original_name == "Уведомление-претенция.docx"
    words = "\n".join(
        cell.text
        for table in docx.Document(storage.path_of(form_file.storage_name)).tables
        for row in table.rows
        for cell in row.cells
    )
    for declared in ("Mila Тестов", "H-100", "МЦ Здраве", "M54.5", IBAN, "0000012340", "150,00 €"):
        assert declared in words
    # Complete, coded and within the limits: decided and scheduled at once (002 II.8, Б2).
    assert (claim.status, claim.payable) == (ClaimStatus.PAYMENT_SCHEDULED, Decimal("150.00"))
    page = text(client.get(response["Location"]))
    assert f"Claim {claim.number} received. We e-mailed you a receipt." in page


def test_the_same_form_sent_twice_is_one_claim(member, member_user):
    client = browser(member_user)
    key = key_of(open_form(client, member))
    first = client.post("/claims/new/outpatient/", with_files(claim_data(member, key)))
    files = Claim.objects.get().files.count()
    again = client.post("/claims/new/outpatient/", with_files(claim_data(member, key)))
    reload = client.get(f"/claims/new/outpatient/?key={key}")
    assert first["Location"] == again["Location"] == reload["Location"]
    assert Claim.objects.count() == 1
    assert Claim.objects.get().files.count() == files


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            {"iban": "BG80BNBG96611020345679"},
            "IBAN: the check digits do not match the account number",
            id="004-chl29-t7-wrong-iban",
        ),
        pytest.param(
            {"line-0-date": (timezone.localdate() + dt.timedelta(days=2)).isoformat()},
            "Line 1 – Date of service: cannot be in the future.",
            id="future-date",
        ),
        pytest.param(
            {"line-0-date": (timezone.localdate() - dt.timedelta(days=60)).isoformat()},
            "Line 1 – Date of service: is before Mila Тестов&#x27;s cover began",
            id="004-chl24-t3-before-the-contract",
        ),
        pytest.param(
            {"line-0-amount": "0"}, "Line 1 – Amount paid: must be more than zero.", id="zero"
        ),
        pytest.param(
            {"line-0-amount": "-5"}, "Line 1 – Amount paid: must be more than zero.", id="negative"
        ),
        pytest.param(
            {"line-0-amount": "900000"},
            "Line 1 – Amount paid: is too large for one line; check it.",
            id="absurd-amount",
        ),
        pytest.param(
            {"diagnosis": "X99.99"},
            "Diagnosis code: “X99.99” is not an ICD-10 code (such as M54.5).",
            id="unknown-icd10",
        ),
        pytest.param(
            {"diagnosis": "", "diagnosis_text": ""},
            "Diagnosis: write the diagnosis as the doctor wrote it, or its ICD-10 code.",
            id="no-diagnosis",
        ),
        pytest.param(
            {"line-0-currency": "BGN"},
            "Line 1 – Currency: invoices from 1 January 2026 are issued in euro; choose EUR.",
            id="bgn-invoice-after-the-euro",
        ),
        pytest.param(
            {"line-0-service": "3.1"},
            "Line 1 – Service: Select a valid choice.",
            id="service-outside-the-kind",
        ),
    ],
)
def test_bad_input_names_the_field_keeps_what_was_typed_and_the_files(
    member, member_user, change, message
):
    client = browser(member_user)
    key = key_of(open_form(client, member))
    data = with_files(claim_data(member, key, provider="Клиника Изток", **change))
    response = client.post("/claims/new/outpatient/", data)
    page = text(response)
    assert response.status_code == 200
    assert message in page
    assert 'value="Клиника Изток"' in page
    assert f'value="{key}"' in page
    for doc in MRI_DOCS:
        assert f"Already uploaded: {doc}.jpg" in page
    assert Claim.objects.count() == 0
    # Corrected and sent again without choosing the files again: one claim with them all.
    fixed = client.post("/claims/new/outpatient/", claim_data(member, key))
    claim = Claim.objects.get()
    assert fixed["Location"] == f"/claims/{claim.number}/"
    assert claim.documents == sorted(["claim-form", *MRI_DOCS])


def test_a_fake_photo_gets_a_message_naming_document_and_file_and_stores_nothing(
    member, member_user
):
    client = browser(member_user)
    key = key_of(open_form(client, member))
    data = {**with_files(claim_data(member, key)), "doc-invoice": not_a_photo("invoice.jpg")}
    page = text(client.post("/claims/new/outpatient/", data))
    assert (
        "Invoice in the insured&#x27;s name: “invoice.jpg”: The file is not a JPEG, despite "
        "the extension .jpg." in page
    )
    assert "Already uploaded: invoice.jpg" not in page
    assert "Already uploaded: imaging-report.jpg" in page
    assert Claim.objects.count() == 0


def test_a_file_too_big_is_refused_with_the_limit(member, member_user, monkeypatch):
    # The real limit is 20 MB; a smaller one here spares the test 20 MB of photo.
    monkeypatch.setattr("zdrave.base.documents.validation.MAX_UPLOAD_BYTES", 100_000)
    client = browser(member_user)
    key = key_of(open_form(client, member))
    data = {**with_files(claim_data(member, key)), "doc-imaging-report": noisy_photo("scan.jpg")}
    page = text(client.post("/claims/new/outpatient/", data))
    assert re.search(
        r"Imaging report: “scan\.jpg”: The file is [0-9.]+ KB; the largest file we accept is "
        r"97\.7 KB\.",
        page,
    )
    assert "Already uploaded: invoice.jpg" in page
    assert "Already uploaded: scan.jpg" not in page
    assert Claim.objects.count() == 0


def test_a_session_that_expired_mid_form_brings_the_member_back_to_the_same_form(
    member, member_user
):
    client = browser(member_user)
    key = key_of(open_form(client, member))
    data = claim_data(member, key, action="refresh")
    client.post("/claims/new/outpatient/", with_files(data, ["invoice"]))
    client.logout()
    response = client.post("/claims/new/outpatient/", claim_data(member, key))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert f"key%3D{key}" in response["Location"]
    client.force_login(member_user)
    page = text(client.get(f"/claims/new/outpatient/?key={key}"))
    assert f'value="{key}"' in page
    assert "Already uploaded: invoice.jpg" in page
    assert "what you typed must be typed again" in page
    assert Claim.objects.count() == 0


def test_htmx_updates_the_form_in_place_and_an_expired_session_reloads_the_page(
    member, member_user
):
    client = browser(member_user)
    key = key_of(open_form(client, member))
    data = claim_data(member, key, action="refresh")
    response = client.post("/claims/new/outpatient/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="claim-form"' in text(response)
    client.logout()
    response = client.post("/claims/new/outpatient/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")
    assert Claim.objects.count() == 0


def test_the_holder_claims_for_the_child_on_the_family_contract(family):
    holder, child = family["holder"], family["child"]
    client = browser(holder)
    key = key_of(open_form(client, child))
    data = claim_data(child, key, payee="holder")
    response = client.post("/claims/new/outpatient/", with_files(data))
    claim = Claim.objects.get()
    assert response["Location"] == f"/claims/{claim.number}/"
    assert (claim.member, claim.submitted_by, claim.payee_name) == (child, holder, "Петър Колев")
    assert client.get(response["Location"]).status_code == 200


def test_the_holder_cannot_claim_for_the_adult_spouse(family):
    client = browser(family["holder"])
    key = key_of(open_form(client, family["child"]))
    data = claim_data(family["spouse"], key)
    page = text(client.post("/claims/new/outpatient/", with_files(data)))
    assert "Who was treated?: Select a valid choice." in page
    assert Claim.objects.count() == 0


# -- the status page ---------------------------------------------------------------------------


def test_status_page_shows_every_step_in_plain_words_and_is_logged(member, member_user):
    claim = submitted(member, member_user, key="k1")
    response = browser(member_user).get(f"/claims/{claim.number}/")
    page = text(response)
    steps = [
        "We received your claim.",
        "The claim was decided at once: approved.",
        "The payment was scheduled.",
    ]
    assert [page.index(s) for s in steps] == sorted(page.index(s) for s in steps)
    for code in ("auto_decided", "payment_scheduled</", "copayment", "2.8.e"):
        assert code not in page
    assert "We pay" in page
    assert format_eur(Decimal("150.00")) in page
    assert f'href="/claims/{claim.number}/letter/"' in page
    pay_by = clock_for(claim).pay_by
    assert f"we decide and pay by {pay_by:%-d.%m.%Y} at the latest (004 Чл.29 т.2)" in page
    assert "Scheduled" in page
    views = AuditEvent.objects.filter(verb="view_claim", object_id=str(claim.pk))
    assert [(v.actor, v.details["path"]) for v in views] == [
        (member_user, f"/claims/{claim.number}/")
    ]


def test_status_page_says_what_is_missing_and_the_date_to_send_it_by_004_chl29_t2(
    member, member_user
):
    claim = submitted(member, member_user, key="k1", docs=("claim-form", "ambulatory-sheet"))
    assert claim.status == ClaimStatus.PENDING_DOCUMENTS
    page = text(browser(member_user).get(f"/claims/{claim.number}/"))
    assert "We still need" in page
    assert "Imaging report" in page
    send_by = clock_for(claim).final_answer_by
    assert f"Send them by <strong>{send_by:%-d.%m.%Y}</strong>" in page
    assert "We asked for documents that are missing." in page


def test_a_reason_reads_in_plain_words_with_its_clause(member, member_user):
    submitted(member, member_user, key="k1", invoice="A")
    second = submitted(member, member_user, key="k2", invoice="B", amount="80.00")
    # A second MRI in the insurance year: refused by 002 II.8's count, said in words.
    assert second.status == ClaimStatus.REJECTED
    page = text(browser(member_user).get(f"/claims/{second.number}/"))
    assert "Rejected" in page
    assert "The number of these services allowed in the insurance year is used up. (002 II.8)" in (
        re.sub(r"<[^>]+>", "", page)
    )
    assert "count-limit" not in page


def test_earlier_decision_stays_readable_and_an_amount_to_recover_shows_its_reason(
    member, member_user
):
    claim = submitted(member, member_user, key="k1")
    _paid(claim)
    first, second = make_user("adj1", Role.CLAIMS_ADJUSTER), make_user("adj2", Role.CLAIMS_ADJUSTER)
    deciding.reopen(claim, actor=first, note="The invoice covered two people")
    override = deciding.parse_override(0, "90.00", "Half of the invoice was for another person")
    deciding.decide(claim, actor=first, overrides=[override], note="The invoice covered two people")
    deciding.approve(claim, actor=second)
    # The later decision pays 60.00 less than was paid: the payments side books it to recover
    # from the member (004 Чл.29 т.10).
    with transaction.atomic():
        schedule_payment(lock_claim(claim.pk), actor=second, by=states.By.ADJUSTER)
    page = text(browser(member_user).get(f"/claims/{claim.number}/"))
    assert "Earlier decisions" in page
    assert (
        f"Decision 1 of {timezone.localdate():%-d.%m.%Y}: Approved, {format_eur(Decimal('150.00'))}"
        in page
    )
    assert f"{format_eur(Decimal('60.00'))} to be paid back" in page
    assert "Why: The invoice covered two people" in page
    assert "Changed by our claims team: Half of the invoice was for another person" in page


# -- later steps ---------------------------------------------------------------------------------


def test_documents_sent_later_complete_the_claim_and_restart_the_clock_004_chl29_t2(
    member, member_user
):
    claim = submitted(member, member_user, key="k1", docs=("claim-form", "ambulatory-sheet"))
    client = browser(member_user)
    form = client.get(f"/claims/{claim.number}/documents/")
    assert 'name="doc-imaging-report"' in text(form)
    data = {"form_key": key_of(form), **{f"doc-{d}": photo(f"{d}.jpg") for d in MRI_DOCS[1:]}}
    response = client.post(f"/claims/{claim.number}/documents/", data)
    assert response["Location"] == f"/claims/{claim.number}/"
    claim.refresh_from_db()
    assert (claim.status, claim.complete_on) == (
        ClaimStatus.PAYMENT_SCHEDULED,
        timezone.localdate(),
    )
    assert "Documents were added to the claim." in text(client.get(response["Location"]))


def test_sending_no_file_or_a_fake_one_adds_nothing(member, member_user):
    claim = submitted(member, member_user, key="k1", docs=("claim-form", "ambulatory-sheet"))
    client = browser(member_user)
    key = key_of(client.get(f"/claims/{claim.number}/documents/"))
    empty = text(client.post(f"/claims/{claim.number}/documents/", {"form_key": key}))
    assert "Files: choose at least one file to add." in empty
    fake = text(
        client.post(
            f"/claims/{claim.number}/documents/",
            {"form_key": key, "doc-invoice": not_a_photo("invoice.jpg")},
        )
    )
    assert "“invoice.jpg”: The file is not a JPEG, despite the extension .jpg." in fake
    claim.refresh_from_db()
    assert claim.documents == ["ambulatory-sheet", "claim-form"]


def test_withdrawing_asks_first_and_then_withdraws(member, member_user):
    claim = submitted(member, member_user, key="k1", docs=("claim-form",))
    client = browser(member_user)
    confirm = text(client.get(f"/claims/{claim.number}/withdraw/"))
    assert f"Withdraw claim {claim.number}?" in confirm
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING_DOCUMENTS
    response = client.post(f"/claims/{claim.number}/withdraw/", {"note": "Paid by my employer"})
    assert response["Location"] == f"/claims/{claim.number}/"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN
    page = text(client.get(response["Location"]))
    assert "The claim was withdrawn." in page
    assert "Paid by my employer" in page
    again = client.post(f"/claims/{claim.number}/withdraw/", {})
    assert "cannot move to" in text(client.get(again["Location"]))


def _paid(claim):
    """What the payments side does when the bank confirms (its pages are built elsewhere)."""
    with transaction.atomic():
        locked = lock_claim(claim.pk)
        Payment.objects.filter(claim=locked).update(
            status=PaymentStatus.PAID, paid_at=timezone.now()
        )
        states.move(locked, ClaimStatus.PAID, "paid", by=states.By.PAYMENTS, actor=None)


def _payment_failed(claim):
    with transaction.atomic():
        locked = lock_claim(claim.pk)
        Payment.objects.filter(claim=locked).update(
            status=PaymentStatus.RETURNED, return_reason="Account closed"
        )
        states.move(
            locked, ClaimStatus.PAYMENT_FAILED, "payment_failed", by=states.By.PAYMENTS, actor=None
        )


def test_a_new_account_after_a_returned_payment_004_chl29_t7(member, member_user):
    claim = submitted(member, member_user, key="k1")
    _payment_failed(claim)
    client = browser(member_user)
    page = text(client.get(f"/claims/{claim.number}/"))
    assert "The bank returned the payment." in page
    assert "The bank said: Account closed" in page
    bad = text(
        client.post(f"/claims/{claim.number}/account/", {"payee": "insured", "iban": "BG00"})
    )
    assert "IBAN: this is not an IBAN." in bad
    claim.refresh_from_db()
    assert claim.iban == IBAN
    response = client.post(
        f"/claims/{claim.number}/account/",
        {"payee": "insured", "iban": "bg18 rzbb 9155 0123 4567 89"},
    )
    assert response["Location"] == f"/claims/{claim.number}/"
    claim.refresh_from_db()
    assert (claim.iban, claim.payee, claim.payee_name) == (
        OTHER_IBAN,
        "insured",
        member.person.full_name,
    )
    event = claim.events.get(kind="account_changed")
    assert (event.actor, event.note, event.to_status) == (
        member_user,
        "…6789",
        ClaimStatus.PAYMENT_FAILED,
    )
    assert (
        AuditEvent.objects.filter(verb="claim_account_changed", object_id=str(claim.pk)).count()
        == 1
    )


def test_the_account_of_a_scheduled_payment_cannot_be_changed(member, member_user):
    claim = submitted(member, member_user, key="k1")
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    page = text(
        browser(member_user).post(
            f"/claims/{claim.number}/account/", {"payee": "insured", "iban": OTHER_IBAN}
        )
    )
    assert "IBAN: the account of a claim that is “Payment scheduled” cannot be changed." in page
    claim.refresh_from_db()
    assert claim.iban == IBAN
    assert not ClaimEvent.objects.filter(kind="account_changed").exists()


def test_change_account_is_for_who_may_claim_and_not_for_a_withdrawn_claim(
    member, member_user, outsiders
):
    claim = submitted(member, member_user, key="k1", docs=("claim-form",))
    with pytest.raises(PermissionDenied):
        change_account(
            claim, actor=outsiders["other member"], iban=OTHER_IBAN, payee="insured", payee_name="X"
        )
    with pytest.raises(ValidationError) as wrong_payee:
        change_account(claim, actor=member_user, iban=OTHER_IBAN, payee="heirs", payee_name="X")
    assert "payee" in wrong_payee.value.message_dict
    withdraw(claim, actor=member_user)
    with pytest.raises(ValidationError) as refused:
        change_account(claim, actor=member_user, iban=OTHER_IBAN, payee="insured", payee_name="X")
    assert "iban" in refused.value.message_dict
    claim.refresh_from_db()
    assert (claim.iban, claim.payee_name) == (IBAN, "Mila")
    assert not claim.events.filter(kind="account_changed").exists()


# -- who may see what ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other member", "employer", "service coordinator"])
def test_claim_pages_are_404_for_everyone_else(member, member_user, outsiders, who):
    claim = submitted(member, member_user, key="k1", docs=("claim-form",))
    client = browser(outsiders[who])
    for suffix in ("", "documents/", "withdraw/", "account/"):
        assert client.get(f"/claims/{claim.number}/{suffix}").status_code == 404
        assert client.post(f"/claims/{claim.number}/{suffix}", {"note": "x"}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING_DOCUMENTS
    assert not AuditEvent.objects.filter(verb="view_claim").exists()
    if who == "other member":
        assert claim.number not in text(client.get("/claims/"))
    else:
        for path in ("/claims/", "/claims/new/", "/claims/new/outpatient/"):
            assert client.get(path).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(member, member_user):
    claim = submitted(member, member_user, key="k1", docs=("claim-form",))
    for path in ("/claims/", "/claims/new/", f"/claims/{claim.number}/"):
        response = browser(None).get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_pages_read_in_bulgarian(member, member_user):
    claim = submitted(member, member_user, key="k1")
    client = browser(member_user, "bg")
    assert "Моите претенции" in text(client.get("/claims/"))
    page = text(client.get(f"/claims/{claim.number}/"))
    assert "Получихме претенцията Ви." in page
    form = text(client.get(f"/claims/new/outpatient/?member={member.pk}"))
    assert "Изпрати претенцията" in form
