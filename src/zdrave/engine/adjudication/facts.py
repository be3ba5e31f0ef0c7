"""The facts of one health claim, as frozen dataclasses, and their parsing from a scenario.

The scenario format is ``docs/scenarios.md``. Optional extensions we accept (each
recorded in docs/decisions.md, "Claim adjudication"):

- ``contract.aggregate_limit``: the person's aggregate limit for the whole term (004 Чл.26 т.1);
- ``claim.circumstances`` and ``claim.lines[i].circumstances``: how the condition arose
  (``sport``, ``epidemic`` …, the ``Circumstance`` values of the rules), for 004 Чл.21 exclusions;
- per line ``diagnosis`` (overrides the claim's), ``reference_price`` (reasonable-and-customary
  unit price, 004 Чл.29 т.11), ``invoice_date`` (when it differs from the service date),
  ``dose_days`` and ``treatment`` (``chronic`` | ``acute``) for medicines (004 Чл.21(1) т.35).

Issue 15 adds (docs/scenarios-extensions.md):

- ``contract.premium.instalments``: the premium schedule, ``[{"due", "amount", "paid"}]``
  (004 Чл.25 т.3, т.5, т.6);
- per line ``purchase_channel`` (``in-person`` | ``e-shop``): a payment order stands for the
  fiscal receipt only for an e-shop purchase (004 Чл.34, разходооправдателни документи);
- ``claim.pregnancy_established``: the date the pregnancy was established (004 Чл.34,
  „Проследяване на бременност“);
- per line ``examination_date`` and ``prescriber_examined`` (004 Чл.29 т.2: the prescription is
  issued on the day of the examination by the doctor who did it) and ``wear_months`` (the usual
  wear period of a medical aid, 004 Чл.29 т.2);
- ``insured.special_conditions``: what an underwriter agreed for this person (004 Чл.10, Чл.20,
  Чл.21(2), Чл.26): excluded diagnoses or services, extra waiting periods, a lower limit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zdrave.engine.money import CURRENCIES, ZERO
from zdrave.engine.scenario import (
    ScenarioError,
    check_born_before,
    get,
    get_choice,
    get_date,
    get_int,
    get_list,
    get_money,
)
from zdrave.engine.terms.health import ClauseCode, Form, OptionCode
from zdrave.engine.terms.rules import Circumstance

FORMS = tuple(f.value for f in Form)
OPTIONS = tuple(o.value for o in OptionCode)
CLAUSES = tuple(c.value for c in ClauseCode)
TREATMENTS = ("chronic", "acute")
CIRCUMSTANCES = frozenset(c.value for c in Circumstance)
# Scenario README's document keys (004 Приложение №1); the product's own list is added to these.
DOCUMENT_KEYS = frozenset(
    {
        "claim-form",
        "ambulatory-sheet",
        "referral",
        "test-results",
        "imaging-report",
        "invoice",
        "fiscal-receipt",
        "payment-order",
        "prescription",
        "discharge-summary",
        "physio-card",
        "rehab-sheet",
        "pregnancy-sheet",
        "implant-stickers",
        "team-choice",
        "optical-prescription",
        "lens-stickers",
        "dental-status",
        "x-ray",
    }
)
ICD10_RE = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$")
ICD10_PATTERN_RE = re.compile(
    r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?(-[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?)?$"
)
CHANNELS = ("in-person", "e-shop")
MAX_INSTALMENTS_A_YEAR = 12  # 004 Чл.25 т.2


@dataclass(frozen=True, slots=True)
class Instalment:
    """One instalment of the premium schedule (004 Чл.25 т.4): due date, amount, and the date
    it was paid (None: unpaid)."""

    due: dt.date
    amount: Decimal
    paid: dt.date | None


@dataclass(frozen=True, slots=True)
class ContractFacts:
    type: str
    start: dt.date
    # The day named as the end: the insurance ends at 00:00 of it (004 Чл.24 т.3), so the last
    # covered day is the day before.
    end: dt.date
    paid_until: dt.date | None  # None: the scenario says nothing about arrears
    # The day a termination took effect, at 00:00 like every change (004 Чл.27 т.2).
    terminated_on: dt.date | None
    renewal_of_previous: bool
    aggregate_limit: Decimal | None = None
    instalments: tuple[Instalment, ...] = ()


@dataclass(frozen=True, slots=True)
class CoverFacts:
    package: int
    option: str
    clause: str


@dataclass(frozen=True, slots=True)
class InsuredFacts:
    id: str
    birth_date: dt.date | None
    sex: str | None
    covered_from: dt.date
    nhif_rights: bool
    special: SpecialConditions | None = None
    # The last day of cover of a person removed from the contract by annex (004 Чл.27 т.2).
    covered_until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class SpecialWaiting:
    months: int
    icd10: tuple[str, ...]
    services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SpecialConditions:
    """Special conditions agreed in writing for one person (004 Чл.10, Чл.20, Чл.21(2), Чл.26):
    diagnoses and services excluded for them, extra waiting periods, a lower aggregate limit and
    a premium loading (the loading is for the premium; claims ignore it)."""

    excluded_icd10: tuple[str, ...] = ()
    excluded_services: tuple[str, ...] = ()
    waiting: tuple[SpecialWaiting, ...] = ()
    limit: Decimal | None = None
    loading_percent: Decimal | None = None
    # The day they apply from (an annex: 004 Чл.27 т.1, from 00:00 of its date); None: from the
    # start of the person's cover. Lines before it are decided without them.
    since: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CoverSpan:
    """The person's covers over days no annex changed (004 Чл.27 т.2: an annex changes them at
    00:00 of its date): from ``start`` to ``until``, both inclusive (None: open). A claim whose
    lines fall in two spans has each line decided on its own span's covers."""

    start: dt.date | None
    until: dt.date | None
    covers: dict[int, CoverFacts]


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """A line already decided under this contract: what it used of the limits."""

    date: dt.date
    service: str
    form: str
    diagnosis: str | None
    quantity: int
    paid: Decimal


