"""The answer at a contracted clinic's front desk (issue 12): may this insured person have this
service here today, in the subscription form, and what does the member pay?

The subscription form (002 "Абонаментно обслужване", 004 Чл.24 т.4 а., Чл.29 т.11): the person
shows the insurer's card at a contracted institution and pays nothing; the institution bills the
insurer. The answer is the claims engine's own decision on a one-line subscription claim at the
agreed price, so the desk and a later provider claim never disagree:

- **not covered** — every reason ``eligibility.line_refusals`` gives (contract, cover, option,
  clause, waiting periods, exclusions, 002 II бел.*'s limited rows in reimbursement only), or
  the institution does not serve the row's package under its agreement (004 Чл.29 т.11);
- **covered with co-payment X** — the limits leave less than the agreed price: the insurer pays
  up to what is left and the member pays the rest at the desk (004 Чл.26 т.2, Чл.29 т.10: what
  exceeds the limit in the subscription form is the member's). 002 VII's percentage co-payment
  applies to the reimbursement form only (002 II бел.*****), so it never appears here;
- **needs pre-authorisation** — covered, but the row needs the insurer's prior approval (hospital
  care, 002 III, and rows the agreement marks: issue 12, docs/decisions.md);
- **covered** — otherwise.

With it: what is left of each limit the row uses (its count and money limits, the package's
yearly subscription limit, the aggregate limit) and the waiting period, if one still runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from zdrave.engine.adjudication.amounts import price_line
from zdrave.engine.adjudication.cover_days import case_on
from zdrave.engine.adjudication.eligibility import WAITING, claim_window, line_refusals
from zdrave.engine.adjudication.facts import ClaimLine, HealthCase
from zdrave.engine.adjudication.index import ProductIndex
from zdrave.engine.adjudication.plan import SUBSCRIPTION, plan_for
from zdrave.engine.adjudication.reasons import ReasonCode
from zdrave.engine.adjudication.usage import Usage
from zdrave.engine.decisions import Reason
from zdrave.engine.money import CENT, ZERO

HOSPITAL_PACKAGE = 3  # 002 III „Болнична медицинска помощ“

NOT_IN_AGREEMENT = ReasonCode(
    "package-not-in-provider-agreement",
    "004 Чл.29 т.11",
    "Лечебното заведение няма договор със застрахователя за този пакет: услугата не може да се "
    "ползва тук по абонаментен принцип.",
    "The institution has no agreement with the insurer for this package: the service cannot be "
    "used here in the subscription form.",
)
OVER_LIMIT = ReasonCode(
    "member-pays-over-limit",
    "004 Чл.26 т.2; Чл.29 т.10",
    "Лимитът не стига за договорената цена: застрахованият доплаща разликата на място.",
    "The limit does not cover the agreed price: the insured person pays the difference at the "
    "desk.",
)
PREAUTHORISATION = ReasonCode(
    "needs-preauthorisation",
    "002 III; issue 12",
    "Услугата се покрива след предварително одобрение от застрахователя (гаранционно писмо).",
    "The service is covered after the insurer's prior approval (a guarantee letter).",
)
FRONT_DESK_CODES = (NOT_IN_AGREEMENT, OVER_LIMIT, PREAUTHORISATION)


class Verdict(StrEnum):
    COVERED = "covered"
    COPAYMENT = "copayment"  # covered, the member pays part at the desk
    PREAUTHORISATION = "preauthorisation"
    NOT_COVERED = "not_covered"


class LimitKind(StrEnum):
    COUNT = "count"  # a row's count, day or km limit (002's "брой" column and option cells)
    MONEY = "money"  # a row's own money limit
    PACKAGE = "package"  # the package's yearly limit in the subscription form (002 II.Б …)
    AGGREGATE = "aggregate"  # the person's aggregate limit (004 Чл.26 т.1)


@dataclass(frozen=True, slots=True)
class Remaining:
    """One limit the row uses: its value, what was used of it this insurance year (or over the
    contract) and what is left. ``holder`` is the row whose usage counts (a group limit's
    heading row), or the package number for ``PACKAGE``."""

    kind: LimitKind
    holder: str
    limit: Decimal
    used: Decimal
    clause: str

    @property
    def left(self) -> Decimal:
        left = self.limit - self.used
        return left if left > 0 else Decimal(0)


@dataclass(frozen=True, slots=True)
class FrontDeskAnswer:
    verdict: Verdict
    service: str
    day: dt.date
    price: Decimal | None  # the agreed price, None when the agreement names none
    insurer_pays: Decimal
    member_pays: Decimal
    remaining: tuple[Remaining, ...]
    waiting_until: dt.date | None  # the first day the service is covered, if a period runs
    reasons: tuple[Reason, ...]


def front_desk_answer(
    case: HealthCase,
    index: ProductIndex,
    usage: Usage,
    *,
    service: str,
    day: dt.date,
    price: Decimal | None,
    served_packages: frozenset[int],
    flagged_for_preauthorisation: bool = False,
    diagnosis: str = "",
) -> FrontDeskAnswer:
    """The answer for ``service`` on ``day`` at an institution that serves ``served_packages``
    at the agreed ``price``. ``case.claim`` carries the form (subscription) and the person's
    facts; its lines are ignored. ``usage`` is the person's usage from their paid lines; nothing
    is recorded in it. Raises ``KeyError`` for a code that is not a service row of the product.
    """
    info = index.services[service]
    case = case_on(case, day)  # special conditions by annex only from their day (004 Чл.27 т.1)
    cover = case.covers.get(info.package_number)
    plan = plan_for(index, info, cover, SUBSCRIPTION) if cover is not None else None
    window = claim_window(case, index)
    line = ClaimLine(0, service, day, 1, price if price is not None else ZERO, "EUR")
    refusals = line_refusals(case, line, info, plan, window, index, usage, diagnosis)
    remaining = _remaining(case, index, usage, info, cover, plan, day)
    waiting_until = _waiting_until(refusals)
    if plan is not None and info.package_number not in served_packages:
        refusals = (*refusals, NOT_IN_AGREEMENT.reason(detail=f"(package {info.package_number})"))
    if refusals or plan is None:
        return FrontDeskAnswer(
            Verdict.NOT_COVERED, service, day, price, ZERO, price or ZERO, remaining,
            waiting_until, tuple(refusals),
        )  # fmt: skip
    # Without an agreed price the insurer pays the institution's invoice up to what is left:
    # a cent tells whether anything is left at all.
    billed = price if price is not None else CENT
    decision = price_line(case, line, plan, usage, usage.year_of(day), diagnosis, billed)
    if decision.payable <= ZERO:
        return FrontDeskAnswer(
            Verdict.NOT_COVERED, service, day, price, ZERO, price or ZERO, remaining, None,
            decision.reasons,
        )  # fmt: skip
    insurer = decision.payable if price is not None else ZERO
    member = price - insurer if price is not None else ZERO
    reasons = decision.reasons
    if member > ZERO:
        reasons = (*reasons, OVER_LIMIT.reason(detail=f"({member} EUR)"))
    if needs_preauthorisation(info.package_number, flagged_for_preauthorisation):
        verdict = Verdict.PREAUTHORISATION
        reasons = (*reasons, PREAUTHORISATION.reason(_preauth_clause(info.package.clause)))
    elif member > ZERO:
        verdict = Verdict.COPAYMENT
    else:
        verdict = Verdict.COVERED
    return FrontDeskAnswer(verdict, service, day, price, insurer, member, remaining, None, reasons)


def needs_preauthorisation(package: int, flagged: bool) -> bool:
    """Hospital care (002 III) always needs the insurer's prior approval; another row when the
    institution's agreement marks it (expensive diagnostics: issue 12)."""
    return package == HOSPITAL_PACKAGE or flagged


