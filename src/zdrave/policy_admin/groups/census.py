"""Reading an employer's census file (поименен списък) and comparing it with the group.

``read_census`` turns the bytes of a CSV (UTF-8 or Windows-1251, comma, semicolon or tab) or
an XLSX file into rows; ``check_rows`` finds the row-level errors (ЕГН checksum, age and role
by the engine's underwriting rules, package / option / clause by 002 and 004 Чл.17, duplicates);
``compare`` gives the people added, removed and changed against the group's members in force.
Nothing here writes; ``actions.preview_census`` stores the result.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET  # noqa: S405 - every part is checked by _xml
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from stdnum.bg import egn as stdnum_egn
from stdnum.exceptions import ValidationError as StdnumError

from zdrave.contracts.models import Clause as ClauseChoice
from zdrave.contracts.models import Contract, ContractMember, Cover, MemberRole, Option
from zdrave.engine.terms.underwriting import ContractType as UwContractType
from zdrave.engine.terms.underwriting import Role as UwRole
from zdrave.engine.underwriting import decide
from zdrave.engine.underwriting import reasons as uw
from zdrave.engine.underwriting.facts import Applicant, Application
from zdrave.products import terms

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
COLUMNS = ("egn", "first_name", "middle_name", "last_name", "role", "packages", "option", "clause")
REQUIRED = ("egn", "first_name", "last_name", "packages", "option")
# Headers as an HR department writes them, in either language; the download uses the first.
HEADERS = {
    "egn": ("ЕГН", "EGN"),
    "first_name": ("Име", "First name"),
    "middle_name": ("Презиме", "Middle name"),
    "last_name": ("Фамилия", "Last name"),
    "role": ("Роля", "Role"),
    "packages": ("Пакети", "Packages"),
    "option": ("Опция", "Option"),
    "clause": ("Клауза", "Clause"),
    # Read only for a group applied for online (groupsales): where each declaration link goes.
    "email": ("Е-поща", "E-mail"),
}
# 004 Чл.24 т.2 / the product's group rule: who may be on a group contract.
GROUP_ROLES = (
    MemberRole.EMPLOYEE,
    MemberRole.SPOUSE,
    MemberRole.COHABITANT,
    MemberRole.CHILD,
)
# How HR writes the roles besides the labels ("Съпруг(а)", "Служител").
ROLE_WORDS = {
    "съпруг": MemberRole.SPOUSE,
    "съпруга": MemberRole.SPOUSE,
    "партньор": MemberRole.COHABITANT,
    "партньорка": MemberRole.COHABITANT,
    "служителка": MemberRole.EMPLOYEE,
    "работник": MemberRole.EMPLOYEE,
    "работничка": MemberRole.EMPLOYEE,
    "син": MemberRole.CHILD,
    "дъщеря": MemberRole.CHILD,
}
AGE_AND_ROLE_CODES = frozenset(
    code.code
    for code in (
        uw.AGE_UNDER_MINIMUM,
        uw.AGE_OVER_MAXIMUM,
        uw.AGE_SPECIAL_CONDITIONS,
        uw.AGE_AT_END_OVER_MAXIMUM,
        uw.AGE_AT_END_SPECIAL_CONDITIONS,
        uw.ROLE_NOT_ALLOWED,
    )
)


class CensusFileError(ValidationError):
    """The file as a whole cannot be read (encoding, format, columns, size)."""


@dataclass
class ReadFile:
    rows: list[dict]  # {"row": n, "egn", ...} with n the row number in the file (header = 1)
    encoding: str


@dataclass
class Checked:
    rows: list[dict] = field(default_factory=list)  # valid rows, normalised
    errors: list[dict] = field(default_factory=list)  # {"row", "column", "message"}


# -- reading ------------------------------------------------------------------------------------


def header_label(column: str) -> str:
    """The column's header in the active language."""
    bg, en = HEADERS[column]
    return bg if (translation.get_language() or "bg").startswith("bg") else en


def _header_key(text: str) -> str | None:
    wanted = " ".join(str(text or "").replace("_", " ").split()).casefold()
    for key, names in HEADERS.items():
        if wanted in {n.casefold() for n in names} or wanted == key.replace("_", " "):
            return key
    return None


