"""Whether a claim line can be paid at all: contract and cover in force, the service in the
person's package, option, clause and form, waiting periods, exclusions and purchase deadlines.

Each check returns the reasons it refuses the line for; every applicable reason is reported (not
only the first), so a member sees all that stands in the way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from zdrave.engine.adjudication.cover_days import covered_elsewhere, row_cover_start
from zdrave.engine.adjudication.facts import (
    ClaimLine,
    ContractFacts,
    HealthCase,
    SpecialConditions,
)
from zdrave.engine.adjudication.health_claims import aid_wear_reason
from zdrave.engine.adjudication.index import ProductIndex, ServiceInfo
from zdrave.engine.adjudication.plan import LinePlan, no_package_reason
from zdrave.engine.adjudication.reasons import EXCLUDED_PREFIX, code
from zdrave.engine.adjudication.usage import Usage
from zdrave.engine.calendar import add_months
from zdrave.engine.decisions import Reason
from zdrave.engine.money import ZERO
from zdrave.engine.terms.common import icd10_matches
from zdrave.engine.terms.rules import Exclusion, service_matches

# 004 Чл.25 т.5: the insurer *may* act once an instalment is more than 15 days overdue; cover
# continues until it does (issue 15), so the engine only flags it (``premium_notices``).
PREMIUM_GRACE = dt.timedelta(days=15)
DAY = dt.timedelta(days=1)
NEVER = dt.date.min

BEFORE_CONTRACT = code("before-contract-start")
AFTER_CONTRACT = code("after-contract-end")
BEFORE_COVER = code("before-cover-start")
AFTER_TERMINATION = code("after-termination")
PREMIUM_UNPAID = code("premium-unpaid")
PREMIUM_OVERDUE = code("premium-overdue")
TIME_BARRED = code("time-barred")
PREGNANCY_REASON = code("pregnancy-needs-item-12").reason()
PREGNANCY_OUTSIDE = code("pregnancy-established-outside-cover")
SPECIAL_EXCLUDED = code("special-condition-excluded")
SPECIAL_WAITING = code("special-condition-waiting")
WAITING = code("waiting-period")
DEADLINE = code("purchase-deadline")
INVOICE_EARLY = code("invoice-before-prescription")
NOT_IN_FORCE = code("package-not-in-force-on-day")


Window = tuple[dt.date, dt.date, dt.date, str]
WaitingCheck = tuple[int, str, str]  # (months, clause, title)
DeadlineCheck = tuple[int, Reason]  # (days, the reason given when they are exceeded)
# (waiting periods, exclusion reasons, purchase deadlines, the shortest deadline in days,
# whether the diagnosis is pregnancy-related)
RuleChecks = tuple[
    tuple[WaitingCheck, ...], tuple[Reason, ...], tuple[DeadlineCheck, ...], int, bool
]
NO_DEADLINE = 10**9
MEDICAL_INDICATION = "medical-indication"


def line_refusals(
    case: HealthCase,
    line: ClaimLine,
    info: ServiceInfo,
    plan: LinePlan | None,
    window: Window,
    index: ProductIndex,
    usage: Usage,
    diagnosis: str,
) -> tuple[Reason, ...]:
    """Every reason the line cannot be paid at all, in the order a member reads them: the
    contract and premium, the cover (002), then waiting periods (004 Чл.19), exclusions
    (004 Чл.21) and purchase deadlines. ``plan`` is None when the package is not covered.

    Each check starts with the test that passes for nearly every line, so a line that can be
    paid costs one cache lookup and a few comparisons."""
    checks = index.line_rules.get((info.code, diagnosis))
    if checks is None:
        checks = index.line_rules[(info.code, diagnosis)] = _rules_for(info, index, diagnosis)
    waiting, rules, deadlines, shortest, pregnancy = checks
    day = line.date
    if window[0] <= day <= window[1] and day >= window[2]:
        terms: Sequence[Reason] = ()
    else:
        terms = _term_refusals(case, line, window)
    if plan is None:
        cover: Sequence[Reason] = (_no_cover_reason(case, info, index, day),)
    elif plan.checks_person:
        cover = _person_refusals(case, plan, usage, pregnancy)
    else:
        cover = plan.refusals
    if waiting and not case.contract.renewal_of_previous:
        rules = _waiting(case, line, info, waiting, rules)
    if case.claim.pregnancy_established is not None and info.pregnancy_item:
        rules = _pregnancy_established(case, index, info, line.date, rules)
    special = case.insured.special
    if special is not None:
        rules = _special_conditions(case, line, info, diagnosis, special, rules)
    if line.wear_months is not None:
        rules = _aid_wear(case, line, rules)
    if case.claim.circumstances or line.circumstances:
        rules = _circumstance_exclusions(case, line, info, index, rules, diagnosis)
    prescribed = line.prescribed
    # Only an invoice date, a purchase before the prescription or one later than the row's
    # shortest deadline can give a reason.
    if line.invoice_date is not None or (
        prescribed is not None and (prescribed > day or (day - prescribed).days > shortest)
    ):
        late = _deadline_reasons(line, deadlines)
        if late:
            rules = (*rules, *late)
    if terms or cover or rules:
        return (*terms, *cover, *rules)
    return ()


def claim_window(case: HealthCase, index: ProductIndex) -> Window:
    """(first covered day, last covered day, first service day the claim is not time-barred
    for, the prescription clause) — the same for every line of a claim."""
    contract = case.contract
    start = contract.start
    first = case.insured.covered_from
    if first < start:
        first = start
    paid_from = cover_paid_from(contract)
    if paid_from is not None and paid_from > first:
        first = paid_from
    # 004 Чл.24 т.3: the insurance ends at 00:00 of the end date, and a termination at 00:00
    # of its date (Чл.27 т.2): the last covered day is the day before.
    last = contract.end - DAY
    terminated = contract.terminated_on
    if terminated is not None and terminated - DAY < last:
        last = terminated - DAY
    removed = case.insured.covered_until  # the person's last day, removed by annex
    if removed is not None and removed < last:
        last = removed
    paid_until = contract.paid_until
    if paid_until is not None and paid_until < start:
        last = NEVER  # not even the first instalment was paid (004 Чл.25 т.3)
    submitted = case.claim.submitted
    if index.prescription is None or submitted is None:
        return first, last, NEVER, TIME_BARRED.clause
    months, clause = index.prescription
    return first, last, first_not_barred(submitted, months), clause


@lru_cache(maxsize=4096)
def first_not_barred(submitted: dt.date, months: int) -> dt.date:
    """The earliest service day whose limitation period (``months``, ending on the
    corresponding day, ЗЗД чл.72) still runs on ``submitted``. Counting back from the
    submission alone would be a day off when the month has no corresponding day (a claim of
    29 Feb 2028 for a service of 28 Feb 2023)."""
    day = months_after(submitted, -months)
    while months_after(day, months) < submitted:
        day += DAY
    return day


def _term_refusals(case: HealthCase, line: ClaimLine, window: Window) -> list[Reason]:
    day = line.date
    contract = case.contract
    found: list[Reason] = []
    # A BGN invoice after the changeover is not a refusal: the claim waits for a correct
    # document (004 Чл.29 т.2; ``health.needs_euro_invoice``).
    if day < contract.start:
        found.append(BEFORE_CONTRACT.reason(detail=f"(starts {contract.start.isoformat()})"))
    elif day < case.insured.covered_from:
        found.append(BEFORE_COVER.reason(detail=f"(from {case.insured.covered_from.isoformat()})"))
    if day >= contract.end:
        found.append(AFTER_CONTRACT.reason(detail=f"(ends at 00:00 on {contract.end.isoformat()})"))
    if contract.terminated_on is not None and day >= contract.terminated_on:
        found.append(
            AFTER_TERMINATION.reason(detail=f"(at 00:00 on {contract.terminated_on.isoformat()})")
        )
    elif case.insured.covered_until is not None and day > case.insured.covered_until:
        # Removed by annex (004 Чл.27 т.2): covered to the end of its last day (Чл.29 т.9).
        found.append(
            AFTER_TERMINATION.reason(detail=f"(covered until {case.insured.covered_until})")
        )
    paid_until = contract.paid_until
    if paid_until is not None and paid_until < contract.start:
        found.append(PREMIUM_UNPAID.reason())
    else:
        paid_from = cover_paid_from(contract)
        if paid_from is not None and day < paid_from and day >= contract.start:
            found.append(PREMIUM_UNPAID.reason(detail=_paid_detail(contract)))
    if day < window[2]:
        found.append(TIME_BARRED.reason(window[3]))
    return found


def _person_refusals(
    case: HealthCase, plan: LinePlan, usage: Usage, pregnancy: bool
) -> Sequence[Reason]:
    """The plan's fixed refusals, then what depends on the person's usage, NHIF rights and
    diagnosis (002 VI бел.*, 002 III бел.*, 002 II бел.**)."""
    found = plan.refusals
    if plan.single_form_other is not None and usage.form_used(plan.package, plan.single_form_other):
        found += (plan.single_form_reason,)
    if plan.nhif_reasons and not case.insured.nhif_rights:
        found += plan.nhif_reasons
    if plan.pregnancy_check and pregnancy:
        found += (PREGNANCY_REASON,)
    return found


def _no_cover_reason(case: HealthCase, info: ServiceInfo, index: ProductIndex, day: dt.date):
    """004 Чл.21(1) т.33 for a package never in the person's cover; a package that is in it on
    other days but not on the day of the service (added later or taken off by annex, which
    acts from 00:00 of its date) cites the annex rule: 004 Чл.24 т.3, Чл.27 т.2."""
    if case.spans and covered_elsewhere(case, info.package_number):
        return NOT_IN_FORCE.reason(detail=f"(package {info.package_number} on {day.isoformat()})")
    return no_package_reason(info, index)


def _waiting(
    case: HealthCase,
    line: ClaimLine,
    info: ServiceInfo,
    waiting: tuple[WaitingCheck, ...],
    found: Sequence[Reason],
) -> Sequence[Reason]:
    """The first waiting period the line falls in comes before every other reason. It runs from
    the day the row came into the person's cover (004 Чл.19: "след влизане в сила на
    застрахователното покритие"; an option that adds the row by annex starts it again)."""
    covered_from = row_cover_start(case, info, line.date)
    for months, clause, title in waiting:
        ends = months_after(covered_from, months)
        # ЗЗД чл.72: the period ends on the corresponding day; cover starts the day after.
        if line.date <= ends:
            return (
                WAITING.reason(clause, f"{title}: covered from {(ends + DAY).isoformat()}"),
                *found,
            )
    return found


