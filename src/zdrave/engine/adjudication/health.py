"""Health claim adjudication (004 general conditions + 002 packages): one claim in, one
``ClaimDecision`` out.

``adjudicate_health`` is the core a batch calls: it reads the person's ``Usage`` and records the
lines it pays into it (a pending claim records nothing). ``run_health_scenario`` wraps it for one
conformance scenario: parse, rebuild usage from ``history``, decide, return the JSON form.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zdrave.engine.adjudication.amounts import billed_eur, price_line
from zdrave.engine.adjudication.cover_days import case_on, changes_by_day
from zdrave.engine.adjudication.documents import (
    FIRST_CLAIM_ONLY,
    given_earlier,
    missing_documents,
)
from zdrave.engine.adjudication.eligibility import (
    claim_window,
    line_refusals,
    premium_notices,
    unpaid_instalments,
)
from zdrave.engine.adjudication.facts import (
    DOCUMENT_KEYS,
    ClaimLine,
    HealthCase,
    parse_health_case,
)
from zdrave.engine.adjudication.health_decisions import HealthLineDecision, claim_decision
from zdrave.engine.adjudication.index import ProductIndex, ServiceInfo, index_for
from zdrave.engine.adjudication.plan import LinePlan, plan_for
from zdrave.engine.adjudication.reasons import code
from zdrave.engine.adjudication.usage import Usage
from zdrave.engine.decisions import (
    ClaimDecision,
    ClaimOutcome,
    LineDecision,
    Reason,
    claim_outcome,
)
from zdrave.engine.money import EURO_ADOPTION, ZERO
from zdrave.engine.terms.product import ProductVersion

MISSING = code("missing-documents")
EURO_INVOICE = code("bgn-after-euro")
INSTALMENTS_DUE = code("instalments-due")
PRESCRIPTION_DAY = code("prescription-not-on-examination-day")
PRESCRIPTION_DOCTOR = code("prescription-not-by-examining-doctor")
HOLD_DOCUMENTS = {
    EURO_INVOICE.code: "invoice",
    PRESCRIPTION_DAY.code: "prescription",
    PRESCRIPTION_DOCTOR.code: "prescription",
}
FIRST_CLAIM_ONLY_SET = frozenset(FIRST_CLAIM_ONLY)
REJECTED = ClaimOutcome.REJECTED
DAY = dt.timedelta(days=1)

PaidLine = tuple[ClaimLine, ServiceInfo]
# What usage recorded of a paid line: (insurance year, date, plan, quantity, paid, diagnosis).
Recorded = tuple[int, dt.date, LinePlan, int, Decimal, str]


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
        usage.add(
            usage.year_of(line.date),
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
    decisions, paid_lines, recorded, total = _decide_lines(case, index, usage)
    missing = _missing_documents(case, index, usage, paid_lines, recorded) if recorded else ()
    notices = _notices(case)
    holds = _holds(case, paid_lines, total) if recorded and _may_hold(case, paid_lines) else ()
    if not (missing or holds or notices):
        lines = tuple(decisions)
        return claim_decision(claim_outcome(lines, ()), lines, (), (), total)
    if holds and not missing:
        for done in reversed(recorded):
            _record(usage, case.claim.form, done, -1)
    # A euro invoice or a correct prescription is a document the claim waits for: listed as
    # missing too.
    for hold in holds:
        document = HOLD_DOCUMENTS.get(hold.code)
        if document is not None and document not in missing:
            missing = (*missing, document)
    if missing or holds:
        hold_reasons = ((MISSING.reason(),) if missing else ()) + holds
        decisions = [_hold(d, hold_reasons) for d in decisions]
        total = ZERO
    lines = tuple(decisions)
    reasons = (MISSING.reason(detail=", ".join(missing)),) if missing else ()
    return claim_decision(
        ClaimOutcome.PENDING if holds else claim_outcome(lines, missing),
        lines,
        missing,
        reasons + holds + notices,
        total,
    )


def _may_hold(case: HealthCase, paid_lines: list[PaidLine]) -> bool:
    """Whether anything could hold the paid lines besides documents (cheap, nearly always
    false: euro invoices, no prescription facts, no premium schedule)."""
    if case.contract.instalments:
        return True
    for line, _info in paid_lines:
        if line.currency != "EUR" or line.examination_date is not None:
            return True
        if not line.prescriber_examined:
            return True
    return False


def _notices(case: HealthCase) -> tuple[Reason, ...]:
    """Flags for a person that change nothing by themselves (004 Чл.25 т.5: the insurer may
    terminate)."""
    contract = case.contract
    paid_until = contract.paid_until
    if not contract.instalments and (paid_until is None or paid_until >= contract.end - DAY):
        return ()  # no schedule, and paid for the whole term (or nothing said): nothing to flag
    return premium_notices(contract, _as_of(case))


def _prescription_holds(paid_lines: list[PaidLine]) -> list[Reason]:
    """004 Чл.29 т.2: "Рецептата трябва да бъде издадена на датата на прегледа и от лекаря,
    който го е извършил" — otherwise the claim waits for a correct prescription."""
    found: list[Reason] = []
    for line, _info in paid_lines:
        exam = line.examination_date
        if exam is not None and line.prescribed is not None and exam != line.prescribed:
            found.append(
                PRESCRIPTION_DAY.reason(
                    detail=f"(line {line.index}: issued {line.prescribed.isoformat()}, "
                    f"examined {exam.isoformat()})"
                )
            )
        if not line.prescriber_examined:
            found.append(PRESCRIPTION_DOCTOR.reason(detail=f"(line {line.index})"))
    return found