def read_census(name: str, data: bytes) -> ReadFile:
    """The rows of a census file. Raises ``CensusFileError`` naming what is wrong with it."""
    if not data:
        raise CensusFileError(_("Census file: the file is empty."))
    if len(data) > MAX_BYTES:
        raise CensusFileError(_("Census file: the file is larger than 10 MB."))
    if data[:2] == b"PK":
        table, encoding = _xlsx_table(data), "xlsx"
    else:
        text, encoding = _decode(data)
        table = _csv_table(text)
    return ReadFile(_rows(table), encoding)


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then Windows-1251 (what Excel saves in Bulgaria)."""
    if b"\x00" in data[:4096]:
        raise CensusFileError(
            _(
                "Census file: the file is not a CSV text in UTF-8 or Windows-1251 "
                "(save it as “CSV UTF-8” or as an Excel workbook)."
            )
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError:
        raise CensusFileError(
            _(
                "Census file: the file is not a CSV text in UTF-8 or Windows-1251 "
                "(save it as “CSV UTF-8” or as an Excel workbook)."
            )
        ) from None


def _csv_table(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MAX_XML = 100 * 1024 * 1024  # a 10 MB file unpacking to more is a zip bomb, not a census


def _xlsx_table(data: bytes) -> list[list[str]]:
    """The first sheet's cells as text, read straight from the workbook's XML (ECMA-376): the
    shared strings, then the sheet row by row. openpyxl reads a 10 000-row census in about 6 s,
    more than the whole preview may take; this reads it in a fraction (docs/performance.md)."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        if sum(i.file_size for i in book.infolist()) > MAX_XML:
            raise zipfile.BadZipFile("too large unpacked")
        strings = _shared_strings(book)
        return _sheet_rows(_xml(book, _first_sheet(book)), strings)
    except (zipfile.BadZipFile, KeyError, ValueError, ET.ParseError, OSError):
        raise CensusFileError(
            _("Census file: the file is not an Excel workbook (.xlsx) that can be read.")
        ) from None