def _preauth_clause(package_clause: str) -> str:
    return f"{package_clause}; issue 12"


def _waiting_until(refusals) -> dt.date | None:
    """The first covered day named by a waiting-period refusal (004 Чл.19, Чл.20)."""
    for reason in refusals:
        if reason.code == WAITING.code and "covered from " in reason.message:
            return dt.date.fromisoformat(reason.message.rsplit("covered from ", 1)[1][:10])
    return None


def _remaining(case, index, usage, info, cover, plan, day) -> tuple[Remaining, ...]:
    if cover is None or plan is None:
        return ()
    year = usage.year_of(day)
    found: list[Remaining] = []
    for holder, per_year, value, reason in plan.count_limits:
        used = usage.count(year if per_year else -1, holder)
        found.append(
            Remaining(LimitKind.COUNT, holder, Decimal(value), Decimal(used), reason.clause)
        )
    for holder, per_year, eur, reason in plan.money_limits:
        used = usage.money(year if per_year else -1, holder)
        found.append(Remaining(LimitKind.MONEY, holder, eur, used, reason.clause))
    if plan.subscription is not None:
        used_all = usage.package_row(year, plan.package)[0]
        found.append(
            Remaining(
                LimitKind.PACKAGE,
                str(plan.package),
                plan.subscription,
                used_all,
                info.package.yearly_limits_clause,
            )
        )
    aggregate = case.contract.aggregate_limit
    if aggregate is not None:
        found.append(
            Remaining(LimitKind.AGGREGATE, "", aggregate, usage.total_paid, "004 Чл.26 т.1")
        )
    return tuple(found)
