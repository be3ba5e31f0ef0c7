"""Census files as an HR department would write them."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from zdrave.policy_admin.groups.census import current_census

HEADER = ["ЕГН", "Име", "Презиме", "Фамилия", "Роля", "Пакети", "Опция", "Клауза"]


def today() -> dt.date:
    return timezone.localdate()


def tomorrow() -> dt.date:
    return today() + dt.timedelta(days=1)


def group_rows(contract) -> list[list[str]]:
    return [
        [
            r["egn"],
            r["first_name"],
            r["middle_name"],
            r["last_name"],
            "служител",
            "2, 3",
            "basic",
            "Б1",
        ]
        for r in current_census(contract, today()).values()
    ]


def csv_bytes(rows, *, header=HEADER, encoding="utf-8", delimiter=";") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