@dataclass(frozen=True, slots=True)
class ClaimLine:
    index: int
    service: str
    date: dt.date
    quantity: int
    amount: Decimal
    currency: str
    prescribed: dt.date | None = None
    nhif_paid: Decimal = ZERO
    other_insurer_paid: Decimal = ZERO
    diagnosis: str | None = None
    reference_price: Decimal | None = None
    invoice_date: dt.date | None = None
    dose_days: int | None = None
    treatment: str | None = None
    circumstances: frozenset[str] = frozenset()
    e_shop: bool = False  # bought in an e-shop (004 Чл.34, разходооправдателни документи)
    # 004 Чл.29 т.2: the examination the prescription came from, and whether the examining
    # doctor issued it; the usual wear period of a medical aid in months.
    examination_date: dt.date | None = None
    prescriber_examined: bool = True
    wear_months: int | None = None


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    form: str
    submitted: dt.date | None
    diagnosis: str
    documents: frozenset[str]
    lines: tuple[ClaimLine, ...]
    circumstances: frozenset[str] = frozenset()
    pregnancy_established: dt.date | None = None


@dataclass(frozen=True, slots=True)
class HealthCase:
    contract: ContractFacts
    covers: dict[int, CoverFacts]
    insured: InsuredFacts
    history: tuple[HistoryLine, ...]
    claim: ClaimFacts
    # The person's whole cover timeline when an annex changed it (``cover_days``); empty: the
    # ``covers`` above apply on every day.
    spans: tuple[CoverSpan, ...] = ()


# ---- parsing ---------------------------------------------------------------------------------


def parse_health_case(
    data: dict[str, Any],
    known_service: Any,
    packages: dict[int, Any],
    document_keys: frozenset[str] = DOCUMENT_KEYS,
) -> HealthCase:
    """``known_service(code, path)`` raises ScenarioError for a code the catalog lacks;
    ``packages`` maps package numbers to the version's ``Package``."""
    contract = _contract(get(data, "", "contract"))
    covers = _covers(get_list(data, "", "cover"), packages)
    insured = _insured(get(data, "", "insured"), contract)
    history = tuple(
        _history_line(item, f"history[{i}]", known_service)
        for i, item in enumerate(get_list(data, "", "history", required=False))
    )
    claim = _claim(get(data, "", "claim"), known_service, document_keys)
    check_born_before(
        insured.birth_date,
        [("claim.submitted", claim.submitted)]
        + [(f"claim.lines[{line.index}].date", line.date) for line in claim.lines],
    )
    return HealthCase(contract, covers, insured, history, claim)


