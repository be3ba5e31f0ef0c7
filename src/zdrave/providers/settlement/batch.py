"""A batch file of provider claims: CSV (comma or semicolon), UTF-8, a header row with the
columns ``check`` (the eligibility check's number), ``reference``, ``amount`` (EUR),
``diagnosis`` (ICD-10) and optionally ``quantity`` and ``letter`` (the guarantee letter's
number, for a service that needed pre-authorisation). Rows become ``ProviderClaimInput``; a
row that cannot be read is a ``RowError`` naming its row and column."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from zdrave.providers.settlement.actions import ProviderClaimInput, RowError

COLUMNS = ("check", "reference", "amount", "diagnosis")
MAX_BYTES = 1_000_000
MAX_ROWS = 1000


def parse(raw: bytes) -> tuple[list[ProviderClaimInput], list[RowError]]:
    if len(raw) > MAX_BYTES:
        return [], [RowError(1, "file", _("File: at most 1 MB."))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(1, "file", _("File: save it as CSV in UTF-8."))]
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [
            RowError(
                1,
                "file",
                _("Header: the columns %(names)s are missing.") % {"names": ", ".join(missing)},
            )
        ]
    reader.fieldnames = header
    rows: list[ProviderClaimInput] = []
    errors: list[RowError] = []
    for number, raw_row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            errors.append(RowError(number, "file", _("File: at most 1000 rows.")))
            break
        row = {k: (v or "").strip() for k, v in raw_row.items() if k}
        if not any(row.values()):
            continue
        check_id = int(row["check"]) if row["check"].isdigit() else None
        if check_id is None:
            errors.append(RowError(number, "check", _("Eligibility check: a number.")))
        try:
            amount = Decimal(row["amount"].replace(",", "."))
        except InvalidOperation:
            amount = None
        quantity_text = row.get("quantity", "") or "1"
        quantity = int(quantity_text) if quantity_text.isdigit() else 0
        rows.append(
            ProviderClaimInput(
                check_id=check_id,
                reference=row["reference"],
                amount=amount,
                diagnosis=row["diagnosis"],
                quantity=quantity,
                letter=row.get("letter", ""),
            )
        )
    if not rows and not errors:
        errors.append(RowError(1, "file", _("File: no rows below the header.")))
    return rows, errors
