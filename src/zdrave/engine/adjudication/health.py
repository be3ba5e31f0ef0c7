"""Health claim adjudication (004 general conditions + 002 packages): one claim in, one
``ClaimDecision`` out.

``adjudicate_health`` is the core a batch calls: it reads the person's ``Usage`` and records the
lines it pays into it (a pending claim records nothing). ``run_health_scenario`` wraps it for one
conformance scenario: parse, rebuild usage from ``history``, decide, return the JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zdrave.engine.adjudication.amounts import billed_eur, price_line
from zdrave.engine.adjudication.documents import (
    FIRST_CLAIM_ONLY,
    given_earlier,
    missing_documents,
)
from zdrave.engine.adjudication.eligibility import (
    claim_window,
    cover_reasons,
    rule_reasons,
    term_reasons,
)
from zdrave.engine.adjudication.facts import DOCUMENT_KEYS, HealthCase, parse_health_case
from zdrave.engine.adjudication.index import ProductIndex, index_for
from zdrave.engine.adjudication.reasons import code
from zdrave.engine.adjudication.usage import Usage
from zdrave.engine.decisions import ClaimDecision, ClaimOutcome, LineDecision, claim_outcome
from zdrave.engine.terms.product import ProductVersion

ZERO = Decimal("0.00")
MISSING = code("missing-documents")
FIRST_CLAIM_ONLY_SET = frozenset(FIRST_CLAIM_ONLY)


@dataclass(frozen=True, slots=True)
class HealthLineDecision(LineDecision):
    """A line decision plus the quantity it uses of count limits — what a history line of a
    later claim carries as ``quantity``."""

    quantity: int = 0

    def to_json(self) -> dict[str, Any]:
        return {**LineDecision.to_json(self), "quantity": self.quantity}


def run_health_scenario(data: dict[str, Any], version: ProductVersion) -> dict[str, Any]:
    index = index_for(version)
    case = parse_health_case(
        data, index.require_service, index.packages, DOCUMENT_KEYS | index.document_keys
    )
    usage = usage_from_history(case, index)
    return adjudicate_health(case, index, usage).to_json()


def usage_from_history(case: HealthCase, index: ProductIndex) -> Usage:
    usage = Usage(case.contract.start)
    for line in case.history:
        info = index.services[line.service]
        usage.record(
            day=line.date,
            package=info.package.number,
            form=line.form,
            chain_codes=info.chain_codes,
            quantity=line.quantity,
            paid=line.paid,
            exam_kind=info.exam_kind,
            diagnosis=line.diagnosis,
        )
    return usage


def adjudicate_health(case: HealthCase, index: ProductIndex, usage: Usage) -> ClaimDecision:
    """Decide every line in order (each paid line uses limits before the next is checked);
    then, if documents are missing, hold the payable lines as pending and undo their usage."""
    claim = case.claim
    window = claim_window(case, index)
    decisions: list[LineDecision] = []
    recorded: list[tuple[Any, ...]] = []
    payable_lines = []
    total = ZERO
    for line in claim.lines:
        info = index.services[line.service]
        diagnosis = line.diagnosis or claim.diagnosis
        cover = case.covers.get(info.package.number)
        reasons = term_reasons(case, line, window)
        reasons += cover_reasons(case, info, cover, index, usage, diagnosis)
        reasons += rule_reasons(case, line, info, index, diagnosis)
        if reasons or cover is None:
            decisions.append(
                HealthLineDecision(
                    line.index,
                    ClaimOutcome.REJECTED,
                    billed_eur(line),
                    ZERO,
                    ZERO,
                    ZERO,
                    tuple(reasons),
                )
            )
            continue
        priced = price_line(case, line, info, cover, index, usage, diagnosis)
        if priced.payable <= 0:
            outcome = ClaimOutcome.REJECTED
        elif priced.payable + priced.copay < priced.billed:
            outcome = ClaimOutcome.PARTIAL
        else:
            outcome = ClaimOutcome.APPROVED
        decisions.append(
            HealthLineDecision(
                line.index,
                outcome,
                priced.billed,
                priced.eligible,
                priced.copay,
                priced.payable,
                tuple(priced.reasons),
                priced.quantity,
            )
        )
        if priced.payable > 0:
            total += priced.payable
            payable_lines.append((line, info))
            entry = (line.date, info, claim.form, priced.quantity, priced.payable, diagnosis)
            _record(usage, entry)
            recorded.append(entry)
    missing = missing_documents(case, payable_lines, index) if payable_lines else ()
    if missing:
        for entry in reversed(recorded):
            _record(usage, entry, sign=-1)
        # Documents the annex wants only with the first claim count as given if an earlier
        # claim was paid (read from usage without this claim's lines).
        if FIRST_CLAIM_ONLY_SET.intersection(missing):
            missing = missing_documents(case, payable_lines, index, given_earlier(usage))
        if not missing:
            for entry in recorded:
                _record(usage, entry)
    if missing:
        decisions = [_hold(d) for d in decisions]
        total = ZERO
    lines = tuple(decisions)
    return ClaimDecision(
        outcome=claim_outcome(lines, missing),
        lines=lines,
        missing_documents=missing,
        reasons=(MISSING.reason(detail=", ".join(missing)),) if missing else (),
        payable=total,
    )


def _record(usage: Usage, entry: tuple[Any, ...], sign: int = 1) -> None:
    day, info, form, quantity, paid, diagnosis = entry
    usage.record(
        day,
        info.package.number,
        form,
        info.chain_codes,
        quantity,
        paid,
        info.exam_kind,
        diagnosis,
        sign,
    )


def _hold(decision: LineDecision) -> LineDecision:
    if decision.outcome is ClaimOutcome.REJECTED:
        return decision
    return HealthLineDecision(
        decision.index,
        ClaimOutcome.PENDING,
        decision.billed,
        decision.eligible,
        decision.copay,
        ZERO,
        decision.reasons + (MISSING.reason(),),
        0,
    )
