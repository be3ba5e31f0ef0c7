"""A census file for a group applied for online."""

from __future__ import annotations

import datetime as dt

from zdrave.contracts.identifiers import make_egn

HEADER = "ЕГН,Име,Фамилия,Роля,Пакети,Опция,Клауза,Е-поща"


def census_csv(employees: int, *, children: int = 0, bad_egn: bool = False, emails=True) -> bytes:
    """``employees`` aged 30–40, each with their e-mail; ``children`` aged 8 after the first."""
    lines = [HEADER]
    for i in range(employees):
        egn = make_egn(dt.date(1986 + i % 10, 1 + i % 12, 3 + i), i + 1, female=bool(i % 2))
        mail = f"emp{i}@firma.bg" if emails else ""
        lines.append(f'{egn},Служител{i},Иванов,служител,"1,2",full,Б1,{mail}')
        if i == 0:
            for c in range(children):
                child = make_egn(dt.date(2018, 2, 10 + c), 50 + c, female=False)
                lines.append(f'{child},Дете{c},Иванов,дете,"1,2",full,Б1,')
    if bad_egn:
        lines.append('1234567890,Грешен,Ред,служител,"1,2",full,Б1,bad@firma.bg')
    return ("\n".join(lines) + "\n").encode()
