"""The monthly register of complaints, as insurers keep it for the supervisor (КФН): one row
per complaint received in the month, with the columns of an insurer's register, as CSV (UTF-8
with a byte-order mark, so spreadsheet programs read the Cyrillic) and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from zdrave.engine.calendar import add_months
from zdrave.member_rights.complaints.models import Complaint


def columns() -> list[str]:
    return [
        _("Incoming number"),
        _("Date received"),
        _("Channel"),
        _("Complainant"),
        _("Complainant is"),
        _("Complaint about"),
        _("Category"),
        _("Due"),
        _("Answered on"),
        _("Outcome"),
        _("Claim reopened"),
    ]


def month_rows(year: int, month: int) -> list[list]:
    first = dt.date(year, month, 1)
    complaints = (
        Complaint.objects.filter(received_on__gte=first, received_on__lt=add_months(first, 1))
        .select_related("claim", "contract")
        .order_by("received_on", "id")
    )
    return [_row(c) for c in complaints]


def _row(c: Complaint) -> list:
    if c.claim is not None:
        subject = _("claim %(number)s") % {"number": c.claim.number}
    elif c.contract is not None:
        subject = _("contract %(number)s") % {"number": c.contract.number}
    else:
        subject = ""
    return [
        c.number,
        c.received_on,
        c.get_channel_display(),
        c.complainant_name,
        c.get_complainant_kind_display(),
        subject,
        c.get_category_display(),
        c.due_on,
        c.answered_on,
        c.get_outcome_display() if c.outcome else _("open"),
        _("yes") if c.claim_reopened else "",
    ]


def as_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns())
    for row in rows:
        writer.writerow([f"{v:%d.%m.%Y}" if isinstance(v, dt.date) else v for v in row])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(rows: list[list], *, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(columns())
    for row in rows:
        sheet.append([v if v is not None else "" for v in row])
    for index, name in enumerate(columns(), start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(name) + 2)
        for cell in sheet[letter][1:]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(year: int, month: int, extension: str) -> str:
    return f"complaints-register-{year}-{month:02d}.{extension}"
