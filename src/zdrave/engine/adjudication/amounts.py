"""How much of an eligible line is paid.

The order (recorded in docs/decisions.md, "Claim adjudication"):

1. the billed amount in euro (leva converted at 1.95583, to the cent);
2. capped at the reasonable-and-customary cost when a reference price is given (004 Чл.29 т.11);
3. less what НЗОК (004 Чл.11) and an earlier insurer (004 Чл.29 т.12) paid;
4. medicines bought for more than 30 (chronic) / 10 (acute) days paid pro rata (004 Чл.21(1) т.35);
5. count, day and kilometre limits, and 004 Чл.13's one primary / two secondary exams per
   disease in 30 days, cut the quantity (and the amount pro rata) — this is ``eligible``;
6. the co-payment of clause Б1 in the reimbursement form is taken from ``eligible`` (002 VII);
7. money limits cap what the insurer pays: the row's own, the package's yearly limit per form
   (reimbursement a sub-limit of subscription; package 5's forms exhaust one limit), and the
   person's aggregate limit (004 Чл.26 т.1).

So a limit counts what the insurer paid, and the co-payment stays the member's share of the
eligible cost — 80.00 billed under Б1 20 % gives 16.00 co-payment and 64.00 payable.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zdrave.engine.adjudication.facts import ClaimLine, CoverFacts, HealthCase
from zdrave.engine.adjudication.index import LimitRef, ProductIndex, ServiceInfo
from zdrave.engine.adjudication.reasons import code
from zdrave.engine.adjudication.usage import Usage, disease_of
from zdrave.engine.decisions import Reason
from zdrave.engine.money import CENT, cents, to_eur
from zdrave.engine.terms.common import LimitPeriod

ZERO = Decimal("0.00")
MAX_PRIMARY_EXAMS = 1  # 004 Чл.13
MAX_SECONDARY_EXAMS = 2  # 004 Чл.13

REASONABLE = code("reasonable-cost-cap")
NHIF = code("nhif-share")
OTHER_INSURER = code("other-insurer-share")
PRO_RATA = code("medicine-quantity-pro-rata")
COUNT = code("count-limit")
SERVICE_MONEY = code("service-money-limit")
YEARLY = code("yearly-limit")
AGGREGATE = code("aggregate-limit")
PRIMARY = code("primary-exam-per-disease")
SECONDARY = code("secondary-exams-per-disease")
COPAY = code("copayment")


@dataclass(slots=True)
class Priced:
    billed: Decimal
    eligible: Decimal
    copay: Decimal
    payable: Decimal
    quantity: int  # what the line uses of count limits
    reasons: list[Reason]


def billed_eur(line: ClaimLine) -> Decimal:
    if line.currency == "EUR":
        return line.amount.quantize(CENT, ROUND_HALF_UP)
    return to_eur(line.amount, line.currency)


def price_line(
    case: HealthCase,
    line: ClaimLine,
    info: ServiceInfo,
    cover: CoverFacts,
    index: ProductIndex,
    usage: Usage,
    diagnosis: str,
) -> Priced:
    reasons: list[Reason] = []
    billed = billed_eur(line)
    base = billed
    if line.reference_price is not None or line.nhif_paid or line.other_insurer_paid:
        base = _net_of_others(line, billed, reasons)
    if line.dose_days is not None:
        base = _medicine_pro_rata(line, info, index, base, reasons)
    year = usage.year_of(line.date)
    count_refs, money_refs = index.split_limits(info, cover.option)
    quantity = line.quantity
    if count_refs or info.exam_kind is not None:
        quantity = _allowed_quantity(line, info, count_refs, usage, year, diagnosis, reasons)
        if quantity < line.quantity:
            base = base * quantity / line.quantity
    eligible = base.quantize(CENT, ROUND_HALF_UP) if base > 0 else ZERO
    copay = ZERO
    if case.claim.form == "reimbursement":
        rate, copay_reason = _copay(info, cover, index)
        if rate:
            copay = (eligible * rate).quantize(CENT, ROUND_HALF_UP)
    wanted = eligible - copay
    payable = _cap_by_money_limits(
        case, info, cover, money_refs, index, usage, year, wanted, reasons
    )
    if payable <= 0:
        return Priced(billed, ZERO, ZERO, ZERO, 0, reasons)
    if copay:
        reasons.append(copay_reason)
    return Priced(billed, eligible, copay, payable, quantity, reasons)


def _copay(info: ServiceInfo, cover: CoverFacts, index: ProductIndex) -> tuple[Decimal, Reason]:
    """The package's co-payment rate for the clause (002 VII) and its reason, cached."""
    key = ("copay", info.package.number, cover.clause)
    found = index.memo.get(key)
    if found is None:
        package = info.package
        rate = package.copay_rate(cover.clause)  # type: ignore[arg-type]
        reason = COPAY.reason(
            package.copay_clause, f"({package.copay_percent.get(cover.clause)} %)"
        )  # type: ignore[call-overload]
        found = index.memo[key] = (rate, reason)
    return found


