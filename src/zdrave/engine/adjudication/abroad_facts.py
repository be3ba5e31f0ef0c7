"""The facts of one best-doctors claim, read from a ``zdrave adjudicate`` scenario.

Parsing is strict: a malformed field raises ``ScenarioError`` naming it by JSON path
(``claim.lines[0].benefit``). Optional keys beyond the shared format (``claim.circumstances``,
``claim.documents``, ``claim.submitted``, ``lines[].country`` …) carry facts a case manager
records; when absent the rule that needs them is not applied. The keys added for issue 15
(``premium.reinstated_on``, ``claim.treatment_ended``, ``claim.daily_cash_days_paid``,
``claim.reassessments``, ``lines[].post_operative_medicine``) are described in
docs/scenarios-extensions-best-doctors.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter, ValidationError

from zdrave.engine.money import CURRENCIES, ZERO, to_eur
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
from zdrave.engine.terms.abroad import AbroadCircumstance, BenefitCode, ConditionCode, ContractType
from zdrave.engine.terms.common import Icd10

ICD10 = TypeAdapter(Icd10)
FREQUENCIES = ("annual", "yearly", "half-yearly", "semi-annual", "quarterly", "monthly", "single")
BENEFITS = tuple(b.value for b in BenefitCode)
CONDITIONS = tuple(c.value for c in ConditionCode)
CIRCUMSTANCES = tuple(c.value for c in AbroadCircumstance)


@dataclass(frozen=True, slots=True)
class Contract:
    type: ContractType
    start: dt.date
    end: dt.date
    paid_until: dt.date | None
    reinstated_on: dt.date | None  # every missed premium paid on this day (001 т.40, 003 т.36)
    terminated_on: dt.date | None
    renewal_of_previous: bool
    previous_end: dt.date | None
    usa_included: bool | None


@dataclass(frozen=True, slots=True)
class Insured:
    id: str
    birth_date: dt.date
    covered_from: dt.date
    resident: bool


@dataclass(frozen=True, slots=True)
class HistoryLine:
    benefit: BenefitCode
    claim_ref: str
    date: dt.date
    paid: Decimal
    quantity: int | None


@dataclass(frozen=True, slots=True)
class Precertificate:
    issued: dt.date
    hospital: str | None


@dataclass(frozen=True, slots=True)
class Line:
    index: int
    benefit: BenefitCode
    date: dt.date
    amount: Decimal  # in EUR; daily cash: 0 (the terms set the amount)
    quantity: int | None
    hospital: str | None
    purchased: dt.date
    nhif_paid: Decimal
    other_insurer_paid: Decimal
    dose_days: int | None
    country: str | None
    submitted: dt.date | None
    circumstances: frozenset[AbroadCircumstance]
    post_operative_medicine: bool = False  # a treatment-abroad line (001 т.53, 003 т.49)
    currency: str = "EUR"  # of the invoice; leva dated from 2026 wait for a euro invoice


@dataclass(frozen=True, slots=True)
class Reassessment:
    """001 т.74: BDU confirmed further treatment of the same condition after the return; the
    lines dated from ``confirmed`` on belong to this new stage of the same claim."""

    confirmed: dt.date
    precertificate: Precertificate | None
    returned_home: dt.date | None
    treatment_ended: dt.date | None
    second_opinion_required: bool


@dataclass(frozen=True, slots=True)
class Claim:
    ref: str
    condition: ConditionCode
    diagnosis: str
    notified: dt.date | None
    first_symptoms: dt.date | None
    precertificate: Precertificate | None
    returned_home: dt.date | None
    hospital_nights: int | None
    submitted: dt.date | None
    documents: frozenset[str] | None  # None: documents are not tracked in this scenario
    circumstances: frozenset[AbroadCircumstance]
    lines: tuple[Line, ...]
    treatment_ended: dt.date | None = None  # BDU confirmed the end of the treatment abroad
    daily_cash_days_paid: int | None = None  # days of hospital cash already paid on this claim
    reassessments: tuple[Reassessment, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    contract: Contract
    insured: Insured
    history: tuple[HistoryLine, ...]
    claim: Claim


def parse(data: dict[str, Any]) -> ClaimFacts:
    contract = _contract(get(data, "", "contract"))
    insured = _insured(get(data, "", "insured"), contract)
    claim = _claim(get(data, "", "claim"))
    check_born_before(
        insured.birth_date,
        [("claim.submitted", claim.submitted)]
        + [(f"claim.lines[{line.index}].date", line.date) for line in claim.lines],
    )
    return ClaimFacts(
        contract=contract,
        insured=insured,
        history=tuple(
            _history(item, f"history[{i}]")
            for i, item in enumerate(get_list(data, "", "history", required=False))
        ),
        claim=claim,
    )


def _bool(data: Any, path: str, key: str, default: bool | None) -> bool | None:
    value = get(data, path, key, required=False)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ScenarioError(f"{path}.{key}" if path else key, "expected true or false")
    return value


def _text(data: Any, path: str, key: str, *, required: bool = True) -> str | None:
    value = get(data, path, key, required=required)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"{path}.{key}", "expected a non-empty text")
    return value.strip()


def _contract(data: Any) -> Contract:
    path = "contract"
    start = get_date(data, path, "start")
    end = get_date(data, path, "end")
    assert start is not None
    assert end is not None
    if end < start:
        raise ScenarioError("contract.end", "is before contract.start")
    premium = get(data, path, "premium", required=False)
    paid_until = reinstated_on = None
    if premium is not None:
        get_choice(premium, "contract.premium", "frequency", FREQUENCIES, required=False)
        paid_until = get_date(premium, "contract.premium", "paid_until", required=False)
        reinstated_on = get_date(premium, "contract.premium", "reinstated_on", required=False)
        if reinstated_on is not None and (paid_until is None or reinstated_on < paid_until):
            raise ScenarioError(
                "contract.premium.reinstated_on", "needs paid_until and may not be before it"
            )
    return Contract(
        type=ContractType(get_choice(data, path, "type", tuple(t.value for t in ContractType))),
        start=start,
        end=end,
        paid_until=paid_until,
        reinstated_on=reinstated_on,
        terminated_on=get_date(data, path, "terminated_on", required=False),
        renewal_of_previous=bool(_bool(data, path, "renewal_of_previous", False)),
        previous_end=get_date(data, path, "previous_end", required=False),
        usa_included=_bool(data, path, "usa_included", None),
    )


def _insured(data: Any, contract: Contract) -> Insured:
    path = "insured"
    birth = get_date(data, path, "birth_date")
    assert birth is not None
    covered_from = get_date(data, path, "covered_from", required=False) or contract.start
    return Insured(
        id=str(get(data, path, "id", required=False, default="insured")),
        birth_date=birth,
        covered_from=covered_from,
        resident=bool(_bool(data, path, "resident", True)),
    )


def _history(data: Any, path: str) -> HistoryLine:
    date = get_date(data, path, "date")
    paid = get_money(data, path, "paid")
    assert date is not None
    assert paid is not None
    return HistoryLine(
        benefit=BenefitCode(get_choice(data, path, "benefit", BENEFITS)),
        claim_ref=str(get(data, path, "claim_ref")),
        date=date,
        paid=paid,
        quantity=get_int(data, path, "quantity", required=False),
    )


def _circumstances(data: Any, path: str) -> frozenset[AbroadCircumstance]:
    items = get_list(data, path, "circumstances", required=False)
    found = set()
    for i, item in enumerate(items):
        if item not in CIRCUMSTANCES:
            raise ScenarioError(
                f"{path}.circumstances[{i}]",
                f"must be one of {', '.join(CIRCUMSTANCES)}; got {item!r}",
            )
        found.add(AbroadCircumstance(item))
    return frozenset(found)


def _claim(data: Any) -> Claim:
    path = "claim"
    diagnosis = _text(data, path, "diagnosis")
    assert diagnosis is not None
    try:
        diagnosis = ICD10.validate_python(diagnosis)
    except ValidationError as exc:
        message = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise ScenarioError("claim.diagnosis", message) from None
    if "-" in diagnosis:
        raise ScenarioError("claim.diagnosis", "a claim names one ICD-10 code, not a range")
    documents = get(data, path, "documents", required=False)
    if documents is not None:
        if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
            raise ScenarioError("claim.documents", "expected a list of document keys")
        documents = frozenset(documents)
    lines = get_list(data, path, "lines")
    if not lines:
        raise ScenarioError("claim.lines", "a claim needs at least one line")
    reassessments = tuple(
        _reassessment(item, f"claim.reassessments[{i}]")
        for i, item in enumerate(get_list(data, path, "reassessments", required=False))
    )
    if [r.confirmed for r in reassessments] != sorted(r.confirmed for r in reassessments):
        raise ScenarioError("claim.reassessments", "list them in the order of their dates")
    return Claim(
        ref=str(get(data, path, "ref", required=False, default="claim")),
        condition=ConditionCode(get_choice(data, path, "condition", CONDITIONS)),
        diagnosis=diagnosis,
        notified=get_date(data, path, "notified", required=False),
        first_symptoms=get_date(data, path, "first_symptoms", required=False),
        precertificate=_precertificate(get(data, path, "precertificate", required=False)),
        returned_home=get_date(data, path, "returned_home", required=False),
        hospital_nights=get_int(data, path, "hospital_nights", required=False),
        submitted=get_date(data, path, "submitted", required=False),
        documents=documents,
        circumstances=_circumstances(data, path),
        lines=tuple(_line(item, i) for i, item in enumerate(lines)),
        treatment_ended=get_date(data, path, "treatment_ended", required=False),
        daily_cash_days_paid=get_int(data, path, "daily_cash_days_paid", required=False),
        reassessments=reassessments,
    )


def _reassessment(data: Any, path: str) -> Reassessment:
    confirmed = get_date(data, path, "confirmed")
    assert confirmed is not None
    precertificate = get(data, path, "precertificate", required=False)
    return Reassessment(
        confirmed=confirmed,
        precertificate=_precertificate(precertificate, f"{path}.precertificate"),
        returned_home=get_date(data, path, "returned_home", required=False),
        treatment_ended=get_date(data, path, "treatment_ended", required=False),
        second_opinion_required=bool(_bool(data, path, "second_opinion_required", False)),
    )


def _precertificate(data: Any, path: str = "claim.precertificate") -> Precertificate | None:
    if data is None:
        return None
    issued = get_date(data, path, "issued")
    assert issued is not None
    return Precertificate(issued=issued, hospital=_text(data, path, "hospital", required=False))


def _line(data: Any, index: int) -> Line:
    path = f"claim.lines[{index}]"
    benefit = BenefitCode(get_choice(data, path, "benefit", BENEFITS))
    date = get_date(data, path, "date")
    assert date is not None
    quantity = get_int(data, path, "quantity", required=False)
    if benefit is BenefitCode.DAILY_HOSPITAL_CASH and quantity is None:
        raise ScenarioError(f"{path}.quantity", "daily hospital cash needs the number of full days")
    post_operative = bool(_bool(data, path, "post_operative_medicine", False))
    if post_operative and benefit is not BenefitCode.TREATMENT_ABROAD:
        raise ScenarioError(
            f"{path}.post_operative_medicine",
            "post-operative medicines are medical costs abroad: use benefit treatment-abroad",
        )
    return Line(
        index=index,
        benefit=benefit,
        date=date,
        amount=_amount(data, path, benefit),
        quantity=quantity,
        hospital=_text(data, path, "hospital", required=False),
        purchased=get_date(data, path, "purchased", required=False) or date,
        nhif_paid=_eur(data, path, "nhif_paid"),
        other_insurer_paid=_eur(data, path, "other_insurer_paid"),
        dose_days=get_int(data, path, "dose_days", required=False, minimum=1),
        country=_country(data, path),
        submitted=get_date(data, path, "submitted", required=False),
        circumstances=_circumstances(data, path),
        post_operative_medicine=post_operative,
        currency=_currency(data, path),
    )


def _currency(data: Any, path: str) -> str:
    """EUR or BGN whatever the date: leva are converted at the fixed rate, and a leva invoice
    dated from the changeover is the adjudication's to hold (``abroad.late_leva_invoice``)."""
    currency = get_choice(data, path, "currency", CURRENCIES, required=False, default="EUR")
    assert currency is not None
    return currency


def _eur(data: Any, path: str, key: str) -> Decimal:
    amount = get_money(data, path, key, required=False, default=ZERO)
    assert amount is not None
    return to_eur(amount, _currency(data, path))


def _amount(data: Any, path: str, benefit: BenefitCode) -> Decimal:
    # The daily cash is a fixed sum per day set by the terms; the second opinion is often
    # arranged by the partner without a bill to the member, so its amount may be left out.
    if benefit is BenefitCode.DAILY_HOSPITAL_CASH:
        return ZERO
    required = benefit is not BenefitCode.SECOND_OPINION
    amount = get_money(data, path, "amount", required=required, default=ZERO)
    assert amount is not None
    return to_eur(amount, _currency(data, path))


def _country(data: Any, path: str) -> str | None:
    value = get(data, path, "country", required=False)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 2 or not value.isalpha():
        raise ScenarioError(f"{path}.country", f"expected a two-letter country code, got {value!r}")
    return value.upper()