def _pregnancy_established(
    case: HealthCase, index: ProductIndex, info: ServiceInfo, day: dt.date, found: Sequence[Reason]
) -> Sequence[Reason]:
    """004 Чл.34 „Проследяване на бременност“: the pregnancy must be established during the
    contract, after the waiting period, unless the contract continues an earlier one under
    which it was registered."""
    if case.contract.renewal_of_previous:
        return found
    established = case.claim.pregnancy_established
    assert established is not None
    months = index.pregnancy_waiting_months
    first = row_cover_start(case, info, day)
    if months:
        first = months_after(first, months) + DAY
    if established < first:
        return (*found, PREGNANCY_OUTSIDE.reason(detail=f"(established {established.isoformat()})"))
    return found


def _special_conditions(
    case: HealthCase,
    line: ClaimLine,
    info: ServiceInfo,
    diagnosis: str,
    special: SpecialConditions,
    found: Sequence[Reason],
) -> Sequence[Reason]:
    """What an underwriter agreed for this person (004 Чл.10, Чл.20, Чл.21(2)): an excluded
    diagnosis or service refuses the line; an extra waiting period refuses it until it ends."""
    more = list(found)
    if any(icd10_matches(diagnosis, p) for p in special.excluded_icd10) or any(
        service_matches(info.code, p) for p in special.excluded_services
    ):
        more.append(SPECIAL_EXCLUDED.reason(detail=f"({diagnosis}, {info.code})"))
    for waiting in special.waiting:
        if any(icd10_matches(diagnosis, p) for p in waiting.icd10) or any(
            service_matches(info.code, p) for p in waiting.services
        ):
            # Agreed by annex: the extra period runs from the annex (004 Чл.27 т.1, Чл.20).
            start = row_cover_start(case, info, line.date)
            if special.since is not None and special.since > start:
                start = special.since
            ends = months_after(start, waiting.months)
            if line.date <= ends:
                more.append(
                    SPECIAL_WAITING.reason(detail=f"(covered from {(ends + DAY).isoformat()})")
                )
                break
    return more


