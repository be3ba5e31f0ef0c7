"""The month closed per provider into one statement (PDF, CSV), ONE SEPA transfer per statement
(pain.001.001.09 valid against the official XSD), paid; recoveries (004 Чл.29 т.10, Чл.26 т.2)
offset against the next statement or repaid, with a letter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from base.banking.pain001 import NS, OFFICIAL_XSD, parsed
from providers.settlement.helpers import bill
from zdrave.claims.models import ClaimStatus
from zdrave.providers.settlement import actions, documents
from zdrave.providers.settlement.models import (
    Debtor,
    RecoveryGround,
    RecoveryStatus,
    Statement,
    StatementStatus,
)


@pytest.fixture
def two_billed(clinic, institution, person, account):
    return (
        bill(clinic, institution, person, amount="60.00", reference="INV-1"),
        # no agreed price for 2.3.a and no paid history: the billed amount stands
        bill(clinic, institution, person, amount="80.00", reference="INV-2", service="2.3.a"),
    )


def test_close_month_makes_one_statement_per_provider(two_billed, billing, today):
    outcome = actions.close_month(today, actor=billing)

    (statement,) = outcome.statements
    assert statement.claims_total == Decimal("140.00")
    assert statement.payable == Decimal("140.00")
    assert statement.status == StatementStatus.CLOSED
    for billed in two_billed:
        billed.refresh_from_db()
        billed.claim.refresh_from_db()
        assert billed.statement == statement
        assert billed.claim.status == ClaimStatus.PAYMENT_SCHEDULED
    # closing again makes nothing new
    assert actions.close_month(today, actor=billing).statements == []


def test_a_future_month_cannot_be_closed(billing, today):
    with pytest.raises(ValidationError) as refused:
        actions.close_month(today + dt.timedelta(days=40), actor=billing)
    assert "month" in refused.value.message_dict


def test_provider_without_account_waits(clinic, institution, person, billing, today):
    bill(clinic, institution, person)
    outcome = actions.close_month(today, actor=billing)
    assert outcome.statements == []
    assert outcome.no_account == [institution]


def test_one_sepa_transfer_per_statement_valid_against_the_xsd_then_paid(
    two_billed, billing, today, execution_day
):
    (statement,) = actions.close_month(today, actor=billing).statements
    batch = actions.create_settlement_batch(actor=billing, execution_date=execution_day)

    data = bytes(batch.xml)
    assert OFFICIAL_XSD.is_valid(data.decode())
    transfers = parsed(data).findall(".//p:CdtTrfTxInf", NS)
    assert len(transfers) == 1
    assert transfers[0].find(".//p:EndToEndId", NS).text == statement.number
    assert transfers[0].find(".//p:InstdAmt", NS).text == "140.00"
    assert (batch.count, batch.total) == (1, Decimal("140.00"))
    with pytest.raises(ValidationError):  # nothing left to send
        actions.create_settlement_batch(actor=billing, execution_date=execution_day)

    assert actions.confirm_settlement_paid(batch, actor=billing, on=today) == 1
    statement.refresh_from_db()
    assert (statement.status, statement.paid_on) == (StatementStatus.PAID, today)
    for billed in two_billed:
        billed.claim.refresh_from_db()
        assert billed.claim.status == ClaimStatus.PAID
    with pytest.raises(ValidationError):
        actions.confirm_settlement_paid(batch, actor=billing, on=today)


def test_statement_pdf_and_csv(two_billed, billing, today):
    (statement,) = actions.close_month(today, actor=billing).statements

    assert documents.statement_pdf(statement, "bg").startswith(b"%PDF")
    assert documents.statement_pdf(statement, "en").startswith(b"%PDF")
    rows = documents.statement_csv(statement).splitlines()
    assert rows[0].startswith("statement;reference;claim")
    assert len(rows) == 4  # header, two claims, total
    assert rows[-1].endswith(";140.00")


def test_004_chl29_t10_recovery_from_the_provider_is_offset_in_the_next_statement(
    two_billed, clinic, institution, person, billing, today, execution_day
):
    first, _second = two_billed
    actions.close_month(today, actor=billing)
    recovery = actions.open_recovery(
        first,
        actor=billing,
        debtor=Debtor.PROVIDER,
        ground=RecoveryGround.NOT_OWED,
        amount=Decimal("25.00"),
        note="Billed twice.",
    )
    assert documents.recovery_pdf(recovery, "bg").startswith(b"%PDF")
    context = documents.recovery_context(recovery)
    assert "004 Чл.29 т.10" in " ".join(str(p) for p in context["paragraphs"])

    # Next month (a new statement month): the recovery is offset against it
    later = bill(clinic, institution, person, amount="55.00", reference="INV-3", service="2.4.a")
    assert later.claim.status == ClaimStatus.APPROVED, later.claim.events.values_list("note")
    Statement.objects.update(
        month=dt.date(2000, 1, 1), number="ST-200001", end_to_end_id="ST-200001"
    )  # last statement was an earlier month
    (statement,) = actions.close_month(today, actor=billing).statements
    recovery.refresh_from_db()
    assert later.pk in [c.pk for c in statement.claims.all()]
    assert (statement.offset_total, statement.payable) == (Decimal("25.00"), Decimal("30.00"))
    assert (recovery.status, recovery.offset_statement) == (RecoveryStatus.OFFSET, statement)


def test_004_chl29_t10_recovery_from_the_member_is_repaid(two_billed, billing, today):
    first, _ = two_billed
    actions.close_month(today, actor=billing)
    recovery = actions.open_recovery(
        first,
        actor=billing,
        debtor=Debtor.MEMBER,
        ground=RecoveryGround.OVER_LIMIT,
        amount=Decimal("10.00"),
    )
    assert "004 Чл.26 т.2" in str(documents.recovery_context(recovery)["paragraphs"][-1])
    actions.record_repaid(recovery, actor=billing, on=today)
    recovery.refresh_from_db()
    assert (recovery.status, recovery.repaid_on) == (RecoveryStatus.REPAID, today)
    with pytest.raises(ValidationError):
        actions.record_repaid(recovery, actor=billing, on=today)


def test_recovery_above_what_was_paid_or_before_settlement_is_refused(
    clinic, institution, person, account, billing, today
):
    billed = bill(clinic, institution, person)
    with pytest.raises(ValidationError) as before:
        actions.open_recovery(
            billed, actor=billing, debtor="provider", ground="not-owed", amount=Decimal("1")
        )
    assert "amount" in before.value.message_dict
    actions.close_month(today, actor=billing)
    with pytest.raises(ValidationError) as too_much:
        actions.open_recovery(
            billed, actor=billing, debtor="provider", ground="not-owed", amount=Decimal("60.01")
        )
    assert "60.00" in too_much.value.message_dict["amount"][0]
    assert not billed.recoveries.exists()
    assert timezone.localdate() == today
