"""Bank statements: matched by contract number, or by amount and payer; unmatched and
ambiguous lines listed for a person; the same file twice books nothing twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from policy_admin.billing.conftest import billed_contract
from policy_admin.billing.statement_files import camt053, csv_file
from zdrave.base.banking.camt053 import parse_statement
from zdrave.policy_admin.billing.actions.statements import (
    import_statement,
    match_by_hand,
    set_aside,
)
from zdrave.policy_admin.billing.bankfiles import parse_csv
from zdrave.policy_admin.billing.models import LineStatus, PremiumPayment

DAY = timezone.localdate() - dt.timedelta(days=1)


def test_csv_lines_are_booked_by_contract_number_and_the_rest_listed(contract, billing_user):
    other = billed_contract("H-201", holder_name=("Иво", "Донев"))
    data = csv_file(
        (DAY, "FT001", "МИЛА ПЕТРОВА", "", "300,00", "Вноска по договор H-200"),
        (DAY, "FT002", "Непознат", "", "55,00", "дарение"),
        (DAY, "FT003", "Иво Донев", "", "300,00", "вноски H-200 и H-201"),
        (DAY, "FT004", "Банка", "12,00", "", "такса"),
    )
    result = import_statement("izvlechenie.csv", data, actor=billing_user)
    lines = list(result.statement.lines.order_by("index"))
    assert [(x.status, x.candidates) for x in lines] == [
        (LineStatus.BOOKED, ["H-200"]),
        (LineStatus.UNMATCHED, []),
        (LineStatus.AMBIGUOUS, ["H-200", "H-201"]),
        (LineStatus.NOT_OURS, []),
    ]
    assert contract.instalments.filter(paid_on__isnull=True).count() == 2
    # A person books the ambiguous line to the contract the payer holds.
    match_by_hand(lines[2], other, actor=billing_user)
    assert other.instalments.filter(paid_on=DAY).count() == 1
    set_aside(lines[1], actor=billing_user, note="Не е премия: връщаме на наредителя.")
    assert {x.status for x in result.statement.lines.all()} == {
        LineStatus.BOOKED,
        LineStatus.SET_ASIDE,
        LineStatus.NOT_OURS,
    }


def test_same_file_twice_books_nothing_twice(contract, billing_user):
    data = csv_file((DAY, "FT010", "Мила Петрова", "", "300,00", "H-200"))
    first = import_statement("a.csv", data, actor=billing_user)
    again = import_statement("a-copy.csv", data, actor=billing_user)
    assert (first.new, again.new, again.statement.pk) == (True, False, first.statement.pk)
    # An overlapping file (another day's export with the same transaction) is a duplicate.
    overlap = csv_file(
        (DAY, "FT010", "Мила Петрова", "", "300,00", "H-200"),
        (DAY, "FT011", "Мила Петрова", "", "300,00", "H-200"),
    )
    later = import_statement("b.csv", overlap, actor=billing_user)
    statuses = list(later.statement.lines.order_by("index").values_list("status", flat=True))
    assert statuses == [LineStatus.DUPLICATE, LineStatus.BOOKED]
    assert PremiumPayment.objects.count() == 2
    assert sum(p.amount for p in PremiumPayment.objects.all()) == Decimal("600.00")


def test_matched_by_amount_and_payer_without_a_reference(contract, billing_user):
    data = csv_file((DAY, "FT020", "MILA PETROVA", "", "300,00", "застраховка"))
    result = import_statement("c.csv", data, actor=billing_user)
    line = result.statement.lines.get()
    assert (line.status, line.contract) == (LineStatus.BOOKED, contract)
    assert "наредителя" in line.note


def test_more_than_owed_waits_for_a_person(contract, billing_user):
    data = csv_file((DAY, "FT030", "Мила", "", "1 000,00", "H-200"))
    line = import_statement("d.csv", data, actor=billing_user).statement.lines.get()
    assert line.status == LineStatus.SURPLUS
    assert PremiumPayment.objects.count() == 0
    with pytest.raises(ValidationError):
        match_by_hand(line, contract, actor=billing_user)


def test_camt053_statement_is_read_validated_and_booked(contract, billing_user):
    data = camt053((DAY, "BNK-77", "Мила Петрова", "300.00", "Premiya H-200"))
    [entry] = parse_statement(data)
    assert (entry.amount, entry.credit, entry.reference, entry.counterparty) == (
        Decimal("300.00"),
        True,
        "BNK-77",
        "Мила Петрова",
    )
    line = import_statement("stmt.xml", data, actor=billing_user).statement.lines.get()
    assert line.status == LineStatus.BOOKED


def test_camt053_breaking_the_schema_is_refused_with_the_place():
    data = camt053((DAY, "BNK-78", "X", "300.00", "H-200")).replace(
        b"<CdtDbtInd>CRDT", b"<CdtDbtInd>XX", 1
    )
    with pytest.raises(ValidationError) as refused:
        parse_statement(data)
    assert "camt.053.001.08" in str(refused.value)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(b"", "празен", id="empty"),
        pytest.param(b"Date;Amount\n", "Дата", id="wrong-columns"),
        pytest.param(
            csv_file((DAY, "R", "P", "", "12,345", "x")), "ред 2", id="amount-not-to-the-cent"
        ),
        pytest.param(
            csv_file((DAY, "R", "P", "1,00", "2,00", "x")), "точно едно", id="debit-and-credit"
        ),
        pytest.param(
            csv_file((DAY, "R", "P", "", "2,00", "x")).replace(
                f"{DAY:%d.%m.%Y}".encode(), b"2026-13-01"
            ),
            "не е дата",
            id="bad-date",
        ),
    ],
)
def test_bad_csv_is_refused_naming_line_and_rule(content, words):
    with pytest.raises(ValidationError) as refused:
        parse_csv(content)
    assert words in " ".join(refused.value.messages)


def test_windows_1251_export_is_read():
    [entry] = parse_csv(csv_file((DAY, "R1", "Мила", "", "1.234,56", "H-200"), encoding="cp1251"))
    assert (entry.counterparty, entry.amount) == ("Мила", Decimal("1234.56"))