def _aid_wear(case: HealthCase, line: ClaimLine, found: Sequence[Reason]) -> Sequence[Reason]:
    """004 Чл.29 т.2: a new aid of the same kind (the same row) after one the insurer paid for,
    only after the usual wear period — unless bought earlier for medical reasons (the
    circumstance ``medical-indication``)."""
    flags = case.claim.circumstances | line.circumstances
    paid = [h.date for h in case.history if h.service == line.service and h.paid > ZERO]
    if not paid or MEDICAL_INDICATION in flags:
        return found
    last = max(d for d in paid if d <= line.date) if any(d <= line.date for d in paid) else None
    if last is None:
        return found
    reason = aid_wear_reason(last, line.wear_months or 0, line.date, medical_reason=False)
    return (*found, reason) if reason is not None else found


def cover_paid_from(contract: ContractFacts) -> dt.date | None:
    """The first day the premium schedule lets the cover run (004 Чл.24 т.3, Чл.25 т.3): the
    start if the first instalment was paid by then, else the day after it was paid; None
    without a schedule. An unpaid first instalment gives ``dt.date.max``: never."""
    if not contract.instalments:
        return None
    paid = contract.instalments[0].paid
    if paid is None:
        return dt.date.max
    return contract.start if paid <= contract.start else paid + DAY


