"""Best Doctors refunds (issue 10; 001 §VII): a member on a ``best-doctors`` contract claims a
refund online; the treatment-abroad engine decides it with its clauses. A health member is not
offered the kind."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from claims.conftest import photo
from contracts.factories import make_person, make_user, person_holder
from zdrave.claims.actions.intake import ClaimInput, LineInput, stage_upload, submit_claim
from zdrave.claims.models import Claim, ClaimStatus, Payment
from zdrave.contracts import actions as contract_actions
from zdrave.contracts.models import ContractType, MemberRole

IBAN = "BG80BNBG96611020345678"
# 001 т.65.1: what a refund of medicines bought after the return needs.
MEDICINE_DOCS = ("prescription", "invoice", "fiscal-receipt")


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def petya(db):
    """Petya holds an individual Best Doctors contract (2019-02-01 terms, 001) that began 250
    days ago, its annual premium paid, as the demo's BD-DEMO-I001: past the six months' waiting
    period of 001 т.21.1.1."""
    user = make_user("petya", email="petya@example.bg")
    person = make_person("Петя", "Стоянова", dt.date(1979, 3, 8), female=True, user=user)
    start = days_ago(250)
    contract = contract_actions.create_contract(
        actor=None,
        number="BD-100",
        type=ContractType.INDIVIDUAL,
        holder=person_holder(person, user),
        product_code="best-doctors",
        start=start,
        end=start + dt.timedelta(days=364),
    )
    member = contract_actions.add_member(contract, person, MemberRole.HOLDER, actor=None)
    contract_actions.add_cover(contract, actor=None, product_code="best-doctors")
    (instalment,) = contract_actions.schedule_premium(
        contract, [(start, Decimal("1200.00"))], by=None
    )
    contract_actions.record_premium_payment(
        instalment, start - dt.timedelta(days=3), instalment.amount, by=None
    )
    contract_actions.put_in_force(contract, actor=None)
    return member


def refund(member, *, key: str, lines: list[LineInput], docs=MEDICINE_DOCS, **extra) -> Claim:
    user = member.person.user
    for doc in docs:
        stage_upload(photo(f"{doc}.jpg"), actor=user, form_key=key, document=doc)
    fields = {
        "condition": "cancer",
        "diagnosis": "C50.9",
        "precertificate_issued": days_ago(120),
        "hospital_nights": 6,
        "returned_home": days_ago(90),
        **extra,
    }
    return submit_claim(
        ClaimInput(
            member=member,
            kind="best_doctors",
            lines=lines,
            iban=IBAN,
            payee_name="Петя Стоянова",
            provider="Аптека Марешки",
            idempotency_key=key,
            **fields,
        ),
        actor=user,
    )


def medicine(amount: str, *, country: str = "BG", dose_days: int = 30, day: int = 20):
    return LineInput(
        service="medicines-after-return",
        benefit="medicines-after-return",
        country=country,
        date=days_ago(day),
        amount=Decimal(amount),
        invoice_number=f"F-{amount}",
        dose_days=dose_days,
    )


def reasons_of(line) -> list[tuple[str, str]]:
    return [(r["code"], r["clause"]) for r in line.reasons]


def test_medicines_after_return_are_refunded_by_the_abroad_engine_001_t63(petya):
    claim = refund(petya, key="a" * 32, lines=[medicine("240.00")])
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    assert claim.payable == Decimal("240.00")
    line = claim.lines.get()
    assert (line.benefit, line.country, line.outcome) == (
        "medicines-after-return",
        "BG",
        "approved",
    )
    assert Payment.objects.get(claim=claim).amount == Decimal("240.00")
    assert claim.versions.get().engine["payable"] == "240.00"


def test_a_medicine_bought_abroad_is_refused_001_t9_10(petya):
    claim = refund(petya, key="b" * 32, lines=[medicine("80.00", country="DE")])
    assert claim.status == ClaimStatus.REJECTED
    assert claim.payable == Decimal("0.00")
    assert not Payment.objects.filter(claim=claim).exists()
    assert reasons_of(claim.lines.get()) == [("medicine-bought-abroad", "001 т.9.10")]


def test_a_dose_for_more_than_two_months_is_refused_001_t64_5(petya):
    lines = [medicine("120.00"), medicine("90.00", dose_days=90)]
    claim = refund(petya, key="c" * 32, lines=lines)
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    assert claim.payable == Decimal("120.00")
    refused = claim.lines.get(index=1)
    assert refused.outcome == "rejected"
    assert reasons_of(refused) == [("dose-over-two-months", "001 т.64.5")]


def test_a_cost_the_insured_paid_abroad_themselves_is_refused_001_t10_13(petya):
    line = LineInput(
        service="treatment-abroad",
        benefit="treatment-abroad",
        country="DE",
        date=days_ago(40),
        amount=Decimal("900.00"),
        invoice_number="DE-7",
    )
    claim = refund(petya, key="d" * 32, lines=[line], docs=("invoice",))
    assert claim.status == ClaimStatus.REJECTED
    assert claim.payable == Decimal("0.00")
    assert not Payment.objects.filter(claim=claim).exists()
    assert reasons_of(claim.lines.get()) == [
        ("excluded-incurred-by-insured-or-relatives", "001 т.10.13")
    ]


def test_a_stay_of_three_nights_gives_no_medicines_001_t63(petya):
    claim = refund(petya, key="e" * 32, lines=[medicine("50.00")], hospital_nights=3)
    assert claim.status == ClaimStatus.REJECTED
    assert reasons_of(claim.lines.get()) == [("stay-too-short", "001 т.63")]


def test_a_missing_receipt_waits_for_documents_001_t65_1(petya):
    claim = refund(petya, key="f" * 32, lines=[medicine("60.00")], docs=("prescription",))
    assert claim.status == ClaimStatus.PENDING_DOCUMENTS
    assert claim.missing_documents == ["invoice", "fiscal-receipt"]
    assert claim.payable == Decimal("0.00")


def test_an_unknown_condition_is_refused_at_intake_and_nothing_is_stored(petya):
    with pytest.raises(ValidationError) as error:
        refund(petya, key="9" * 32, lines=[medicine("60.00")], condition="flu")
    assert "Покрито заболяване: изберете заболяването" in " ".join(error.value.messages)
    assert not Claim.objects.exists()


def browser(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def test_the_member_sends_a_refund_on_the_page_001_t65_1(petya):
    client = browser(petya.person.user)
    choose = client.get("/claims/new/")
    assert "Best Doctors: costs abroad" in choose.content.decode()
    page = client.get(f"/claims/new/best_doctors/?member={petya.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Medicines bought in Bulgaria after the return" in html
    assert "The cash register receipt / The payment order" in html  # 001 т.65.1
    key = re.search(r'name="form_key" value="([0-9a-f]{32})"', html)[1]
    data = {
        "form_key": key,
        "member": str(petya.pk),
        "condition": "cancer",
        "diagnosis": "C50.9",
        "precertificate_issued": days_ago(120).isoformat(),
        "hospital_nights": "6",
        "returned_home": days_ago(90).isoformat(),
        "provider": "Аптека Марешки",
        "benefit": "medicines-after-return",
        "date": days_ago(20).isoformat(),
        "country": "bg",
        "amount": "75.40",
        "currency": "EUR",
        "invoice_number": "0000077",
        "dose_days": "30",
        "iban": IBAN,
        **{f"doc-{d}": photo(f"{d}.jpg") for d in MEDICINE_DOCS},
    }
    response = client.post("/claims/new/best_doctors/", data)
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/claims/{claim.number}/"
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    assert claim.payable == Decimal("75.40")
    assert (claim.condition, claim.hospital_nights) == ("cancer", 6)
    assert claim.lines.get().country == "BG"
    assert client.get(response["Location"]).status_code == 200
    # The same form sent again is the same claim.
    again = client.post("/claims/new/best_doctors/", data)
    assert again.status_code == 302
    assert Claim.objects.count() == 1


def test_a_health_member_is_not_offered_best_doctors(member_user, member):
    client = browser(member_user)
    assert "Best Doctors" not in client.get("/claims/new/").content.decode()
    assert client.get("/claims/new/best_doctors/").status_code == 404
    line = LineInput(service="2.8.e", date=days_ago(3), amount=Decimal("50.00"))
    with pytest.raises(ValidationError):
        submit_claim(
            ClaimInput(member=member, kind="best_doctors", lines=[line], iban=IBAN),
            actor=member_user,
        )
    assert not Claim.objects.exists()
