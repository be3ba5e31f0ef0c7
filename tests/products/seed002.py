"""Read the package tables of seed 002 the way the product owner reads them (seeds README).

The tables of 002 came out of a PDF and several columns slid sideways. This module applies the
README's column reading per package, walks the service rows in order and gives each the code the
product data uses (package number + the row's own numbering; unnumbered dash rows lettered a, b,
c… under their parent). ``tests/products/test_seed_tables.py`` compares the result with
``products/health/2022-11-01`` row by row, so a transcription slip in the YAML fails the build.

The module is deliberately independent of the product schema: it knows only the seed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

SEED_002 = "seeds/002_67c8c87b7c6b28e5.txt"

MIN, BASIC, FULL, LUX = "minimal", "basic", "full", "luxury"
OPTIONS = (MIN, BASIC, FULL, LUX)
COUNT_COLUMN = "count"  # package 2's first value column ("брой"), seeds README
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}
PACKAGE_CODES = {
    1: "prevention",
    2: "outpatient",
    3: "hospital",
    4: "home",
    5: "goods",
    6: "dental",
}


def _groups(*roles: str | None) -> tuple[str | None, ...]:
    """Each role spans one A/Б1/Б2 group of three cells."""
    return tuple(role for role in roles for _ in range(3))


# Which option each value cell belongs to, per package and per number of value cells in the
# row (seeds README, "The product owner's reading of 002's shifted tables"). ``None`` marks a
# group that must stay empty: a value there means the reading is wrong.
SERVICE_LAYOUTS: dict[int, dict[int, tuple[str | None, ...]]] = {
    1: {4: OPTIONS},
    2: {15: _groups(COUNT_COLUMN, *OPTIONS), 5: (COUNT_COLUMN, *OPTIONS)},
    3: {7: (BASIC, FULL, FULL, FULL, LUX, LUX, LUX), 3: (BASIC, FULL, LUX)},
    # Package 4: the data sits one group to the left of its header.
    4: {15: _groups(*OPTIONS, None)},
    # Package 5: the first group (under "Опции") is empty.
    5: {15: _groups(None, *OPTIONS)},
    6: {12: _groups(*OPTIONS)},
}
LIMIT_LAYOUTS: dict[int, dict[int, tuple[str | None, ...]]] = {
    2: {12: _groups(*OPTIONS)},
    3: {7: (BASIC, FULL, FULL, FULL, LUX, LUX, LUX)},
    4: {12: _groups(*OPTIONS)},
    5: {15: _groups(None, *OPTIONS)},
    6: {12: _groups(*OPTIONS)},
}

# The unit of a number printed in an option's column when neither the row nor its parents name
# one: counts in packages 1 and 2 (ЯМР 1 / 2), leva in packages 3 and 5 (seeds README).
DEFAULT_UNITS: dict[int, str | None] = {
    1: "count",
    2: "count",
    3: "money",
    4: None,
    5: "money",
    6: None,
}

# Rows whose printed numbers cannot be read group by group: the numbers, left to right, belong
# to these options. 5.3.b prints 50 under Основна but 80 and 120 both under Луксозна; the README
# reads "Glasses or lenses 50 / 80 / 120 лв for Основна / Пълна / Луксозна".
ORDERED_READINGS: dict[str, tuple[str, ...]] = {"5.3.b": (BASIC, FULL, LUX)}

# PDF-extraction slips in the seed text, corrected in the catalog (docs/decisions.md,
# "Health packages (002)"): "obturация" mixes Latin and Cyrillic letters, so a member typing
# "обтурация" would never find it.
SEED_TYPOS = {"obturация": "обтурация"}

OPTION_NAMES = {"Минимална", "Основна", "Пълна", "Луксозна"}
CLAUSE_NAMES = {"A": "A", "А": "A", "Б1": "Б1", "B1": "Б1", "Б2": "Б2", "B2": "Б2"}
CHECK = "✓"

SECTION_RE = re.compile(r"^(I|II|III|IV|V|VI|VII)\. ")
SEPARATOR_RE = re.compile(r"^\|[\s|:-]+\|$")
NUMBERED_RE = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.*)$")
NUMBER_ONLY_RE = re.compile(r"^\d+(?:\.\d+)*\.?$")
NOTE_RE = re.compile(r"^(?:-\s+)?(\*+)\s+(.+)$")
NOTE_MARKS_RE = re.compile(r"\s*\*+(?:\s*,\s*\*+)*")
NAME_COUNT_RE = re.compile(r"[–-]\s*(\d+)\s*бро(?:й|я)$")
NAME_DAYS_RE = re.compile(r"^до (\d+) дни годишно$")
ONCE_A_YEAR = "веднъж годишно"
FOR_THE_CONTRACT = "за срока на договора"


class SeedFormatError(ValueError):
    """The seed text does not fit the README's reading (a new or moved column)."""


