"""Bank statements: import a file (CSV export or camt.053), book every credit that matches one
contract, list the rest for a person; match or set aside a line by hand.

Importing is idempotent twice over: the same file (SHA-256) is one statement, and a line the
bank already gave in an earlier file (the same bank reference, date and amount) is stored as a
duplicate and books nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.banking.camt053 import StatementEntry
from zdrave.contracts.models import Contract
from zdrave.policy_admin.billing.actions.payments import record_payment
from zdrave.policy_admin.billing.bankfiles import parse_bank_file
from zdrave.policy_admin.billing.fetch import match_line, outstanding
from zdrave.policy_admin.billing.models import (
    TO_MATCH,
    BankStatement,
    LineStatus,
    PaymentSource,
    StatementLine,
)


def _how():
    return {
        "reference": _("Matched by the contract number in the payment details."),
        "amount+payer": _("Matched by the amount of an unpaid instalment and the payer's name."),
    }


@dataclass(frozen=True)
class ImportResult:
    statement: BankStatement
    new: bool  # False: this very file was imported before; nothing changed


def import_statement(file_name: str, data: bytes, *, actor) -> ImportResult:
    """Read, store and book a statement file in one transaction: all its lines or none."""
    digest = hashlib.sha256(data).hexdigest()
    existing = BankStatement.objects.filter(sha256=digest).first()
    if existing is not None:
        return ImportResult(existing, False)
    kind, entries = parse_bank_file(data)
    with transaction.atomic():
        statement, created = BankStatement.objects.get_or_create(
            sha256=digest,
            defaults={
                "format": kind,
                "file_name": file_name[:200],
                "imported_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        if not created:
            return ImportResult(statement, False)
        for index, entry in enumerate(entries, start=1):
            _book_entry(statement, index, entry, actor)
        record(
            actor=actor,
            verb="bank_statement.imported",
            obj=statement,
            lines=len(entries),
            booked=statement.lines.filter(status=LineStatus.BOOKED).count(),
        )
    return ImportResult(statement, True)


def _bank_key(entry: StatementEntry) -> str | None:
    if not entry.reference:
        return None
    return f"{entry.account_iban}|{entry.reference}|{entry.booked_on.isoformat()}|{entry.amount}"


def _book_entry(statement: BankStatement, index: int, entry: StatementEntry, actor) -> None:
    key = _bank_key(entry)
    line = StatementLine(
        statement=statement,
        index=index,
        bank_key=key,
        reference=entry.reference[:100],
        booked_on=entry.booked_on,
        amount=entry.amount,
        currency=entry.currency or "EUR",
        credit=entry.credit,
        payer=entry.counterparty[:200],
        payer_iban=entry.counterparty_iban[:34],
        remittance=entry.remittance[:500],
    )
    if key is not None and StatementLine.objects.filter(bank_key=key).exists():
        line.bank_key = None
        line.status = LineStatus.DUPLICATE
        line.note = _("The bank gave this transaction in an earlier statement.")
        line.save()
        return
    if not entry.credit or line.currency != "EUR":
        line.status = LineStatus.NOT_OURS
        line.save()
        return
    found = match_line(entry.remittance, entry.reference, entry.amount, entry.counterparty)
    line.candidates = [c.number for c in found.contracts]
    if len(found.contracts) == 1:
        contract = found.contracts[0]
        line.contract = contract
        if entry.amount <= outstanding(contract):
            line.status = LineStatus.BOOKED
            line.note = _how()[found.how]
            line.save()
            record_payment(
                contract,
                amount=entry.amount,
                received_on=entry.booked_on,
                actor=actor,
                payer=entry.counterparty,
                source=PaymentSource.STATEMENT,
                statement_line=line,
            )
            return
        line.status = LineStatus.SURPLUS
        line.note = _("Contract %(n)s owes %(owed)s EUR.") % {
            "n": contract.number,
            "owed": outstanding(contract),
        }
    elif found.contracts:
        line.status = LineStatus.AMBIGUOUS
    else:
        line.status = LineStatus.UNMATCHED
    line.save()


def match_by_hand(line: StatementLine, contract: Contract, *, actor) -> StatementLine:
    """A person books a line the import could not: to ``contract``, for no more than it owes."""
    with transaction.atomic():
        locked = StatementLine.objects.select_for_update().get(pk=line.pk)
        if locked.status not in TO_MATCH:
            raise ValidationError(
                {
                    "contract": _("Contract: this line is already %(status)s.")
                    % {"status": locked.get_status_display().lower()}
                }
            )
        owed = outstanding(contract)
        if locked.amount > owed:
            raise ValidationError(
                {
                    "contract": _(
                        "Contract: %(n)s owes %(owed)s EUR, less than the %(amount)s EUR received."
                    )
                    % {"n": contract.number, "owed": owed, "amount": locked.amount}
                }
            )
        record_payment(
            contract,
            amount=locked.amount,
            received_on=locked.booked_on,
            actor=actor,
            payer=locked.payer,
            source=PaymentSource.STATEMENT,
            statement_line=locked,
        )
        previous = locked.status
        locked.status = LineStatus.BOOKED
        locked.contract = contract
        locked.note = _("Matched by hand.")
        locked.save(update_fields=["status", "contract", "note"])
        record(
            actor=actor,
            verb="statement_line.matched",
            obj=locked,
            contract=contract.number,
            previous=previous,
        )
    return locked


def set_aside(line: StatementLine, *, actor, note: str) -> StatementLine:
    """Not a premium of ours (to be sent back, or booked elsewhere): the person says why."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Note: say why the line is set aside.")})
    with transaction.atomic():
        locked = StatementLine.objects.select_for_update().get(pk=line.pk)
        if locked.status not in TO_MATCH:
            return locked
        previous = locked.status
        locked.status = LineStatus.SET_ASIDE
        locked.note = note[:300]
        locked.save(update_fields=["status", "note"])
        record(actor=actor, verb="statement_line.set_aside", obj=locked, previous=previous)
    return locked


def total(lines) -> Decimal:
    return sum((line.amount for line in lines), start=Decimal("0.00"))
