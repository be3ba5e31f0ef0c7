"""An application for insurance, read from a ``zdrave underwrite`` scenario
(``docs/scenarios.md``).

Beyond the shared format the reader accepts, all optional: ``group.holder_legal_entity``
(defaults to ``group.employer_paid``: an employer is a legal entity, 004 Чл.23 т.3),
``persons[i].declaration.signed`` (date, 004 Чл.23 т.2) and ``persons[i].declaration.signed_by``
(``self`` | ``parent`` | ``guardian``, 004 Чл.23 т.1). ``student`` and ``married`` default to
false, ``resident`` and ``nhif_rights`` to true. ``cover`` lists the packages applied for, as in
``zdrave adjudicate`` (004 Чл.17; docs/scenarios-extensions.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from zdrave.engine.scenario import ScenarioError, get, get_choice, get_date, get_int, get_list
from zdrave.engine.terms.underwriting import ContractType, Role

CONTRACT_TYPES = tuple(t.value for t in ContractType)
ROLES = tuple(r.value for r in Role)
SIGNERS = ("self", "parent", "guardian")


@dataclass(frozen=True, slots=True)
class HealthDeclaration:
    answers: dict[str, bool]
    signed: dt.date | None = None
    signed_by: str | None = None


@dataclass(frozen=True, slots=True)
class Applicant:
    id: str
    path: str  # "persons[2]", for errors that need the terms to detect
    role: Role
    birth_date: dt.date
    student: bool
    married: bool
    resident: bool
    nhif_rights: bool
    declaration: HealthDeclaration | None


@dataclass(frozen=True, slots=True)
class Application:
    product: str
    version: str | None
    contract_type: ContractType
    start: dt.date
    end: dt.date
    renewal: bool
    group_size: int | None
    employer_paid: bool
    legal_entity_holder: bool
    persons: tuple[Applicant, ...]
    # The packages of 002 applied for (optional ``cover`` of the scenario, issue 15): 004 Чл.17.
    packages: tuple[int, ...] = ()


def read_application(data: Any) -> Application:
    if not isinstance(data, dict):
        raise ScenarioError("(root)", "expected a JSON object")
    product = get(data, "", "product")
    if not isinstance(product, str):
        raise ScenarioError("product", 'expected a product code such as "health"')
    version = get(data, "", "version", required=False)
    if version is not None and not isinstance(version, str):
        raise ScenarioError("version", "expected a date YYYY-MM-DD")
    contract = get(data, "", "contract")
    kind = ContractType(get_choice(contract, "contract", "type", CONTRACT_TYPES))
    start = get_date(contract, "contract", "start")
    end = get_date(contract, "contract", "end")
    assert start is not None
    assert end is not None
    if end < start:
        raise ScenarioError("contract.end", f"{end.isoformat()} is before contract.start")
    persons = _persons(data, start)
    group_size, employer_paid, legal_entity = _group(data, len(persons))
    return Application(
        product=product,
        version=version,
        contract_type=kind,
        start=start,
        end=end,
        renewal=_bool(contract, "contract", "renewal", False),
        group_size=group_size if kind is ContractType.GROUP else None,
        employer_paid=employer_paid,
        legal_entity_holder=legal_entity,
        persons=persons,
        packages=_packages(data),
    )


def _packages(data: dict[str, Any]) -> tuple[int, ...]:
    found = []
    for i, raw in enumerate(get_list(data, "", "cover", required=False)):
        number = get_int(raw, f"cover[{i}]", "package", minimum=1)
        assert number is not None
        found.append(number)
    return tuple(found)


def _group(data: dict[str, Any], count: int) -> tuple[int, bool, bool]:
    group = get(data, "", "group", required=False)
    if group is None:
        return count, False, False
    size = get_int(group, "group", "size", required=False, default=count, minimum=1)
    assert size is not None
    if size < count:
        raise ScenarioError("group.size", f"is {size}, fewer than the {count} persons listed")
    employer_paid = _bool(group, "group", "employer_paid", False)
    legal_entity = _bool(group, "group", "holder_legal_entity", employer_paid)
    return size, employer_paid, legal_entity


def _persons(data: dict[str, Any], start: dt.date) -> tuple[Applicant, ...]:
    items = get_list(data, "", "persons")
    if not items:
        raise ScenarioError("persons", "lists nobody: an application insures at least one person")
    seen: set[str] = set()
    persons = []
    for i, raw in enumerate(items):
        path = f"persons[{i}]"
        person = _person(raw, path, start)
        if person.id in seen:
            raise ScenarioError(f"{path}.id", f"{person.id!r} is given twice")
        seen.add(person.id)
        persons.append(person)
    return tuple(persons)


def _person(raw: Any, path: str, start: dt.date) -> Applicant:
    ident = get(raw, path, "id")
    if not isinstance(ident, str) or not ident.strip():
        raise ScenarioError(f"{path}.id", "expected a non-empty string")
    birth = get_date(raw, path, "birth_date")
    assert birth is not None
    if birth > start:
        raise ScenarioError(
            f"{path}.birth_date", f"{birth.isoformat()} is after the contract start"
        )
    return Applicant(
        id=ident,
        path=path,
        role=Role(get_choice(raw, path, "role", ROLES)),
        birth_date=birth,
        student=_bool(raw, path, "student", False),
        married=_bool(raw, path, "married", False),
        resident=_bool(raw, path, "resident", True),
        nhif_rights=_bool(raw, path, "nhif_rights", True),
        declaration=_declaration(raw, path),
    )


def _declaration(raw: dict[str, Any], path: str) -> HealthDeclaration | None:
    value = get(raw, path, "declaration", required=False)
    if value is None:
        return None
    here = f"{path}.declaration"
    answers_raw = get(value, here, "answers", required=False, default={})
    if not isinstance(answers_raw, dict):
        raise ScenarioError(f"{here}.answers", "expected an object of yes/no answers")
    answers: dict[str, bool] = {}
    for key, answer in answers_raw.items():
        if not isinstance(answer, bool):
            raise ScenarioError(f"{here}.answers.{key}", f"expected true or false, got {answer!r}")
        answers[str(key)] = answer
    return HealthDeclaration(
        answers=answers,
        signed=get_date(value, here, "signed", required=False),
        signed_by=get_choice(value, here, "signed_by", SIGNERS, required=False),
    )


def _bool(data: dict[str, Any], path: str, key: str, default: bool) -> bool:
    value = get(data, path, key, required=False)
    if value is None:
        return default
    if not isinstance(value, bool):
        where = f"{path}.{key}" if path else key
        raise ScenarioError(where, f"expected true or false, got {value!r}")
    return value