def _as_of(case: HealthCase) -> dt.date:
    """The day the claim is decided on: its submission, else its last service."""
    claim = case.claim
    return claim.submitted or max(line.date for line in claim.lines)


def _holds(case: HealthCase, paid_lines: list[PaidLine], total: Decimal) -> tuple[Reason, ...]:
    """What the payable lines wait for besides documents: a correct invoice in euro (004
    Чл.29 т.2) and the instalments that fell due with the event (004 Чл.25 т.6)."""
    found: list[Reason] = []
    late_bgn = [
        line
        for line, _info in paid_lines
        if line.currency == "BGN" and (line.invoice_date or line.date) >= EURO_ADOPTION
    ]
    if late_bgn:
        found.append(
            EURO_INVOICE.reason(detail=f"(lines {', '.join(str(line.index) for line in late_bgn)})")
        )
    found += _prescription_holds(paid_lines)
    if case.contract.instalments and total > ZERO:
        due = unpaid_instalments(case.contract, _as_of(case))
        if due > ZERO:
            found.append(INSTALMENTS_DUE.reason(detail=f"({due} due)"))
    return tuple(found)


def _decide_lines(
    case: HealthCase, index: ProductIndex, usage: Usage
) -> tuple[list[LineDecision], list[PaidLine], list[Recorded], Decimal]:
    """Each line's decision; the lines that pay something and what usage recorded of them
    (already recorded), and what they pay together."""
    claim = case.claim
    form = claim.form
    window = claim_window(case, index)
    decisions: list[LineDecision] = []
    paid_lines: list[PaidLine] = []
    recorded: list[Recorded] = []
    total = ZERO
    # Each line on the cover in force on its own day (an annex between two lines: ``cover_days``).
    by_day = changes_by_day(case)
    for line in claim.lines:
        info = index.services[line.service]
        diagnosis = line.diagnosis or claim.diagnosis
        on_day = case_on(case, line.date) if by_day else case
        plan = _plan(on_day, info, form, index)
        billed = billed_eur(line)
        refusals = line_refusals(on_day, line, info, plan, window, index, usage, diagnosis)
        if refusals or plan is None:
            decisions.append(
                HealthLineDecision(line.index, REJECTED, billed, ZERO, ZERO, ZERO, refusals)
            )
            continue
        year = usage.year_of(line.date)
        decision = price_line(on_day, line, plan, usage, year, diagnosis, billed)
        decisions.append(decision)
        payable = decision.payable
        if payable > ZERO:
            total += payable
            done = (year, line.date, plan, decision.quantity, payable, diagnosis)
            _record(usage, form, done, 1)
            paid_lines.append((line, info))
            recorded.append(done)
    return decisions, paid_lines, recorded, total


def _plan(case: HealthCase, info: ServiceInfo, form: str, index: ProductIndex) -> LinePlan | None:
    """The row's plan under the person's cover of its package; None if it is not covered."""
    cover = case.covers.get(info.package_number)
    if cover is None:
        return None
    plan = index.plans.get((info.code, cover.option, cover.clause, form))
    return plan if plan is not None else plan_for(index, info, cover, form)


def _missing_documents(
    case: HealthCase,
    index: ProductIndex,
    usage: Usage,
    paid_lines: list[PaidLine],
    recorded: list[Recorded],
) -> tuple[str, ...]:
    """The documents the paid lines still need. While any are missing the claim is pending and
    its lines are taken back out of usage."""
    missing = missing_documents(case, paid_lines, index)
    if not missing:
        return ()
    form = case.claim.form
    for done in reversed(recorded):
        _record(usage, form, done, -1)
    # Documents the annex wants only with the first claim count as given if an earlier
    # claim was paid (read from usage without this claim's lines).
    if FIRST_CLAIM_ONLY_SET.intersection(missing):
        missing = missing_documents(case, paid_lines, index, given_earlier(usage))
    if not missing:
        for done in recorded:
            _record(usage, form, done, 1)
    return missing


def _record(usage: Usage, form: str, done: Recorded, sign: int) -> None:
    year, day, plan, quantity, paid, diagnosis = done
    usage.add(
        year,
        day,
        plan.package,
        form,
        plan.chain_codes,
        quantity,
        paid,
        plan.exam_kind,
        diagnosis,
        sign,
    )


def _hold(decision: LineDecision, reasons: tuple[Reason, ...]) -> LineDecision:
    if decision.outcome is REJECTED:
        return decision
    return HealthLineDecision(
        decision.index,
        ClaimOutcome.PENDING,
        decision.billed,
        decision.eligible,
        decision.copay,
        ZERO,
        decision.reasons + reasons,
    )
