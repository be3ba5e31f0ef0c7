"""Bank statement files as ``camt053.StatementEntry`` rows: camt.053 (ISO 20022, read by
``base.banking.camt053``) or the CSV export of a Bulgarian bank's internet banking, in this
documented format (docs/billing-statement-csv.md):

- encoding UTF-8 (a byte-order mark is allowed) or Windows-1251, as Bulgarian banks export;
- separator ``;``, a header row with these columns, in any order, names in Bulgarian:
  ``Дата`` (booking date, ``ДД.ММ.ГГГГ``), ``Референция`` (the bank's reference of the
  transaction, unique per account), ``Наредител`` (payer's name), ``IBAN на наредителя``,
  ``Дебит`` and ``Кредит`` (amounts with a decimal comma, ``1 234,56``; one of them filled),
  ``Валута`` (``EUR``) and ``Основание`` (the payment details the payer wrote: the contract
  number goes here).

Every bad row is named with its line number and the rule it breaks; nothing is imported from a
file with an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zdrave.base.banking.camt053 import StatementEntry, parse_statement
from zdrave.base.banking.schemas import MAX_FILE_BYTES

COLUMNS = {
    "date": "Дата",
    "reference": "Референция",
    "payer": "Наредител",
    "iban": "IBAN на наредителя",
    "debit": "Дебит",
    "credit": "Кредит",
    "currency": "Валута",
    "details": "Основание",
}
MAX_ROWS = 20_000


def parse_bank_file(data: bytes) -> tuple[str, list[StatementEntry]]:
    """(format, entries) of an uploaded statement: XML is read as camt.053, anything else as
    the CSV export."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("Bank statement: the file is larger than %(limit)d MB.")
            % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "camt053", parse_statement(data)
    return "csv", parse_csv(data)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError:
        raise ValidationError(
            _("Bank statement: the file is neither UTF-8 nor Windows-1251 text.")
        ) from None


def parse_csv(data: bytes) -> list[StatementEntry]:
    reader = csv.reader(io.StringIO(_text(data)), delimiter=";")
    header = next(reader, None)
    if not header:
        raise ValidationError(_("Bank statement: the file is empty."))
    names = [h.strip() for h in header]
    missing = [name for name in COLUMNS.values() if name not in names]
    if missing:
        raise ValidationError(
            _("Bank statement: the header lacks the columns %(columns)s (separator ';').")
            % {"columns": ", ".join(missing)}
        )
    where = {key: names.index(name) for key, name in COLUMNS.items()}
    entries, errors = [], []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if number > MAX_ROWS:
            raise ValidationError(
                _("Bank statement: more than %(n)s rows; split the file.") % {"n": MAX_ROWS}
            )
        try:
            entries.append(_row(row, where, number))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors[:20])
    return entries


def _cell(row: list[str], where: dict[str, int], key: str) -> str:
    i = where[key]
    return row[i].strip() if i < len(row) else ""


def _row(row: list[str], where: dict[str, int], number: int) -> StatementEntry:
    raw_date = _cell(row, where, "date")
    try:
        booked = dt.datetime.strptime(raw_date, "%d.%m.%Y").date()  # noqa: DTZ007 - a date only
    except ValueError:
        raise ValidationError(
            _("Bank statement, line %(n)s: Дата “%(value)s” is not a date ДД.ММ.ГГГГ.")
            % {"n": number, "value": raw_date}
        ) from None
    debit = _amount(_cell(row, where, "debit"), number, COLUMNS["debit"])
    credit = _amount(_cell(row, where, "credit"), number, COLUMNS["credit"])
    if (debit is None) == (credit is None):
        raise ValidationError(
            _("Bank statement, line %(n)s: fill exactly one of Дебит and Кредит.") % {"n": number}
        )
    return StatementEntry(
        booked_on=booked,
        amount=credit if credit is not None else debit,
        currency=_cell(row, where, "currency").upper() or "EUR",
        credit=credit is not None,
        reference=_cell(row, where, "reference")[:100],
        counterparty=_cell(row, where, "payer")[:200],
        counterparty_iban=_cell(row, where, "iban").replace(" ", "").upper()[:34],
        remittance=_cell(row, where, "details")[:500],
    )


def _amount(raw: str, number: int, column: str) -> Decimal | None:
    if not raw:
        return None
    cleaned = raw.replace("\u00a0", "").replace(" ", "")
    if "," in cleaned:  # the decimal comma; dots are then thousands separators
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise ValidationError(
            _("Bank statement, line %(n)s: %(column)s “%(value)s” is not an amount like 1 234,56.")
            % {"n": number, "column": column, "value": raw}
        )
    return value