def _paid_detail(contract: ContractFacts) -> str:
    paid = contract.instalments[0].paid
    return f"(first instalment paid {paid.isoformat()})" if paid else "(first instalment unpaid)"


def premium_notices(contract: ContractFacts, on: dt.date) -> tuple[Reason, ...]:
    """004 Чл.25 т.5: an instalment more than 15 days overdue on ``on`` gives the insurer the
    right to terminate (with the procedure of КЗ чл.368). The engine flags it for a person to
    decide; cover continues until a termination is decided (``terminated_on``)."""
    limit = on - PREMIUM_GRACE  # due before this and still unpaid on ``on``: overdue
    for item in contract.instalments:
        if item.due < limit and (item.paid is None or item.paid > on):
            return (PREMIUM_OVERDUE.reason(detail=f"(due {item.due.isoformat()})"),)
    paid_until = contract.paid_until
    if (
        paid_until is not None
        and contract.start <= paid_until < contract.end - DAY
        and paid_until < limit
    ):
        return (PREMIUM_OVERDUE.reason(detail=f"(paid until {paid_until.isoformat()})"),)
    return ()


def unpaid_instalments(contract: ContractFacts, on: dt.date) -> Decimal:
    """004 Чл.25 т.6: on an insured event under an individual or family contract paid in
    instalments, every instalment not paid by ``on`` falls due; the claim is paid after it. An
    instalment paid since (its ``paid`` after ``on``) is no longer owed: deciding the claim again
    then releases it (billing does so when the last one is paid)."""
    if contract.type == "group":
        return ZERO
    return sum((i.amount for i in contract.instalments if i.paid is None), start=ZERO)


