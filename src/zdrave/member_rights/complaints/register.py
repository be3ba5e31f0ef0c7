"""The monthly register of complaints, as insurers keep it for the supervisor (КФН): one row
per complaint received in the month, with the columns of an insurer's register, as CSV (UTF-8
with a byte-order mark, so spreadsheet programs read the Cyrillic) and XLSX.

A member's objection to a decision on a treatment-abroad case (``treatment_abroad``
``Objection``, 001 т.78 / 003 т.76) is a complaint with its own incoming number: it is a row
too, unless a complaint about the same case's decision was open when it was filed (that
complaint's row already counts the grievance: docs/decisions.md, "Member rights finished
(issue 14, session 19)")."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from zdrave.engine.calendar import add_months
from zdrave.member_rights.complaints.models import (
    Category,
    Channel,
    ComplainantKind,
    Complaint,
    Outcome,
)
from zdrave.treatment_abroad.models import Objection


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
        .select_related("claim", "contract", "case")
        .defer("text", "reasons")
        .order_by("received_on", "id")
    )
    # The labels translated once for the month, not once a row (``get_FOO_display`` rebuilds
    # its choices for every call).
    labels = {
        kind: {value: str(label) for value, label in choices.choices}
        for kind, choices in (
            ("channel", Channel),
            ("kind", ComplainantKind),
            ("category", Category),
            ("outcome", Outcome),
        )
    }
    labels["outcome"][""] = _("open")
    claim, contract, yes = _("claim %(number)s"), _("contract %(number)s"), _("yes")
    case = _("treatment-abroad case %(number)s")
    rows = [
        [
            c.number,
            c.received_on,
            labels["channel"].get(c.channel, c.channel),
            c.complainant_name,
            labels["kind"].get(c.complainant_kind, c.complainant_kind),
            claim % {"number": c.claim.number}
            if c.claim is not None
            else case % {"number": c.case.number}
            if c.case is not None
            else contract % {"number": c.contract.number}
            if c.contract is not None
            else "",
            labels["category"].get(c.category, c.category),
            c.due_on,
            c.answered_on,
            labels["outcome"].get(c.outcome, c.outcome),
            yes if c.claim_reopened or c.case_reassessed else "",
        ]
        for c in complaints
    ]
    rows += _objection_rows(first, add_months(first, 1), labels, case, yes)
    rows.sort(key=lambda row: (row[1], row[0]))
    return rows


def _objection_rows(first: dt.date, after: dt.date, labels, case: str, yes: str) -> list[list]:
    objections = (
        Objection.objects.filter(filed_on__gte=first, filed_on__lt=after)
        .select_related("case", "filed_by")
        .defer("text", "answer")
        .order_by("filed_on", "id")
    )
    counted = _counted_by_complaints(objections)
    category = labels["category"][Category.CASE_DECISION]
    portal = labels["channel"][Channel.PORTAL]
    return [
        [
            o.number,
            o.filed_on,
            portal,
            o.filed_by.get_full_name() or o.filed_by.get_username(),
            labels["kind"][ComplainantKind.INSURED],
            case % {"number": o.case.number},
            category,
            o.due,
            o.answered_on,
            labels["outcome"][
                "" if o.upheld is None else Outcome.UPHELD if o.upheld else Outcome.NOT_UPHELD
            ],
            yes if o.upheld else "",
        ]
        for o in objections
        if o.pk not in counted
    ]


def _counted_by_complaints(objections) -> set[int]:
    """The objections filed while a complaint about the same case's decision was open."""
    cases = {o.case_id for o in objections}
    if not cases:
        return set()
    complaints = Complaint.objects.filter(
        case_id__in=cases, category=Category.CASE_DECISION
    ).values_list("case_id", "received_on", "answered_on")
    return {
        o.pk
        for o in objections
        for case_id, received_on, answered_on in complaints
        if case_id == o.case_id
        and received_on <= o.filed_on
        and (answered_on is None or answered_on >= o.filed_on)
    }


def as_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns())
    for row in rows:
        writer.writerow([f"{v:%d.%m.%Y}" if isinstance(v, dt.date) else v for v in row])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(rows: list[list], *, title: str) -> bytes:
    """A write-only workbook (rows streamed to the file, not kept as cell objects): dates as
    dates in the Bulgarian format, the header frozen."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    names = columns()
    for index, name in enumerate(names, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(name) + 2)
    sheet.freeze_panes = "A2"
    sheet.append(names)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value):
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD.MM.YYYY"
        return cell
    return "" if value is None else value


def file_name(year: int, month: int, extension: str) -> str:
    return f"complaints-register-{year}-{month:02d}.{extension}"
