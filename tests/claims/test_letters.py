"""The decision letter (issue 10: "every line, its decision, the clause it rests on in plain
words, the amount, the remaining limit after this claim, how to object"), in the browser and as
a PDF opened with pypdf, attached to the decision e-mail; only for whoever may open the claim."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from claims.builders import line, submit
from contracts.factories import build_world, contract_with, make_user
from zdrave.base.audit.models import AuditEvent
from zdrave.base.identity.models import Role
from zdrave.claims.actions import bank
from zdrave.claims.actions import decide as deciding
from zdrave.claims.letters import decision_letter, letter_html, objection
from zdrave.claims.models import ClaimStatus, Outcome, PaymentStatus
from zdrave.engine.adjudication.reasons import REASON_CODES
from zdrave.engine.calendar import add_months
from zdrave.engine.money import format_eur
from zdrave.products.terms import terms

DOCS = ["claim-form", "ambulatory-sheet", "invoice", "fiscal-receipt"]
# 002 II.Б, option "Пълна": 300 лв a year in the reimbursement form = 153.39 EUR; 10 000 лв
# for both forms together = 5 112.92 EUR.
REIMBURSEMENT_LIMIT = Decimal("153.39")
BOTH_FORMS_LIMIT = Decimal("5112.92")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def submit_two_lines(member, user, *, key="letter", amount="50.00"):
    """A specialist's examination (002 II.1, covered by package 2) and a hospital stay (002 III,
    a package the contract does not have)."""
    lines = [
        line("2.1.a", amount=amount, invoice="A-1"),
        line("3.1", amount="400.00", invoice="A-2"),
    ]
    return submit(member, user, key=key, docs=DOCS, lines=lines, payee_name="Мила Тестова")


@pytest.fixture
def decided(member, member_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = submit_two_lines(member, member_user)
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    assert claim.payable == Decimal("50.00")
    return claim


def test_the_letter_lists_every_line_with_its_clause_and_how_to_object(
    client, decided, member_user
):
    client.force_login(member_user)
    response = client.get(reverse("claims:letter", args=[decided.number]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    with translation.override("bg"):
        approved, rejected = str(Outcome.APPROVED.label), str(Outcome.REJECTED.label)
    # Both lines, each with its decision, the clause it rests on in plain words, the amount.
    assert "1. Преглед при необходимост от медицинска помощ – от специалист" in html
    assert f"{_('Decision')}: {approved}" in html
    assert "Покрито от вашия пакет. (002 II.1)" in html
    assert "2. Хоспитализация в лечебно заведение за активно лечение по клинична пътека." in html
    assert f"{_('Decision')}: {rejected}" in html
    assert f"{REASON_CODES['package-not-in-contract'].bg} (004 Чл.21(1) т.33)" in html
    assert f"Изплащаме: <strong>{format_eur(Decimal('50.00'))}</strong>" in html
    assert f"Изплащаме: <strong>{format_eur(Decimal('0.00'))}</strong>" in html
    # What is left of the package's yearly limits after this claim (002 II.Б).
    for left, limit in (
        (REIMBURSEMENT_LIMIT - Decimal("50.00"), REIMBURSEMENT_LIMIT),
        (BOTH_FORMS_LIMIT - Decimal("50.00"), BOTH_FORMS_LIMIT),
    ):
        assert f"остават {format_eur(left)} от {format_eur(limit)} (002 II.Б)" in html
    # How to object: in writing, negotiation, the supervisor and the court; by when.
    event = timezone.localdate() - dt.timedelta(days=3)
    for words in (
        "Как да възразите",
        "(004 Чл.30 т.1)",
        "(004 Чл.31 т.2)",
        "Комисията за финансов надзор (www.fsc.bg)",
        "компетентния български съд",
        f"(004 Чл.31 т.1): за тази претенция – на {add_months(event, 60):%d.%m.%Y}",
    ):
        assert words in html, words
    # The diagnosis is not in the letter.
    assert "M54.5" not in html


def _(text: str) -> str:
    with translation.override("bg"):
        return gettext(text)


def test_the_letter_in_english_on_request(client, decided, member_user):
    client.force_login(member_user)
    html = client.get(reverse("claims:letter", args=[decided.number]) + "?lang=en").content
    html = html.decode()
    assert '<html lang="en">' in html
    assert f"Decision on claim {decided.number}" in html
    assert "Covered by your package. (002 II.1)" in html
    assert "Financial Supervision Commission" in html
    assert "How to object" in html


def test_the_pdf_opens_and_carries_the_claim_number_in_bulgarian(client, decided, member_user):
    client.force_login(member_user)
    response = client.get(reverse("claims:letter_pdf", args=[decided.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{decided.number}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert f"Решение по претенция {decided.number}" in text
    assert "Изх. №: " + decided.number in text
    assert "Как да възразите" in text
    assert "Комисията за финансов надзор" in text
    # Each view of the letter is logged as a read of health data.
    verbs = list(
        AuditEvent.objects.filter(object_id=str(decided.pk)).values_list("verb", flat=True)
    )
    assert "claim_letter_downloaded" in verbs


def test_the_decision_email_carries_the_letter_as_a_pdf(decided):
    decision = next(m for m in mail.outbox if m.subject.endswith("нашето решение"))
    ((name, content, mimetype),) = decision.attachments
    assert (name, mimetype) == (f"{decided.number}.pdf", "application/pdf")
    text = pdf_text(content)
    assert f"Решение по претенция {decided.number}" in text
    assert "Хоспитализация" in text


def test_only_who_may_open_the_claim_reads_the_letter(client, decided, adjuster):
    world = build_world()
    stranger = make_user("stranger", email="s@example.bg")
    contract_with(stranger, number="H-300", extra_care=False)
    coordinator = make_user("coord", Role.SERVICE_COORDINATOR)
    urls = [
        reverse("claims:letter", args=[decided.number]),
        reverse("claims:letter_pdf", args=[decided.number]),
    ]
    assert client.get(urls[0]).status_code == 302  # to log-in
    for who in (stranger, world.employer, world.ivan, coordinator):
        client.force_login(who)
        assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(adjuster)
    assert client.get(urls[0]).status_code == 200
    views = AuditEvent.objects.filter(verb="claim_letter_viewed", object_id=str(decided.pk))
    assert list(views.values_list("actor__username", flat=True)) == ["adj1"]


def test_no_letter_before_a_decision(client, member, member_user):
    claim = submit(
        member,
        member_user,
        key="early",
        docs=["claim-form"],
        lines=[line("2.1.a", days_ago=1, amount="40.00", invoice="")],
        payee_name="Мила",
        provider="",
        diagnosis="J06.9",
    )
    assert claim.status == ClaimStatus.PENDING_DOCUMENTS
    client.force_login(member_user)
    assert client.get(reverse("claims:letter", args=[claim.number])).status_code == 404


@pytest.mark.parametrize(
    ("amount", "fee_is_insureds"),
    [("10.23", True), ("10.24", False)],
    ids=["004-chl29-t7-up-to-20-leva", "004-chl29-t7-above-20-leva"],
)
def test_a_small_payment_letter_says_the_bank_fee_is_the_insureds(
    member, member_user, amount, fee_is_insureds
):
    claim = submit_two_lines(member, member_user, key="small", amount=amount)
    letter = decision_letter(claim, "bg")
    assert (letter.payable, letter.bank_fee_is_insureds) == (Decimal(amount), fee_is_insureds)
    note = "банковата такса за превода е за сметка на застрахованото лице (004 Чл.29 т.7)"
    assert (note in letter_html(letter)) is fee_is_insureds


def test_a_later_decision_says_what_it_replaced_and_what_is_to_be_paid_back(
    decided, adjuster, second_adjuster
):
    batch = bank.create_batch(actor=adjuster, execution_date=bank.first_execution_date()).batch
    bank.confirm_batch_paid(batch, actor=adjuster, on=timezone.localdate())
    deciding.reopen(decided, actor=adjuster, note="Нова фактура с отстъпка")
    override = deciding.parse_override(0, "30.00", "Фактурата е с отстъпка")
    deciding.decide(decided, actor=adjuster, overrides=[override], note="Отстъпка по фактурата")
    deciding.approve(decided, actor=second_adjuster)
    decided.refresh_from_db()
    assert decided.payments.get(status=PaymentStatus.TO_RECOVER).amount == Decimal("-20.00")
    letter = decision_letter(decided, "bg")
    assert (letter.version.number, letter.replacement.earlier.number) == (2, 1)
    assert (letter.replacement.difference, letter.replacement.to_recover) == (
        Decimal("-20.00"),
        Decimal("20.00"),
    )
    html = letter_html(letter)
    assert "Това е решение № 2. То заменя решение № 1" in html
    assert "20,00" in html
    assert "Отстъпка по фактурата" in html
    assert "004 Чл.29 т.10" in html
    # The version in force is the one shown: the first line now pays 30.00.
    assert [line.payable for line in letter.lines] == [Decimal("30.00"), Decimal("0.00")]


@pytest.mark.parametrize(
    ("version", "words"),
    [
        ("2019-02-01", ["001 т.79", "1 месец", "0700 16 166", "clients@dzi.bg", "001 т.83"]),
        ("2015-10-01", ["003 т.77", "от 10 до 30 работни дни", "003 т.82", "3 години"]),
    ],
    ids=["001-t79-one-month", "003-t77-10-to-30-working-days"],
)
def test_a_best_doctors_letter_gives_its_own_complaint_route(version, words):
    text = " ".join(objection(terms("best-doctors", version), dt.date(2026, 3, 2), "bg"))
    for word in words:
        assert word in text, word
    assert "Комисията за финансов надзор" in text