@dataclass(frozen=True)
class Cell:
    """One option's coverage: ``amount`` is None for a plain ✓."""

    unit: str | None = None
    amount: Decimal | None = None
    per: str = "year"


@dataclass
class SeedRow:
    package: int
    code: str
    name: str
    line: int
    options: dict[str, Cell] = field(default_factory=dict)
    count: Cell | None = None  # package 2's count column, or a count printed in the name

    @property
    def heading(self) -> bool:
        return not self.options and self.count is None


@dataclass
class SeedPackage:
    number: int
    title: str = ""  # the section heading, e.g. "ИЗВЪНБОЛНИЧНА МЕДИЦИНСКА ПОМОЩ"
    rows: list[SeedRow] = field(default_factory=list)
    subscription: dict[str, Decimal | None] = field(default_factory=dict)
    reimbursement: dict[str, Decimal | None] = field(default_factory=dict)
    copay: dict[str, Decimal] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def param_id(self) -> str:
        return f"002-{ROMAN[self.number]}-{PACKAGE_CODES[self.number]}"

    def row(self, code: str) -> SeedRow:
        for r in self.rows:
            if r.code == code:
                return r
        raise KeyError(code)


# ---- text helpers --------------------------------------------------------------------------


def normalise(text: str) -> str:
    return " ".join(text.split())


def clean_name(text: str) -> str:
    """The row's name as the catalog shows it: without the note marks (*, **) and the trailing
    colon of a group row; wording, dashes and brackets exactly as printed."""
    for wrong, right in SEED_TYPOS.items():
        text = text.replace(wrong, right)
    text = NOTE_MARKS_RE.sub("", text)
    return normalise(text).rstrip(":").rstrip()


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _number(text: str, where: str) -> Decimal:
    cleaned = text.replace(" ", "").replace("%", "")
    if not re.fullmatch(r"\d+", cleaned):
        raise SeedFormatError(f"{where}: expected ✓ or a number, got {text!r}")
    return Decimal(cleaned)


# ---- sections --------------------------------------------------------------------------------


def _sections(lines: list[str]) -> dict[int, tuple[str, list[tuple[int, str]]]]:
    """Each package section's title and lines, with their 1-based line numbers."""
    sections: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    current: int | None = None
    numerals = {v: k for k, v in ROMAN.items()}
    for index, line in enumerate(lines, start=1):
        match = SECTION_RE.match(line)
        if match:
            current = numerals.get(match.group(1))
            if current is not None:
                sections[current] = (line[match.end() :].strip(), [])
            continue
        if current is not None:
            sections[current][1].append((index, line))
    return sections


def _tables(section: list[tuple[int, str]]) -> list[list[tuple[int, list[str]]]]:
    tables: list[list[tuple[int, list[str]]]] = []
    current: list[tuple[int, list[str]]] | None = None
    for number, line in section:
        if line.startswith("|"):
            if current is None:
                current = []
                tables.append(current)
            if not SEPARATOR_RE.match(line.strip()):
                current.append((number, _cells(line)))
        else:
            current = None
    return tables


def _notes(section: list[tuple[int, str]]) -> dict[str, str]:
    """Each note mark's text as first printed under the package's tables."""
    notes: dict[str, str] = {}
    for _, line in section:
        match = NOTE_RE.match(line.strip())
        if match:
            text = match.group(2).strip()
            if text.startswith("*") and text.endswith("*"):
                text = text[1:-1]  # italics in 002 VI
            notes.setdefault(match.group(1), normalise(text))
    return notes


def _is_limits_table(table: list[tuple[int, list[str]]]) -> bool:
    return any("Абонаментно обслужване" in cells[0] for _, cells in table)


# ---- service rows ----------------------------------------------------------------------------


