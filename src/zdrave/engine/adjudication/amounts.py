"""How much of an eligible line is paid.

The order (recorded in docs/decisions.md, "Claim adjudication"):

1. the billed amount in euro (leva converted at 1.95583, to the cent);
2. capped at the reasonable-and-customary cost when a reference price is given (004 Чл.29 т.11);
3. less what НЗОК (004 Чл.11) and an earlier insurer (004 Чл.29 т.13) paid;
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

from decimal import ROUND_HALF_UP, Decimal

from zdrave.engine.adjudication.facts import ClaimLine, HealthCase
from zdrave.engine.adjudication.health_decisions import HealthLineDecision
from zdrave.engine.adjudication.plan import LinePlan
from zdrave.engine.adjudication.reasons import code
from zdrave.engine.adjudication.usage import Usage, disease_of
from zdrave.engine.decisions import ClaimOutcome, Reason
from zdrave.engine.money import CENT, ZERO, cents, to_eur
from zdrave.engine.terms.rules import QuantityLimit

MAX_PRIMARY_EXAMS = 1  # 004 Чл.13
MAX_SECONDARY_EXAMS = 2  # 004 Чл.13

REASONABLE = code("reasonable-cost-cap")
NHIF = code("nhif-share")
OTHER_INSURER = code("other-insurer-share")
PRO_RATA = code("medicine-quantity-pro-rata")
AGGREGATE = code("aggregate-limit")
SPECIAL_LIMIT = code("special-condition-limit")
PRIMARY = code("primary-exam-per-disease")
SECONDARY = code("secondary-exams-per-disease")

APPROVED, PARTIAL, REJECTED = ClaimOutcome.APPROVED, ClaimOutcome.PARTIAL, ClaimOutcome.REJECTED


def billed_eur(line: ClaimLine) -> Decimal:
    if line.currency == "EUR":
        return line.amount.quantize(CENT, ROUND_HALF_UP)
    return to_eur(line.amount, line.currency)


def price_line(
    case: HealthCase,
    line: ClaimLine,
    plan: LinePlan,
    usage: Usage,
    year: int,
    diagnosis: str,
    billed: Decimal,
) -> HealthLineDecision:
    """The decision on an eligible line billed ``billed`` euro, in the insurance ``year`` of
    its date: steps 2–7 of the module's order. Nothing is recorded in usage."""
    reasons: list[Reason] = []
    base = billed
    if line.reference_price is not None or line.nhif_paid or line.other_insurer_paid:
        base = _net_of_others(line, billed, reasons)
    if line.dose_days is not None and plan.medicine_rule is not None:
        base = _medicine_pro_rata(line, plan.medicine_rule, base, reasons)
    quantity = line.quantity
    if plan.count_limits or plan.exam_kind is not None:
        quantity = _allowed_quantity(line, plan, usage, year, diagnosis, reasons)
        if quantity < line.quantity:
            base = base * quantity / line.quantity
    if base is billed:
        eligible = billed if billed > ZERO else ZERO  # already to the cent
    else:
        eligible = base.quantize(CENT, ROUND_HALF_UP) if base > ZERO else ZERO
    copay = ZERO
    if plan.copay_rate:
        copay = (eligible * plan.copay_rate).quantize(CENT, ROUND_HALF_UP)
    payable = _cap_by_money_limits(case, plan, usage, year, eligible - copay, reasons)
    if payable <= ZERO:
        return HealthLineDecision(line.index, REJECTED, billed, ZERO, ZERO, ZERO, tuple(reasons))
    if copay:
        reasons.append(plan.copay_reason)  # type: ignore[arg-type]
    # Partial: less than billed for a reason other than the member's co-payment.
    outcome = PARTIAL if payable + copay < billed else APPROVED
    return HealthLineDecision(
        line.index, outcome, billed, eligible, copay, payable, tuple(reasons), quantity
    )


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
    return base if base > ZERO else ZERO


def _medicine_pro_rata(
    line: ClaimLine, rule: QuantityLimit, base: Decimal, reasons: list[Reason]
) -> Decimal:
    dose_days = line.dose_days or 0
    # Without a stated kind of treatment we apply the general 30 days of 004 Чл.29 т.5.
    cap = rule.acute_days if line.treatment == "acute" else rule.chronic_days
    if dose_days <= cap:
        return base
    reasons.append(PRO_RATA.reason(rule.clause, f"({cap} of {dose_days} days)"))
    return base * cap / dose_days


def _allowed_quantity(
    line: ClaimLine,
    plan: LinePlan,
    usage: Usage,
    year: int,
    diagnosis: str,
    reasons: list[Reason],
) -> int:
    allowed = line.quantity
    for holder, per_year, value, reason in plan.count_limits:
        left = value - usage.count(year if per_year else -1, holder)
        if left < allowed:
            allowed = max(left, 0)
            reasons.append(reason)
    kind = plan.exam_kind
    if kind is not None:
        most, reason_code = (
            (MAX_PRIMARY_EXAMS, PRIMARY) if kind == "primary" else (MAX_SECONDARY_EXAMS, SECONDARY)
        )
        disease = disease_of(diagnosis)
        left = most - usage.exams_within(disease, line.date, kind)
        if left < allowed:
            allowed = max(left, 0)
            reasons.append(reason_code.reason(detail=f"({disease})"))
    return allowed


def _cap_by_money_limits(
    case: HealthCase,
    plan: LinePlan,
    usage: Usage,
    year: int,
    wanted: Decimal,
    reasons: list[Reason],
) -> Decimal:
    if wanted <= ZERO:
        return ZERO
    # Each limit is compared with what the line wants; only a binding one gives a reason.
    payable = wanted
    for holder, per_year, eur, reason in plan.money_limits:
        left = eur - usage.money(year if per_year else -1, holder)
        if left < wanted:
            reasons.append(reason)
            payable = min(payable, left)
    subscription = plan.subscription
    used_all, _used_subscription, used_reimbursement = usage.package_row(year, plan.package)
    if subscription is not None and subscription - used_all < wanted:
        reasons.append(plan.subscription_reason)  # type: ignore[arg-type]
        payable = min(payable, subscription - used_all)
    reimbursement = plan.reimbursement
    if reimbursement is not None:
        # 002 бел.***: a sub-limit of subscription; package 5 (бел.*): one limit for both forms.
        if plan.reimbursement_shared:
            left = reimbursement - used_all
        else:
            left = reimbursement - used_reimbursement
        if left < wanted:
            reasons.append(plan.reimbursement_reason)  # type: ignore[arg-type]
            payable = min(payable, left)
    aggregate = case.contract.aggregate_limit
    if aggregate is not None and aggregate - usage.total_paid < wanted:
        reasons.append(AGGREGATE.reason(detail=f"({aggregate} EUR)"))
        payable = min(payable, aggregate - usage.total_paid)
    special = case.insured.special
    # A lower limit agreed for this person on special conditions (004 Чл.10, Чл.26 т.1).
    if (
        special is not None
        and special.limit is not None
        and special.limit - usage.total_paid < wanted
    ):
        reasons.append(SPECIAL_LIMIT.reason(detail=f"({special.limit} EUR)"))
        payable = min(payable, special.limit - usage.total_paid)
    return payable if payable > ZERO else ZERO