def _circumstance_exclusions(
    case: HealthCase,
    line: ClaimLine,
    info: ServiceInfo,
    index: ProductIndex,
    found: Sequence[Reason],
    diagnosis: str,
) -> Sequence[Reason]:
    """004 Чл.21 exclusions by how the condition arose, each reported once, after the
    exceptions printed inside an item: an exclusion lifted by a recorded circumstance (abortion
    on medical indication, т.5) is dropped, and one whose diagnosis is excepted (influenza
    during an epidemic, т.3) is not added."""
    flags = case.claim.circumstances | line.circumstances
    more = [
        r
        for r in found
        if not (index.lifted_by.get(r.code[len(EXCLUDED_PREFIX) :], frozenset()) & flags)
    ]
    seen = {r.code for r in more}
    for item in sorted(flags):
        for rule in index.circumstance_exclusions.get(item, ()):
            if rule.unless_icd10 and any(icd10_matches(diagnosis, p) for p in rule.unless_icd10):
                continue
            if not _names_kind(rule, info.category):
                continue
            if rule.code not in info.unless and EXCLUDED_PREFIX + rule.code not in seen:
                seen.add(EXCLUDED_PREFIX + rule.code)
                more.append(Reason(EXCLUDED_PREFIX + rule.code, rule.clause, rule.title.en))
    return more


def _rules_for(info: ServiceInfo, index: ProductIndex, diagnosis: str) -> RuleChecks:
    """What the row and the diagnosis decide, whoever claims: waiting periods, exclusion
    reasons, purchase deadlines, and whether the diagnosis is pregnancy-related."""
    exclusions_icd, waiting_icd, _types = index.by_diagnosis(diagnosis)
    excluded: dict[str, Reason] = {}
    for rule in info.static_exclusions + exclusions_icd:
        if rule.unless_icd10 and any(icd10_matches(diagnosis, p) for p in rule.unless_icd10):
            continue
        if not _names_kind(rule, info.category):
            continue
        if rule.code not in info.unless and rule.code not in excluded:
            excluded[rule.code] = Reason(EXCLUDED_PREFIX + rule.code, rule.clause, rule.title.en)
    waiting = tuple(
        (rule.months, rule.clause, rule.title.en) for rule in info.static_waiting + waiting_icd
    )
    deadlines = tuple(
        (rule.days, DEADLINE.reason(rule.clause, f"{rule.title.en} ({rule.days} days)"))
        for rule in info.deadlines
    )
    shortest = min((days for days, _reason in deadlines), default=NO_DEADLINE)
    pregnancy = index.pregnancy_related(diagnosis)
    return waiting, tuple(excluded.values()), deadlines, shortest, pregnancy


def _names_kind(rule: Exclusion, category: str) -> bool:
    """Whether the exclusion's item names this kind of service (``only_categories``)."""
    return not rule.only_categories or any(c.value == category for c in rule.only_categories)


def _deadline_reasons(line: ClaimLine, deadlines: tuple[DeadlineCheck, ...]) -> list[Reason]:
    found: list[Reason] = []
    prescribed = line.prescribed
    invoice = line.invoice_date
    # 004 Чл.29 т.2: the invoice may not precede the examination nor the prescription.
    if invoice is not None and invoice < line.date:
        found.append(
            INVOICE_EARLY.reason(detail=f"({invoice.isoformat()} < {line.date.isoformat()})")
        )
    elif prescribed is not None and (invoice or line.date) < prescribed:
        found.append(INVOICE_EARLY.reason(detail=f"(before {prescribed.isoformat()})"))
    if prescribed is not None:
        waited = (line.date - prescribed).days
        for days, reason in deadlines:
            if waited > days:
                found.append(reason)
                break
    return found


@lru_cache(maxsize=65536)
def months_after(day: dt.date, months: int) -> dt.date:
    return add_months(day, months)