@dataclass
class _Walker:
    """Gives rows their codes in reading order, across the tables of one package."""

    package: int
    rows: list[SeedRow] = field(default_factory=list)
    parent: str | None = None  # the last numbered row
    letters: int = 0
    dash_group: str | None = None  # a dash row ending in ":" that groups the dash rows after it
    dash_items: int = 0

    def code_for(self, label: str, has_values: bool, line: int) -> tuple[str, str]:
        numbered = NUMBERED_RE.match(label)
        if numbered:
            code = f"{self.package}.{numbered.group(1)}"
            self.parent, self.letters, self.dash_group = code, 0, None
            return code, numbered.group(2)
        if not label.startswith("-"):
            raise SeedFormatError(
                f"002 line {line}: a row is numbered or starts with '-': {label!r}"
            )
        text = label[1:].strip()
        if self.parent is None:
            raise SeedFormatError(f"002 line {line}: a dash row before any numbered row")
        # 002 VI.2 "- рентгенова снимка, назначена от специалист:" groups "- Секторна" and
        # "- Панорамна": capitalised dash rows right after a dash row ending in ":".
        if self.dash_group and text[:1].isupper():
            self.dash_items += 1
            return f"{self.dash_group}.{self.dash_items}", text
        self.dash_group = None
        self.letters += 1
        if self.letters > 26:
            raise SeedFormatError(f"002 line {line}: more than 26 dash rows under {self.parent}")
        code = f"{self.parent}.{chr(ord('a') + self.letters - 1)}"
        if not has_values and NOTE_MARKS_RE.sub("", text).rstrip().endswith(":"):
            self.dash_group, self.dash_items = code, 0
        return code, text


def _ancestors(code: str, rows: dict[str, SeedRow]) -> list[SeedRow]:
    parts = code.split(".")
    found = []
    for end in range(len(parts) - 1, 1, -1):
        parent = rows.get(".".join(parts[:end]))
        if parent is not None:
            found.append(parent)
    return found


def _unit(row_name: str, ancestors: list[SeedRow], package: int, line: int) -> str:
    for text in [row_name, *(a.name for a in ancestors)]:
        if "дни" in text:
            return "days"
        if "километра" in text:
            return "km"
        if re.search(r"\bлв\.?|\bлева\b", text):
            return "money"
    unit = DEFAULT_UNITS[package]
    if unit is None:
        raise SeedFormatError(f"002 line {line}: a number in a row that names no unit")
    return unit


def _read_values(package: int, code: str, values: list[str], line: int) -> dict[str, list[str]]:
    layout = SERVICE_LAYOUTS[package].get(len(values))
    if layout is None:
        raise SeedFormatError(
            f"002 line {line}: {len(values)} value cells; package {package} tables have "
            f"{sorted(SERVICE_LAYOUTS[package])}"
        )
    found: dict[str, list[str]] = {}
    printed = [v for v in values if v]
    if code in ORDERED_READINGS:
        numbers = [v for v in printed if v != CHECK]
        options = ORDERED_READINGS[code]
        if len(numbers) != len(options) or len(numbers) != len(printed):
            raise SeedFormatError(
                f"002 line {line}: {code} no longer prints {len(options)} numbers"
            )
        return {option: [number] for option, number in zip(options, numbers, strict=True)}
    for role, value in zip(layout, values, strict=True):
        if not value:
            continue
        if role is None:
            raise SeedFormatError(f"002 line {line}: {value!r} in a column the README leaves empty")
        found.setdefault(role, []).append(value)
    return found


def _parse_service_row(
    walker: _Walker, by_code: dict[str, SeedRow], label: str, values: list[str], line: int
) -> SeedRow:
    code, text = walker.code_for(label, any(values), line)
    name = clean_name(text)
    row = SeedRow(walker.package, code, name, line)
    ancestors = _ancestors(code, by_code)
    per = "contract" if FOR_THE_CONTRACT in name else "year"
    for role, items in _read_values(walker.package, code, values, line).items():
        numbers = [i for i in items if i != CHECK]
        if len(numbers) > 1:
            raise SeedFormatError(f"002 line {line}: two numbers for {role} in {code}")
        if role == COUNT_COLUMN:
            # A ✓ in the count column adds nothing (seeds README).
            if numbers:
                row.count = Cell("count", _number(numbers[0], f"002 line {line}"), per)
            continue
        if numbers:
            unit = _unit(name, ancestors, walker.package, line)
            row.options[role] = Cell(unit, _number(numbers[0], f"002 line {line}"), per)
        else:
            row.options[role] = Cell()
    _apply_limits_in_names(row, ancestors, line)
    by_code[code] = row
    return row