def _contract(raw: Any) -> ContractFacts:
    path = "contract"
    start = get_date(raw, path, "start")
    end = get_date(raw, path, "end")
    if end < start:
        raise ScenarioError("contract.end", f"is before contract.start ({start.isoformat()})")
    premium = get(raw, path, "premium", required=False)
    paid_until = (
        get_date(premium, "contract.premium", "paid_until", required=False) if premium else None
    )
    renewal = get(raw, path, "renewal_of_previous", required=False, default=False)
    if not isinstance(renewal, bool):
        raise ScenarioError("contract.renewal_of_previous", "expected true or false")
    instalments = _instalments(premium) if premium else ()
    return ContractFacts(
        type=get_choice(raw, path, "type", ("individual", "family", "group")),
        start=start,
        end=end,
        paid_until=paid_until,
        terminated_on=get_date(raw, path, "terminated_on", required=False),
        renewal_of_previous=renewal,
        aggregate_limit=get_money(raw, path, "aggregate_limit", required=False),
        instalments=instalments,
    )


def _instalments(premium: Any) -> tuple[Instalment, ...]:
    """``contract.premium.instalments`` in the order of their due dates."""
    found = []
    for i, raw in enumerate(get_list(premium, "contract.premium", "instalments", required=False)):
        path = f"contract.premium.instalments[{i}]"
        found.append(
            Instalment(
                due=get_date(raw, path, "due"),
                amount=get_money(raw, path, "amount"),
                paid=get_date(raw, path, "paid", required=False),
            )
        )
    if len(found) > MAX_INSTALMENTS_A_YEAR * 50:
        raise ScenarioError("contract.premium.instalments", "too many instalments")
    return tuple(sorted(found, key=lambda item: item.due))


def _covers(items: list[Any], packages: dict[int, Any]) -> dict[int, CoverFacts]:
    covers: dict[int, CoverFacts] = {}
    for i, raw in enumerate(items):
        path = f"cover[{i}]"
        number = get_int(raw, path, "package", minimum=1)
        package = packages.get(number)
        if package is None:
            raise ScenarioError(f"{path}.package", f"the product has no package {number}")
        option = get_choice(raw, path, "option", OPTIONS)
        if option not in {o.value for o in package.options}:
            raise ScenarioError(f"{path}.option", f"package {number} has no option {option!r}")
        clause = get_choice(raw, path, "clause", CLAUSES)
        if clause not in {c.value for c in package.clauses}:
            raise ScenarioError(f"{path}.clause", f"package {number} has no clause {clause!r}")
        if number in covers:
            raise ScenarioError(f"{path}.package", f"package {number} is listed twice")
        covers[number] = CoverFacts(number, option, clause)
    return covers


def _insured(raw: Any, contract: ContractFacts) -> InsuredFacts:
    path = "insured"
    nhif = get(raw, path, "nhif_rights", required=False, default=True)
    if not isinstance(nhif, bool):
        raise ScenarioError("insured.nhif_rights", "expected true or false")
    person_id = get(raw, path, "id", required=False, default="")
    special = get(raw, path, "special_conditions", required=False)
    return InsuredFacts(
        id=str(person_id),
        birth_date=get_date(raw, path, "birth_date", required=False),
        sex=get_choice(raw, path, "sex", ("F", "M"), required=False),
        covered_from=get_date(raw, path, "covered_from", required=False) or contract.start,
        nhif_rights=nhif,
        special=_special_conditions(special) if special is not None else None,
        covered_until=get_date(raw, path, "covered_until", required=False),
    )


def _special_conditions(raw: Any) -> SpecialConditions:
    path = "insured.special_conditions"
    waiting = []
    for i, item in enumerate(get_list(raw, path, "waiting", required=False)):
        where = f"{path}.waiting[{i}]"
        waiting.append(
            SpecialWaiting(
                months=get_int(item, where, "months", minimum=1),
                icd10=_icd10_list(item, where, "icd10"),
                services=_strings(item, where, "services"),
            )
        )
    return SpecialConditions(
        excluded_icd10=_icd10_list(raw, path, "excluded_icd10"),
        excluded_services=_strings(raw, path, "excluded_services"),
        waiting=tuple(waiting),
        limit=get_money(raw, path, "limit", required=False),
        loading_percent=get_money(raw, path, "loading_percent", required=False),
    )


def _strings(raw: Any, path: str, key: str) -> tuple[str, ...]:
    items = get_list(raw, path, key, required=False)
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item:
            raise ScenarioError(f"{path}.{key}[{i}]", 'expected a service code such as "2.1.a"')
    return tuple(items)


def _icd10_list(raw: Any, path: str, key: str) -> tuple[str, ...]:
    items = get_list(raw, path, key, required=False)
    for i, item in enumerate(items):
        if not isinstance(item, str) or not ICD10_PATTERN_RE.match(item.strip().upper()):
            raise ScenarioError(
                f"{path}.{key}[{i}]",
                f'not an ICD-10 code or range such as "K07" or "L60-L75": {item!r}',
            )
    return tuple(item.strip().upper() for item in items)


