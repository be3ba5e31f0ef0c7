"""Demo group administration (issue 11), so the employer's pages have something to show:

- the demo employer's group (ZH-DEMO-G001) got one census upload, applied as annex
  ZH-DEMO-G001-A001: a new employee and Georgi's wife join from tomorrow (004 Чл.27 т.2);
- the employer asked for preventive examinations in the spring (004 Чл.30 т.3: at least six
  months before the cover ends) and the coordinator scheduled dates for everyone in the last
  weeks of the year, with a reserve date — Georgi sees his slot.

Built through the same actions as the pages; idempotent (the annex and the request are looked
up first). Skipped when the year is too close to its end for the dates to fall in it.
"""

from __future__ import annotations

import datetime as dt

from zdrave.contracts.identifiers import make_egn
from zdrave.contracts.models import Contract
from zdrave.policy_admin.groups import actions
from zdrave.policy_admin.groups.census import current_census
from zdrave.policy_admin.groups.models import Annex, ExaminationRequest

GROUP = "ZH-DEMO-G001"
HEADER = "ЕГН;Име;Презиме;Фамилия;Роля;Пакети;Опция;Клауза"


def build_demo_groups(users, today: dt.date) -> None:
    contract = Contract.objects.filter(number=GROUP).first()
    if contract is None:
        return
    employer = users["employer"]
    _annex(contract, employer, today)
    _examinations(contract, employer, users["coordinator"], today)


def _annex(contract: Contract, employer, today: dt.date) -> None:
    effective = today + dt.timedelta(days=1)
    if Annex.objects.filter(contract=contract).exists() or effective > contract.end:
        return
    lines = [HEADER]
    for row in current_census(contract, today).values():
        lines.append(
            f"{row['egn']};{row['first_name']};{row['middle_name']};{row['last_name']};"
            "служител;2, 3;basic;Б1"
        )
    lines.append(
        f"{make_egn(dt.date(1993, 8, 17), 140, female=True)};Ива;;Колева;служител;2, 3;basic;Б1"
    )
    lines.append(
        f"{make_egn(dt.date(1977, 5, 9), 141, female=True)};Савина;;Николова;съпруга;2, 3;basic;Б1"
    )
    upload = actions.preview_census(
        contract,
        actor=employer,
        file_name="служители.csv",
        data="\r\n".join(lines).encode("cp1251"),
        effective=effective,
        notified_on=today,
    )
    assert not upload.errors, upload.errors
    actions.apply_census(upload, actor=employer)


def _examinations(contract: Contract, employer, coordinator, today: dt.date) -> None:
    if ExaminationRequest.objects.filter(contract=contract).exists():
        return
    first = max(today + dt.timedelta(days=7), contract.end - dt.timedelta(days=20))
    if first + dt.timedelta(days=3) > contract.end:
        return
    asked_on = contract.start + dt.timedelta(days=60)
    request = actions.request_examinations(
        contract,
        actor=employer,
        period_from=first,
        period_to=contract.end,
        places="София, 1 офис",
        key="demo-examinations",
        today=asked_on,
    )
    actions.schedule_examinations(
        request,
        actor=coordinator,
        provider="МЦ „Здраве“, София, ул. Шипка 3",
        days=[first, first + dt.timedelta(days=1)],
        reserve=first + dt.timedelta(days=3),
    )
