"""Adjudication of DZI Best Doctors claims (treatment abroad, seeds 001 and 003).

``run_scenario`` reads one ``zdrave adjudicate`` scenario with ``"product": "best-doctors"``,
picks the terms (``version``, else the version in force on ``contract.start``: a contract sold
under the 2015 terms keeps them) and decides every line:

1. grounds that refuse the line outright — the contract on the date of service, the waiting
   period, the condition and its history, the exclusions of §IV, the precertificate, the rules
   of the benefit (``abroad_checks``);
2. the amount the benefit allows — daily cash per full day up to 60 days a claim, medicines
   less what others paid and at most two months' dose (``abroad_limits``);
3. the year, lifetime and medicines limits, shared by the lines in their order.

Money is EUR. A line that is cut or refused carries a reason for each cut, with its clause. A
line that would pay but lacks a document (or has a leva invoice dated from 2026, which asks for a
euro one) is pending: it pays nothing yet and uses no limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zdrave.engine.adjudication import abroad_limits
from zdrave.engine.adjudication.abroad_checks import (
    benefit_refusals,
    claim_refusals,
    cover_refusals,
    exclusions,
)
from zdrave.engine.adjudication.abroad_context import Context
from zdrave.engine.adjudication.abroad_facts import ClaimFacts, Line, parse
from zdrave.engine.adjudication.abroad_limits import Usage
from zdrave.engine.adjudication.abroad_medicines import post_operative_days
from zdrave.engine.adjudication.abroad_reasons import reason
from zdrave.engine.decisions import ClaimDecision, ClaimOutcome, LineDecision, Reason, claim_outcome
from zdrave.engine.money import EURO_ADOPTION, ZERO, cents
from zdrave.engine.scenario import ScenarioError
from zdrave.engine.terms.abroad import AbroadTerms, Benefit, BenefitCode
from zdrave.engine.terms.loader import Catalog

PRODUCT = "best-doctors"


def run_scenario(data: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ScenarioError("(root)", "expected an object")
    if data.get("product") != PRODUCT:
        raise ScenarioError(
            "product", f"this engine decides {PRODUCT!r} claims; got {data.get('product')!r}"
        )
    facts = parse(data)
    terms = terms_for(data, catalog, facts)
    if facts.claim.reassessments and terms.reassessment is None:
        raise ScenarioError(
            "claim.reassessments",
            "these terms have no reassessment of a claim (001 т.74 came with the 2019 terms); "
            "further treatment is a new claim",
        )
    return adjudicate(terms, facts).to_json()


def terms_for(data: dict[str, Any], catalog: Catalog, facts: ClaimFacts) -> AbroadTerms:
    wanted = data.get("version")
    try:
        if wanted is not None:
            version = catalog.version(PRODUCT, effective_from=str(wanted))
        else:
            version = catalog.version(PRODUCT, on=facts.contract.start)
    except KeyError as exc:
        field = "version" if wanted is not None else "contract.start"
        raise ScenarioError(field, str(exc.args[0])) from None
    if version.abroad is None:
        raise ScenarioError("version", f"{version.key} has no treatment-abroad terms")
    return version.abroad


@dataclass
class _ClaimState:
    usage: Usage
    nights_left: int | None  # full days of hospital cash the stay still supports
    earlier: list[Line]  # lines of this claim decided so far and not refused


def adjudicate(terms: AbroadTerms, facts: ClaimFacts) -> ClaimDecision:
    """Decide one claim. Pure: the same terms and facts always give the same decision."""
    ctx = Context.build(terms, facts)
    state = _ClaimState(Usage.from_history(terms, facts), facts.claim.hospital_nights, [])
    claim_wide = claim_refusals(ctx)
    decided: list[LineDecision] = []
    missing: list[str] = []
    for line in facts.claim.lines:
        decision, line_missing = _decide(ctx, state, line, claim_wide)
        decided.append(decision)
        missing += [key for key in line_missing if key not in missing]
    lines = tuple(decided)
    return ClaimDecision(
        outcome=claim_outcome(lines, tuple(missing)),
        lines=lines,
        missing_documents=tuple(missing),
        reasons=tuple(claim_wide),
        payable=cents(sum((d.payable for d in lines), ZERO)),
    )


def _decide(
    ctx: Context, state: _ClaimState, line: Line, claim_wide: list[Reason]
) -> tuple[LineDecision, list[str]]:
    benefit = ctx.terms.benefit(line.benefit)
    billed = _billed(benefit, line)
    refusals = [*cover_refusals(ctx, line), *claim_wide]
    if benefit is None:
        refusals.append(
            reason("benefit-not-covered", ctx.terms.benefits_clause, f"({line.benefit.value})")
        )
    else:
        refusals += exclusions(ctx, line)
        refusals += benefit_refusals(ctx, line, benefit, state.earlier)
    if refusals or benefit is None:
        return _line(line, ClaimOutcome.REJECTED, billed, ZERO, ZERO, refusals), []

    state.earlier.append(line)
    eligible, cuts = _eligible(ctx, benefit, line, state)
    missing = _missing_documents(ctx, benefit)
    clause = benefit.documents.clause if benefit.documents else benefit.clause
    if missing:
        cuts.append(reason("documents-missing", clause, ", ".join(missing)))
    if late_leva_invoice(benefit, line):
        cuts.append(reason("bgn-after-euro", clause, f"(line {line.index})"))
        if "invoice" not in missing:
            missing.append("invoice")
    if missing:
        return _line(line, ClaimOutcome.PENDING, billed, eligible, ZERO, cuts), missing
    payable, limit_cuts = state.usage.cap(line, benefit, eligible)
    state.usage.record(line.date, line.benefit, payable)
    return _line(line, _outcome(billed, payable), billed, eligible, payable, cuts + limit_cuts), []


def _billed(benefit: Benefit | None, line: Line) -> Decimal:
    if line.benefit is BenefitCode.DAILY_HOSPITAL_CASH and benefit and benefit.daily_allowance:
        return cents(benefit.daily_allowance.amount.eur * (line.quantity or 0))
    return line.amount


def _eligible(
    ctx: Context, benefit: Benefit, line: Line, state: _ClaimState
) -> tuple[Decimal, list[Reason]]:
    if benefit.daily_allowance is not None:
        _, eligible, days, cuts = abroad_limits.daily_cash(
            benefit, line, state.usage, state.nights_left
        )
        state.usage.daily_cash_days += days
        if state.nights_left is not None:
            state.nights_left -= days
        return eligible, cuts
    if benefit.code is BenefitCode.MEDICINES_AFTER_RETURN:
        return abroad_limits.medicines(benefit, line)
    if line.post_operative_medicine:
        return abroad_limits.post_operative(benefit, line, post_operative_days(ctx, line, benefit))
    return line.amount, []


def _missing_documents(ctx: Context, benefit: Benefit) -> list[str]:
    """Documents the benefit names (001 т.65.1) that the claim lacks; only when the scenario
    tracks documents at all."""
    documents = ctx.facts.claim.documents
    if documents is None or benefit.documents is None:
        return []
    missing = []
    for requirement in benefit.documents.required:
        options = [requirement] if isinstance(requirement, str) else requirement
        if not any(option in documents for option in options):
            missing.append(options[0])
    return missing


def late_leva_invoice(benefit: Benefit, line: Line) -> bool:
    """A leva invoice dated (bought) on or after the euro changeover: not a refusal but a
    document that does not meet the legal requirements, so the claim waits for a euro invoice
    (as 004 Чл.29 т.2 for health; 001 т.65.1 / 003 т.62.1 name the invoice). The daily cash has
    no invoice."""
    return (
        line.currency == "BGN"
        and line.purchased >= EURO_ADOPTION
        and benefit.daily_allowance is None
    )


def _outcome(billed: Decimal, payable: Decimal) -> ClaimOutcome:
    if payable >= billed:
        return ClaimOutcome.APPROVED
    return ClaimOutcome.PARTIAL if payable > 0 else ClaimOutcome.REJECTED


def _line(
    line: Line,
    outcome: ClaimOutcome,
    billed: Decimal,
    eligible: Decimal,
    payable: Decimal,
    reasons: list[Reason],
) -> LineDecision:
    return LineDecision(
        index=line.index,
        outcome=outcome,
        billed=billed,
        eligible=eligible,
        copay=ZERO,
        payable=payable,
        reasons=tuple(reasons),
    )