def _apply_limits_in_names(row: SeedRow, ancestors: list[SeedRow], line: int) -> None:
    """Limits printed in words rather than in a cell (each reading is in the product data's
    ``interpretation``): "– 1 брой" (002 II.12), "до 3 дни годишно" (002 IV.2) and the heading
    "– веднъж годишно" (002 VI.1)."""
    if not row.options:
        return
    in_name = NAME_COUNT_RE.search(row.name)
    once = any(ONCE_A_YEAR in a.name for a in ancestors)
    if in_name or once:
        if row.count is not None:
            raise SeedFormatError(f"002 line {line}: {row.code} has two count limits")
        row.count = Cell("count", Decimal(in_name.group(1)) if in_name else Decimal(1))
    days = NAME_DAYS_RE.match(row.name)
    if days:
        for option, cell in row.options.items():
            if cell.amount is not None:
                raise SeedFormatError(f"002 line {line}: {row.code} has two limits for {option}")
            row.options[option] = Cell("days", Decimal(days.group(1)))


def _service_label(cells: list[str]) -> tuple[str, list[str]] | None:
    """The row's label and value cells, or None for a header row."""
    if any(c in OPTION_NAMES for c in cells) or cells[0] in ("Опции",):
        return None
    if NUMBER_ONLY_RE.match(cells[0]) and len(cells) > 1:
        # 002 I's second table prints the number in a column of its own.
        return f"{cells[0]} {cells[1]}", cells[2:]
    if not cells[0]:
        return None
    return cells[0], cells[1:]


# ---- limits tables ---------------------------------------------------------------------------


def _read_limits(package: SeedPackage, table: list[tuple[int, list[str]]]) -> None:
    clause_row: list[str] | None = None
    for line, cells in table:
        label, values = cells[0], cells[1:]
        if not label and any(v in CLAUSE_NAMES for v in values):
            clause_row = values
            continue
        layout = LIMIT_LAYOUTS[package.number].get(len(values))
        if "Форма" in label and layout is None:
            raise SeedFormatError(f"002 line {line}: {len(values)} cells in a limits row")
        if "Абонаментно обслужване" in label:
            package.subscription = _limit_row(layout, values, line)
        elif "Възстановяване на разходи" in label:
            package.reimbursement = _limit_row(layout, values, line)
        elif "Самоучастие" in label:
            package.copay = _copay_row(clause_row, values, line)


def _limit_row(
    layout: tuple[str | None, ...] | None, values: list[str], line: int
) -> dict[str, Decimal | None]:
    assert layout is not None
    found: dict[str, Decimal | None] = {}
    for role, value in zip(layout, values, strict=True):
        # "брой" is package 2's count header that slid into its limits table; "-" is "none".
        if role is None or value in ("", "-", "брой"):
            if role is None and value not in ("", "-"):
                raise SeedFormatError(
                    f"002 line {line}: {value!r} in a column the README leaves empty"
                )
            if role is not None:
                found.setdefault(role, None)
            continue
        if found.get(role) is not None:
            raise SeedFormatError(f"002 line {line}: two yearly limits for {role}")
        found[role] = _number(value, f"002 line {line}")
    return found


def _copay_row(clause_row: list[str] | None, values: list[str], line: int) -> dict[str, Decimal]:
    if clause_row is None or len(clause_row) != len(values):
        raise SeedFormatError(f"002 line {line}: co-payment row without its A/Б1/Б2 header")
    copay: dict[str, Decimal] = {}
    for clause, value in zip(clause_row, values, strict=True):
        if clause not in CLAUSE_NAMES:
            continue
        percent = _number(value, f"002 line {line}")
        previous = copay.setdefault(CLAUSE_NAMES[clause], percent)
        if previous != percent:
            raise SeedFormatError(f"002 line {line}: clause {clause} has two co-payments")
    return copay


# ---- entry point -----------------------------------------------------------------------------


def parse_seed(path: Path) -> dict[int, SeedPackage]:
    """Every package of 002 with its rows, yearly limits, co-payments and notes."""
    lines = path.read_text(encoding="utf-8").splitlines()
    packages: dict[int, SeedPackage] = {}
    for number, (title, section) in _sections(lines).items():
        package = SeedPackage(number, title, notes=_notes(section))
        walker = _Walker(number)
        by_code: dict[str, SeedRow] = {}
        for table in _tables(section):
            if _is_limits_table(table):
                _read_limits(package, table)
                continue
            for line, cells in table:
                parsed = _service_label(cells)
                if parsed is not None:
                    label, values = parsed
                    package.rows.append(_parse_service_row(walker, by_code, label, values, line))
        packages[number] = package
    return packages