def _net_of_others(line: ClaimLine, billed: Decimal, reasons: list[Reason]) -> Decimal:
    base = billed
    if line.reference_price is not None:
        reasonable = cents(line.reference_price * line.quantity)
        if reasonable < base:
            base = reasonable
            reasons.append(REASONABLE.reason(detail=f"({reasonable} EUR)"))
    if line.nhif_paid:
        base -= to_eur(line.nhif_paid, line.currency)
        reasons.append(NHIF.reason(detail=f"({line.nhif_paid} {line.currency})"))
    if line.other_insurer_paid:
        base -= to_eur(line.other_insurer_paid, line.currency)
        reasons.append(OTHER_INSURER.reason(detail=f"({line.other_insurer_paid} {line.currency})"))
    return base if base > 0 else ZERO


def _medicine_pro_rata(
    line: ClaimLine, info: ServiceInfo, index: ProductIndex, base: Decimal, reasons: list[Reason]
) -> Decimal:
    rule = index.version.rules.quantity_limit
    if rule is None or line.dose_days is None or info.category != "medicine":
        return base
    # Without a stated kind of treatment we apply the general 30 days of 004 Чл.29 т.5.
    cap = rule.acute_days if line.treatment == "acute" else rule.chronic_days
    if line.dose_days <= cap:
        return base
    reasons.append(PRO_RATA.reason(rule.clause, f"({cap} of {line.dose_days} days)"))
    return base * cap / line.dose_days


def _allowed_quantity(
    line: ClaimLine,
    info: ServiceInfo,
    count_refs: tuple[LimitRef, ...],
    usage: Usage,
    year: int,
    diagnosis: str,
    reasons: list[Reason],
) -> int:
    allowed = line.quantity
    for ref in count_refs:
        limit = ref.limit
        key = year if limit.per is LimitPeriod.YEAR else -1
        left = int(limit.value) - usage.count(key, ref.holder)
        if left < allowed:
            allowed = max(left, 0)
            detail = f"({ref.holder}: {limit.value} {limit.unit.value})"
            reasons.append(COUNT.reason(limit.clause, detail))
    if info.exam_kind is not None:
        most, reason = (
            (MAX_PRIMARY_EXAMS, PRIMARY)
            if info.exam_kind == "primary"
            else (MAX_SECONDARY_EXAMS, SECONDARY)
        )
        left = most - usage.exams_within(disease_of(diagnosis), line.date, info.exam_kind)
        if left < allowed:
            allowed = max(left, 0)
            reasons.append(reason.reason(detail=f"({disease_of(diagnosis)})"))
    return allowed


def _cap_by_money_limits(
    case: HealthCase,
    info: ServiceInfo,
    cover: CoverFacts,
    money_refs: tuple[LimitRef, ...],
    index: ProductIndex,
    usage: Usage,
    year: int,
    wanted: Decimal,
    reasons: list[Reason],
) -> Decimal:
    if wanted <= 0:
        return ZERO
    # Each limit is compared with what the line wants; only a binding one gives a reason.
    payable = wanted
    for ref in money_refs:
        key = year if ref.limit.per is LimitPeriod.YEAR else -1
        left = ref.eur - usage.money(key, ref.holder)
        if left < wanted:
            detail = f"({ref.holder}: {ref.eur} EUR)"
            reasons.append(SERVICE_MONEY.reason(ref.limit.clause, detail))
            payable = min(payable, left)
    package = info.package
    subscription, reimbursement, _printed = index.yearly(package, cover.option)
    used_all = usage.package_paid(year, package.number)
    if subscription is not None and subscription - used_all < wanted:
        reasons.append(YEARLY.reason(package.yearly_limits_clause, f"({subscription} EUR)"))
        payable = min(payable, subscription - used_all)
    if reimbursement is not None and case.claim.form == "reimbursement":
        # 002 бел.***: a sub-limit of subscription; package 5 (бел.*): one limit for both forms.
        if package.mutually_exhausting_forms:
            left, clause = reimbursement - used_all, package.mutually_exhausting_clause
        else:
            left = reimbursement - usage.package_paid(year, package.number, "reimbursement")
            clause = package.yearly_limits_clause
        if left < wanted:
            reasons.append(YEARLY.reason(clause, f"({reimbursement} EUR)"))
            payable = min(payable, left)
    aggregate = case.contract.aggregate_limit
    if aggregate is not None and aggregate - usage.total_paid < wanted:
        reasons.append(AGGREGATE.reason(detail=f"({aggregate} EUR)"))
        payable = min(payable, aggregate - usage.total_paid)
    return payable if payable > 0 else ZERO