def _history_line(raw: Any, path: str, known_service: Any) -> HistoryLine:
    service = _service(raw, path, known_service)
    return HistoryLine(
        date=get_date(raw, path, "date"),
        service=service,
        form=get_choice(raw, path, "form", FORMS, required=False, default="reimbursement"),
        diagnosis=_diagnosis(raw, path, required=False),
        quantity=get_int(raw, path, "quantity", required=False, default=1),
        paid=get_money(raw, path, "paid"),
    )


def _claim(raw: Any, known_service: Any, document_keys: frozenset[str]) -> ClaimFacts:
    path = "claim"
    documents = get_list(raw, path, "documents", required=False)
    for i, key in enumerate(documents):
        if key not in document_keys:
            raise ScenarioError(f"claim.documents[{i}]", f"unknown document key {key!r}")
    lines = tuple(
        _claim_line(item, i, known_service) for i, item in enumerate(get_list(raw, path, "lines"))
    )
    if not lines:
        raise ScenarioError("claim.lines", "a claim needs at least one line")
    return ClaimFacts(
        form=get_choice(raw, path, "form", FORMS),
        submitted=get_date(raw, path, "submitted", required=False),
        diagnosis=_diagnosis(raw, path, required=True),
        documents=frozenset(documents),
        lines=lines,
        circumstances=_circumstances(raw, path),
        pregnancy_established=get_date(raw, path, "pregnancy_established", required=False),
    )


def _claim_line(raw: Any, index: int, known_service: Any) -> ClaimLine:
    path = f"claim.lines[{index}]"
    return ClaimLine(
        index=index,
        service=_service(raw, path, known_service),
        date=get_date(raw, path, "date"),
        quantity=get_int(raw, path, "quantity", required=False, default=1, minimum=1),
        amount=get_money(raw, path, "amount"),
        currency=get_choice(raw, path, "currency", CURRENCIES, required=False, default="EUR"),
        prescribed=get_date(raw, path, "prescribed", required=False),
        nhif_paid=get_money(raw, path, "nhif_paid", required=False, default=ZERO),
        other_insurer_paid=get_money(raw, path, "other_insurer_paid", required=False, default=ZERO),
        diagnosis=_diagnosis(raw, path, required=False),
        reference_price=get_money(raw, path, "reference_price", required=False),
        invoice_date=get_date(raw, path, "invoice_date", required=False),
        dose_days=get_int(raw, path, "dose_days", required=False, minimum=1),
        treatment=get_choice(raw, path, "treatment", TREATMENTS, required=False),
        circumstances=_circumstances(raw, path),
        e_shop=get_choice(
            raw, path, "purchase_channel", CHANNELS, required=False, default="in-person"
        )
        == "e-shop",
        examination_date=get_date(raw, path, "examination_date", required=False),
        prescriber_examined=_flag(raw, path, "prescriber_examined", default=True),
        wear_months=get_int(raw, path, "wear_months", required=False, minimum=1),
    )


def _flag(raw: Any, path: str, key: str, *, default: bool) -> bool:
    value = get(raw, path, key, required=False, default=default)
    if not isinstance(value, bool):
        raise ScenarioError(f"{path}.{key}", "expected true or false")
    return value


def _service(raw: Any, path: str, known_service: Any) -> str:
    code = get(raw, path, "service")
    if not isinstance(code, str):
        raise ScenarioError(f"{path}.service", 'expected a service code such as "2.1.a"')
    known_service(code, f"{path}.service")
    return code


def _diagnosis(raw: Any, path: str, *, required: bool) -> str | None:
    value = get(raw, path, "diagnosis", required=required)
    if value is None:
        return None
    code = value.strip().upper() if isinstance(value, str) else value
    if not isinstance(code, str) or not ICD10_RE.match(code):
        raise ScenarioError(f"{path}.diagnosis", f'not an ICD-10 code such as "J06.9": {value!r}')
    return code


def _circumstances(raw: Any, path: str) -> frozenset[str]:
    items = get_list(raw, path, "circumstances", required=False)
    for i, item in enumerate(items):
        if item not in CIRCUMSTANCES:
            raise ScenarioError(
                f"{path}.circumstances[{i}]",
                f"unknown circumstance {item!r}; expected one of {', '.join(sorted(CIRCUMSTANCES))}",
            )
    return frozenset(items)
