"""How much of a best-doctors line the limits allow.

Every benefit counts towards EUR 1 000 000 per insurance year and EUR 2 000 000 for the whole
term (001 т.28, т.31; 003 т.25, т.28); medicines after return also towards their own EUR 50 000
(001 т.29; 003 т.26); daily hospital cash is at most 60 days per claim (001 т.30; 003 т.27).
``Usage`` starts from the history of the contract and is updated line by line, so lines of one
claim share the limits in their order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from zdrave.engine.adjudication.abroad_facts import ClaimFacts, HistoryLine, Line
from zdrave.engine.adjudication.abroad_reasons import reason
from zdrave.engine.calendar import add_months
from zdrave.engine.decisions import Reason
from zdrave.engine.money import ZERO, cents
from zdrave.engine.terms.abroad import AbroadTerms, Benefit, BenefitCode


def insurance_year(start: dt.date, day: dt.date) -> int:
    """0 for the first year from the contract start, 1 for the next … (001 т.22.1: a year)."""
    year = day.year - start.year
    while add_months(start, 12 * year) > day:
        year -= 1
    while add_months(start, 12 * (year + 1)) <= day:
        year += 1
    return year


@dataclass
class Usage:
    terms: AbroadTerms
    contract_start: dt.date
    claim_ref: str
    by_year: dict[int, Decimal] = field(default_factory=dict)
    total: Decimal = ZERO
    medicines: Decimal = ZERO
    daily_cash_days: int = 0  # of this claim

    @classmethod
    def from_history(cls, terms: AbroadTerms, facts: ClaimFacts) -> Usage:
        usage = cls(terms, facts.contract.start, facts.claim.ref)
        for line in facts.history:
            usage.record(line.date, line.benefit, line.paid)
            if (
                line.benefit is BenefitCode.DAILY_HOSPITAL_CASH
                and line.claim_ref == facts.claim.ref
            ):
                usage.daily_cash_days += _history_days(terms, line)
        # The claims system's own count of days already paid on this claim (001 т.30) wins over
        # what the history lines add up to: the history may be partial.
        if facts.claim.daily_cash_days_paid is not None:
            usage.daily_cash_days = facts.claim.daily_cash_days_paid
        return usage

    def record(self, day: dt.date, benefit: BenefitCode, paid: Decimal) -> None:
        year = insurance_year(self.contract_start, day)
        self.by_year[year] = self.by_year.get(year, ZERO) + paid
        self.total += paid
        if benefit is BenefitCode.MEDICINES_AFTER_RETURN:
            self.medicines += paid

    def cap(self, line: Line, benefit: Benefit, eligible: Decimal) -> tuple[Decimal, list[Reason]]:
        """The part of ``eligible`` the remaining limits allow, with a reason for each cut."""
        reasons: list[Reason] = []
        amount = eligible
        if benefit.lifetime_limit is not None:
            amount = self._cut(
                amount,
                benefit.lifetime_limit.eur - self.medicines,
                "medicines-lifetime-limit",
                benefit.lifetime_limit.clause,
                reasons,
            )
        year_used = self.by_year.get(insurance_year(self.contract_start, line.date), ZERO)
        amount = self._cut(
            amount,
            self.terms.year_limit.eur - year_used,
            "year-limit",
            self.terms.year_limit.clause,
            reasons,
        )
        amount = self._cut(
            amount,
            self.terms.lifetime_limit.eur - self.total,
            "lifetime-limit",
            self.terms.lifetime_limit.clause,
            reasons,
        )
        return amount, reasons

    @staticmethod
    def _cut(
        amount: Decimal, remaining: Decimal, code: str, clause: str, reasons: list[Reason]
    ) -> Decimal:
        remaining = max(remaining, ZERO)
        if amount <= remaining:
            return amount
        reasons.append(reason(code, clause, f"{remaining:.2f} EUR was left."))
        return remaining


def _history_days(terms: AbroadTerms, line: HistoryLine) -> int:
    if line.quantity is not None:
        return line.quantity
    benefit = terms.benefit(BenefitCode.DAILY_HOSPITAL_CASH)
    if benefit is None or benefit.daily_allowance is None:
        return 0
    per_day = benefit.daily_allowance.amount.eur
    return int((line.paid / per_day).to_integral_value(rounding=ROUND_DOWN))


def daily_cash(
    benefit: Benefit, line: Line, usage: Usage, nights_left: int | None
) -> tuple[Decimal, Decimal, int, list[Reason]]:
    """(billed, eligible, days paid, reasons) for a daily-hospital-cash line."""
    allowance = benefit.daily_allowance
    assert allowance is not None
    assert line.quantity is not None
    per_day = allowance.amount.eur
    billed = cents(per_day * line.quantity)
    days, reasons = line.quantity, []
    if nights_left is not None and days > nights_left:
        days = max(nights_left, 0)
        reasons.append(
            reason(
                "daily-cash-full-days",
                allowance.amount.clause,
                f"{line.quantity} days claimed, {days} full days in hospital left.",
            )
        )
    left = max(allowance.max_days - usage.daily_cash_days, 0)
    if days > left:
        reasons.append(
            reason("daily-cash-max-days", allowance.max_days_clause, f"{left} of {days} days paid.")
        )
        days = left
    return billed, cents(per_day * days), days, reasons


def medicines(benefit: Benefit, line: Line) -> tuple[Decimal, list[Reason]]:
    """The eligible part of a medicines purchase before the limits: less what НЗОК or another
    insurer paid (001 т.65.2). A dose over two months is refused outright (001 т.64.5, in
    ``abroad_checks``), so it never reaches this point."""
    reasons: list[Reason] = []
    eligible = line.amount
    others = line.nhif_paid + line.other_insurer_paid
    if others > 0 and benefit.deducts_other_payers_clause:
        eligible = max(eligible - others, ZERO)
        reasons.append(
            reason(
                "other-payer-share",
                benefit.deducts_other_payers_clause,
                f"{others:.2f} EUR paid by others.",
            )
        )
    return eligible, reasons


def post_operative(
    benefit: Benefit, line: Line, days: tuple[int, int] | None
) -> tuple[Decimal, list[Reason]]:
    """A post-operative supply reaching past the 30 days of 001 т.53 / 003 т.49 is paid for the
    days inside them, pro rata: the clause sets a period of cover, not a condition."""
    rule = benefit.post_operative_medicines
    if days is None or rule is None:
        return line.amount, []
    covered, supply = days
    return cents(line.amount * covered / supply), [
        reason("post-operative-medicine-30-days", rule.clause, f"{covered} of {supply} days paid.")
    ]
