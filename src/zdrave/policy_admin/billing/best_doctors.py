"""Early termination of a Best Doctors contract other than the automatic lapse (001 т.27.1–27.3,
003 т.24 а)–б)): which kinds the contract's general conditions offer, who holds the right, the
rules of time, and the money the clause settles. ``actions.termination`` records it.

- 001 т.27.1 / 003 т.24 а): by mutual agreement in writing, from the date agreed.
- 001 т.27.2: the policyholder's written application when the insurable interest falls away;
  "застрахователната премия се преизчислява и разликата се връща на Застраховащия".
- 001 т.27.3: the insurer's right for misrepresentation, "в едномесечен срок от узнаване", and it
  "задържа платената част от премията и има право да иска плащането й за периода до
  прекратяването".
- 003 т.24 б): either party "с тримесечно предизвестие"; the contract ends at 24:00 of the day
  named in the notice (00:00 of the next day here).

The seeds give no refund rule for 001 т.27.1, 003 т.24 а) and б): the premium is recalculated
for the time in force like 001 т.27.2 (pro rata temporis, nothing kept for costs — 001/003 have
no clause like 004 Чл.25 т.7); docs/decisions.md "Best Doctors termination"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zdrave.claims.abroad import abroad_terms
from zdrave.contracts.models import Contract, TerminationReason
from zdrave.engine.calendar import add_months
from zdrave.engine.premiums import periods
from zdrave.policy_admin.billing.fetch import schedule
from zdrave.policy_admin.billing.lapses import BEST_DOCTORS
from zdrave.policy_admin.billing.models import BestDoctorsTermination as Kind

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DAY = dt.timedelta(days=1)
MISREPRESENTATION_MONTHS = 1  # 001 т.27.3
NOTICE_MONTHS = 3  # 003 т.24 б)

# The kinds each set of general conditions offers, with the clause they cite.
CLAUSES = {
    "001": {
        Kind.MUTUAL: "001 т.27.1",
        Kind.INTEREST_LOST: "001 т.27.2",
        Kind.MISREPRESENTATION: "001 т.27.3",
    },
    "003": {
        Kind.MUTUAL: "003 т.24 а)",
        Kind.HOLDER_NOTICE: "003 т.24 б)",
        Kind.INSURER_NOTICE: "003 т.24 б)",
    },
}
# The holder's rights: the holder's written request is recorded (its date is required).
HOLDER_REQUESTS = (Kind.INTEREST_LOST, Kind.HOLDER_NOTICE)
# The insurer's rights: a person decides, within the clause's time.
INSURER_RIGHTS = (Kind.MISREPRESENTATION, Kind.INSURER_NOTICE)
# The contract's own reason (``contracts.TerminationReason``) for each kind.
CONTRACT_REASON = {
    Kind.MUTUAL: TerminationReason.MUTUAL,
    Kind.INTEREST_LOST: TerminationReason.NOTICE,
    Kind.MISREPRESENTATION: TerminationReason.MISREPRESENTATION,
    Kind.HOLDER_NOTICE: TerminationReason.NOTICE,
    Kind.INSURER_NOTICE: TerminationReason.NOTICE,
}


def is_best_doctors(contract: Contract) -> bool:
    return contract.product_code == BEST_DOCTORS


def document(contract: Contract) -> str:
    """ "001" or "003": the general conditions the contract was sold under (by its terms'
    version, as the lapse reads them)."""
    return abroad_terms(contract).premium.lapse_clause.split()[0]


def kinds_for(contract: Contract) -> list[tuple[str, str]]:
    offered = CLAUSES[document(contract)]
    return [(k, label) for k, label in Kind.choices if k in offered]


def clause_of(contract: Contract, kind: str) -> str:
    return CLAUSES[document(contract)][kind]


def misrepresentation_deadline(learned_on: dt.date) -> dt.date:
    """001 т.27.3: the last day the insurer may terminate, one month from learning."""
    return add_months(learned_on, MISREPRESENTATION_MONTHS)


def first_day_after_notice(notice_on: dt.date) -> dt.date:
    """003 т.24 б): with three months' notice given on ``notice_on`` the earliest day the notice
    may name as the last day of cover is three months later; cover ends at 24:00 of it, so the
    earliest ``effective_on`` (00:00) is the day after."""
    return add_months(notice_on, NOTICE_MONTHS) + DAY


@dataclass(frozen=True)
class Money:
    """Shaped like ``engine.premiums.TerminationMoney`` for the settlement template."""

    effective_on: dt.date
    refund: Decimal
    premium_to_claim: Decimal
    clause: str
    costs_kept: Decimal = ZERO


def money(contract: Contract, kind: str, effective_on: dt.date) -> Money:
    """The money of ending ``contract`` at 00:00 of ``effective_on`` by ``kind``. Each
    instalment pays for its period; the premium for the time in force is each instalment's
    share for the days of its period before ``effective_on``.

    - misrepresentation (001 т.27.3): the paid premium is kept (no refund) and the premium of
      unpaid instalments for the time until the termination is claimed;
    - every other kind: the premium is recalculated for the time in force and the difference
      to what was paid is returned (001 т.27.2), or, if less was paid, claimed."""
    clause = clause_of(contract, kind)
    paid = earned = earned_unpaid = ZERO
    for period in periods(contract.start, contract.end, schedule(contract)):
        if period.days <= 0:
            continue
        item = period.instalment
        days_in_force = max(0, (min(effective_on, period.ends) - period.starts).days)
        part = (item.amount * days_in_force / period.days).quantize(CENT, ROUND_HALF_UP)
        earned += part
        if item.paid_on is not None:
            paid += item.amount
        else:
            earned_unpaid += part
    if kind == Kind.MISREPRESENTATION:
        return Money(effective_on, ZERO, earned_unpaid, clause)
    difference = paid - earned
    return Money(effective_on, max(difference, ZERO), max(-difference, ZERO), clause)