def _xml(book: zipfile.ZipFile, name: str) -> io.BytesIO:
    """A part of the workbook, refused when it declares a DOCTYPE: a spreadsheet needs none, and
    entity declarations (the "billion laughs") live only there — what defusedxml guards against,
    without the dependency."""
    data = book.read(name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError(f"{name}: DOCTYPE")
    return io.BytesIO(data)


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    strings = []
    for _event, element in ET.iterparse(_xml(book, "xl/sharedStrings.xml")):  # noqa: S314
        if element.tag == MAIN + "si":
            strings.append("".join(t.text or "" for t in element.iter(MAIN + "t")))
            element.clear()
    return strings


def _first_sheet(book: zipfile.ZipFile) -> str:
    workbook = ET.parse(_xml(book, "xl/workbook.xml")).getroot()  # noqa: S314
    first = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
    if first is None:
        raise KeyError("no sheet")
    rel_id = first.get(RELS + "id")
    rels = ET.parse(_xml(book, "xl/_rels/workbook.xml.rels")).getroot()  # noqa: S314
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise KeyError(rel_id)


def _column(ref: str) -> int:
    number = 0
    for char in ref:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number - 1


def _sheet_rows(sheet, strings: list[str]) -> list[list[str]]:
    table: list[list[str]] = []
    for _event, element in ET.iterparse(sheet):  # noqa: S314 - checked by _xml
        if element.tag != MAIN + "row":
            continue
        row: list[str] = []
        for cell in element.iter(MAIN + "c"):
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                value = "".join(t.text or "" for t in cell.iter(MAIN + "t"))
            else:
                found = cell.find(MAIN + "v")
                value = found.text or "" if found is not None else ""
                if kind == "s" and value:
                    value = strings[int(value)]
                elif kind == "n" and value:
                    value = _number(value)
            index = _column(cell.get("r", "")) if cell.get("r") else len(row)
            row.extend([""] * (index + 1 - len(row)))
            row[index] = value
        # Rows left empty are not in the XML: keep the numbering the person sees.
        number = int(element.get("r") or len(table) + 1)
        table.extend([] for _ in range(number - 1 - len(table)))
        table.append(row)
        element.clear()
    return table


def _number(text: str) -> str:
    """A number cell as a person typed it: 8001010003.0 and 8.001010003E9 are an ЕГН."""
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text


def _rows(table: list[list[str]]) -> list[dict]:
    first = 0
    while first < len(table) and not any(c.strip() for c in table[first]):
        first += 1
    table = table[first:]
    if not table:
        raise CensusFileError(_("Census file: the file has no header row."))
    keys = [_header_key(c) for c in table[0]]
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        raise CensusFileError(
            _("Census file: the columns %(missing)s are missing; the file needs %(expected)s.")
            % {
                "missing": ", ".join(f"“{header_label(c)}”" for c in missing),
                "expected": ", ".join(f"“{header_label(c)}”" for c in COLUMNS),
            }
        )
    rows = []
    for number, values in enumerate(table[1:], start=first + 2):
        if not any(str(v).strip() for v in values):
            continue
        row = {"row": number}
        for key, value in zip(keys, values, strict=False):
            if key is not None:
                row[key] = str(value).strip()
        rows.append(row)
    if len(rows) > MAX_ROWS:
        raise CensusFileError(
            _("Census file: at most %(count)s people in one file.") % {"count": MAX_ROWS}
        )
    if not rows:
        raise CensusFileError(_("Census file: the file has no people in it."))
    return rows


# -- checking -----------------------------------------------------------------------------------


def _choices(choices) -> dict[str, str]:
    """Every way a value may be written: its code and its label in Bulgarian and English."""
    found = {}
    for value, label in choices.choices:
        found[value.casefold()] = value
        for language in ("bg", "en"):
            with translation.override(language):
                found[str(label).casefold()] = value
    return found


@dataclass(frozen=True)
class CoverRules:
    """The product's packages as a census row may name them (002; 004 Чл.17)."""

    options: dict[int, frozenset[str]]
    clauses: dict[int, tuple[str, ...]]
    not_alone: frozenset[int]
    not_alone_clause: str

    @classmethod
    def of(cls, contract: Contract) -> CoverRules:
        version = terms.terms(contract.product_code, contract.product_version)
        underwriting = version.underwriting
        return cls(
            options={p.number: frozenset(o.value for o in p.options) for p in version.packages},
            clauses={p.number: tuple(c.value for c in p.clauses) for p in version.packages},
            not_alone=frozenset(underwriting.packages_not_sold_alone if underwriting else ()),
            not_alone_clause=str(
                (underwriting.packages_not_sold_alone_clause if underwriting else "") or "004 Чл.17"
            ),
        )


def group_packages(contract: Contract) -> dict[int, tuple[str, str]]:
    """The contract-wide covers of the group: package → (option, clause)."""
    return {
        c.package: (c.option, c.clause)
        for c in Cover.objects.current()
        .filter(contract=contract, member__isnull=True, product_code=contract.product_code)
        .exclude(package=None)
    }


def check_rows(
    contract: Contract,
    rows: Iterable[dict],
    *,
    effective: dt.date,
    existing: set[str],
    base: dict[int, tuple[str, str]] | None = None,
) -> Checked:
    """The rows' errors, one per field and row, in the active language. ``existing``: the ЕГН of
    the people in the group now (their age was checked when they joined). ``base``: the group's
    contract-wide covers; a group being applied for (an unsaved ``contract``) passes ``{}``."""
    rules = CoverRules.of(contract)
    base = group_packages(contract) if base is None else base
    roles, options, clauses = _choices(MemberRole), _choices(Option), _choices(ClauseChoice)
    roles.update(ROLE_WORDS)
    seen: dict[str, int] = {}
    result = Checked()
    newcomers: list[tuple[dict, Applicant]] = []
    for raw in rows:
        n = raw["row"]
        errors: list[tuple[str, str]] = []
        egn = raw.get("egn", "").replace(" ", "")
        if egn.isdigit() and len(egn) < 10:
            egn = egn.zfill(10)  # a spreadsheet drops the leading zeros
        try:
            egn = stdnum_egn.validate(egn)
        except StdnumError:
            errors.append(
                (
                    "egn",
                    _("ЕГН: “%(value)s” is not a valid ЕГН (its check digit or date is wrong).")
                    % {"value": raw.get("egn", "")},
                )
            )
        else:
            if egn in seen:
                errors.append(
                    (
                        "egn",
                        _("ЕГН: the same person is already on row %(row)s.") % {"row": seen[egn]},
                    )
                )
            else:
                seen[egn] = n
        for column in ("first_name", "last_name"):
            if not raw.get(column):
                errors.append(
                    (column, _("%(column)s: required.") % {"column": header_label(column)})
                )
        role = roles.get(raw.get("role", "").casefold() or MemberRole.EMPLOYEE)
        if role not in GROUP_ROLES:
            errors.append(
                (
                    "role",
                    _(
                        "Role: “%(value)s” is not a role on a group contract; use employee, spouse, cohabitant or child (004 Чл.24 т.2)."
                    )
                    % {"value": raw.get("role", "")},
                )
            )
        option = options.get(raw.get("option", "").casefold())
        if option is None:
            errors.append(
                (
                    "option",
                    _(
                        "Option: “%(value)s” is not an option; use minimal, basic, full or luxury (002)."
                    )
                    % {"value": raw.get("option", "")},
                )
            )
        # One clause for every package, or one per package in the packages' order ("A, Б1").
        listed = [c.strip() for c in raw.get("clause", "").split(",") if c.strip()]
        found_clauses = tuple(clauses.get(c.casefold(), "") for c in listed)
        clause = found_clauses if listed and all(found_clauses) else ""
        if raw.get("clause") and not clause:
            errors.append(
                (
                    "clause",
                    _("Clause: “%(value)s” is not a clause; use A, Б1 or Б2 (002 VII).")
                    % {"value": raw.get("clause", "")},
                )
            )
        packages, package_errors = _packages(raw.get("packages", ""), option, clause, rules, base)
        errors += package_errors
        if errors:
            result.errors += [{"row": n, "column": c, "message": m} for c, m in errors]
            continue
        row = {
            "row": n,
            "egn": egn,
            "first_name": raw["first_name"],
            "middle_name": raw.get("middle_name", ""),
            "last_name": raw["last_name"],
            "role": role,
            "packages": packages,
            "option": option,
            "clause": ", ".join(clause) if isinstance(clause, tuple) else clause,
        }
        result.rows.append(row)
        if egn not in existing:
            newcomers.append((row, _applicant(row)))
    result.errors += _age_errors(contract, newcomers, effective, len(result.rows))
    bad = {e["row"] for e in result.errors}
    result.rows = [r for r in result.rows if r["row"] not in bad]
    result.errors.sort(key=lambda e: e["row"])
    return result


def _packages(
    text: str, option: str | None, clause: str | tuple[str, ...], rules: CoverRules, base: dict
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``{"2": "Б1", ...}``: each package with its clause; or the errors."""
    numbers = []
    for part in text.replace(";", ",").replace("+", ",").replace(" ", ",").split(","):
        if not part:
            continue
        if not part.isdigit() or int(part) not in rules.options:
            known = ", ".join(str(n) for n in sorted(rules.options))
            return {}, [
                (
                    "packages",
                    _(
                        "Packages: “%(value)s” is not a package; the product has packages %(known)s (002)."
                    )
                    % {"value": part, "known": known},
                )
            ]
        numbers.append(int(part))
    if not numbers:
        return {}, [("packages", _("Packages: name at least one package (002)."))]
    if set(numbers) <= rules.not_alone:
        return {}, [
            (
                "packages",
                _(
                    "Packages: packages %(numbers)s are not sold alone, only with another package (%(clause)s)."
                )
                % {
                    "numbers": ", ".join(map(str, sorted(set(numbers)))),
                    "clause": rules.not_alone_clause,
                },
            )
        ]
    missing = sorted(set(base) - set(numbers))
    if missing:
        return {}, [
            (
                "packages",
                _(
                    "Packages: everyone in this group has packages %(numbers)s (the contract's cover); add them to the row."
                )
                % {"numbers": ", ".join(map(str, sorted(base)))},
            )
        ]
    if option is None:
        return {}, []
    found: dict[str, str] = {}
    errors = []
    # "1, 2" with "A, Б1": one clause per package, in the order written (the download's form
    # when the packages' clauses differ).
    positional = (
        dict(zip(numbers, clause, strict=True))
        if isinstance(clause, tuple) and len(clause) > 1 and len(clause) == len(numbers)
        else {}
    )
    for number in sorted(set(numbers)):
        if option not in rules.options[number]:
            errors.append(
                (
                    "option",
                    _("Option: package %(number)s does not offer the option “%(option)s” (002).")
                    % {"number": number, "option": Option(option).label},
                )
            )
            continue
        offered = rules.clauses[number]
        listed = (positional[number],) if positional else clause
        wanted = [c for c in (listed if isinstance(listed, tuple) else (listed,)) if c in offered]
        if not offered:
            found[str(number)] = ""
        elif len(wanted) == 1:
            found[str(number)] = wanted[0]
        elif len(offered) == 1:
            found[str(number)] = offered[0]
        else:
            errors.append(
                (
                    "clause",
                    _("Clause: package %(number)s is offered with clause %(offered)s (002 VII).")
                    % {"number": number, "offered": " / ".join(offered)},
                )
            )
    return found, errors


ROLE_FOR_ENGINE = {
    MemberRole.EMPLOYEE: UwRole.EMPLOYEE,
    MemberRole.SPOUSE: UwRole.SPOUSE,
    MemberRole.COHABITANT: UwRole.COHABITANT,
    MemberRole.CHILD: UwRole.CHILD,
}


def _applicant(row: dict) -> Applicant:
    return Applicant(
        id=row["egn"],
        path=f"row {row['row']}",
        role=ROLE_FOR_ENGINE[row["role"]],
        birth_date=stdnum_egn.get_birth_date(row["egn"]),
        student=False,
        married=False,
        resident=True,
        nhif_rights=True,
        declaration=None,
    )


def _age_errors(
    contract: Contract, newcomers: list[tuple[dict, Applicant]], effective: dt.date, size: int
) -> list[dict]:
    """The engine's age and role rules for the people joining at ``effective`` (004 Чл.24 т.2,
    Чл.24 т.3: not older than 65 at the end): a decline, or a case for an underwriter (special
    conditions), is a row error — such a person joins by an underwriter's decision, not a file."""
    if not newcomers:
        return []
    version = terms.terms(contract.product_code, contract.product_version)
    if version.underwriting is None:
        return []
    application = Application(
        product=contract.product_code,
        version=None,
        contract_type=UwContractType.GROUP,
        start=effective,
        end=contract.end,
        renewal=False,
        group_size=size,
        employer_paid=True,
        legal_entity_holder=True,
        persons=tuple(a for _row, a in newcomers),
    )
    decision = decide(application, version.underwriting)
    errors = []
    for (row, _unused), person in zip(newcomers, decision.persons, strict=True):
        for reason in person.reasons:
            if reason.code in AGE_AND_ROLE_CODES:
                age = _age(row["egn"], effective)
                errors.append(
                    {
                        "row": row["row"],
                        "column": "egn",
                        "message": _(
                            "Age: %(age)s on %(date)s is outside what a group contract insures "
                            "(3 months to 64, and not past 65 at its end; %(clause)s)."
                        )
                        % {
                            "age": age,
                            "date": effective.strftime("%d.%m.%Y"),
                            "clause": reason.clause,
                        },
                    }
                )
                break
    return errors


def _age(egn: str, on: dt.date) -> int:
    birth = stdnum_egn.get_birth_date(egn)
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# -- comparing ----------------------------------------------------------------------------------


def members_in_force(contract: Contract, on: dt.date):
    """The group's members still covered on ``on`` (not removed before it by annex)."""
    return ContractMember.objects.filter(contract=contract).filter(
        Q(covered_until__isnull=True) | Q(covered_until__gte=on)
    )


def current_census(contract: Contract, on: dt.date) -> dict[str, dict]:
    """ЕГН → the member as a census row (role, packages with clause, option): their own covers
    when they have any, else the group's. Three queries whatever the size."""
    base = group_packages(contract)
    own: dict[int, dict[str, str]] = {}
    own_option: dict[int, str] = {}
    for cover in (
        Cover.objects.current()
        .filter(contract=contract, member__isnull=False)
        .exclude(package=None)
    ):
        own.setdefault(cover.member_id, {})[str(cover.package)] = cover.clause
        own_option[cover.member_id] = cover.option
    base_row = {str(p): clause for p, (_option, clause) in base.items()}
    base_option = next(iter(base.values()), ("", ""))[0]
    rows = {}
    for member in members_in_force(contract, on).select_related("person").order_by("id"):
        person = member.person
        rows[person.id_number] = {
            "member": member.pk,
            "egn": person.id_number,
            "first_name": person.first_name,
            "middle_name": person.middle_name,
            "last_name": person.last_name,
            "role": member.role,
            "packages": own.get(member.pk, base_row),
            "option": own_option.get(member.pk, base_option),
            "covered_from": member.covered_from.isoformat(),
            "covered_until": member.covered_until.isoformat() if member.covered_until else "",
        }
    return rows


def compare(current: dict[str, dict], rows: list[dict]) -> dict[str, list]:
    """People ``added`` (rows not in the group), ``removed`` (members not in the file) and
    ``changed`` (role, packages or option differ), each a list of row dicts; a changed one
    carries ``before``."""
    wanted = {r["egn"]: r for r in rows}
    added = [r for egn, r in wanted.items() if egn not in current]
    removed = [c for egn, c in current.items() if egn not in wanted]
    changed = []
    for egn, row in wanted.items():
        now = current.get(egn)
        if now is None:
            continue
        if (now["role"], now["packages"], now["option"]) != (
            row["role"],
            row["packages"],
            row["option"],
        ):
            changed.append(
                {
                    **row,
                    "member": now["member"],
                    "before": {k: now[k] for k in ("role", "packages", "option")},
                }
            )
    return {"added": added, "removed": removed, "changed": changed}
