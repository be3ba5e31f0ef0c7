"""Whether a claim line can be paid at all: contract and cover in force, the service in the
person's package, option, clause and form, waiting periods, exclusions and purchase deadlines.

Each check returns the reasons it refuses the line for; every applicable reason is reported (not
only the first), so a member sees all that stands in the way.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from zdrave.engine.adjudication.facts import ClaimLine, CoverFacts, HealthCase
from zdrave.engine.adjudication.index import ProductIndex, ServiceInfo
from zdrave.engine.adjudication.reasons import EXCLUDED_PREFIX, code
from zdrave.engine.adjudication.usage import Usage
from zdrave.engine.calendar import add_months
from zdrave.engine.decisions import Reason
from zdrave.engine.money import EURO_ADOPTION

# 004 Чл.25 т.5: the insurer may act once an instalment is more than 15 days overdue.
PREMIUM_GRACE = dt.timedelta(days=15)
REIMBURSEMENT = "reimbursement"
SUBSCRIPTION = "subscription"

BGN_AFTER_EURO = code("bgn-after-euro")
BEFORE_CONTRACT = code("before-contract-start")
AFTER_CONTRACT = code("after-contract-end")
BEFORE_COVER = code("before-cover-start")
AFTER_TERMINATION = code("after-termination")
PREMIUM_UNPAID = code("premium-unpaid")
PREMIUM_OVERDUE = code("premium-overdue")
TIME_BARRED = code("time-barred")
NO_PACKAGE = code("package-not-in-contract")
NOT_IN_OPTION = code("service-not-in-option")
FORM_NOT_IN_CLAUSE = code("form-not-in-clause")
FORM_NOT_IN_OPTION = code("form-not-in-option")
LIMITED_REIMBURSEMENT_ONLY = code("limited-service-reimbursement-only")
SINGLE_FORM = code("dental-single-form")
NO_NHIF = code("no-nhif-rights")
PREGNANCY_ITEM_12 = code("pregnancy-needs-item-12")
WAITING = code("waiting-period")
DEADLINE = code("purchase-deadline")
INVOICE_EARLY = code("invoice-before-prescription")


Window = tuple[dt.date, dt.date, dt.date, str]


def term_reasons(case: HealthCase, line: ClaimLine, window: Window) -> list[Reason]:
    """The contract, the person's cover and the premium on the date of service."""
    day = line.date
    # The common case first: a euro line inside every date window.
    if window[0] <= day <= window[1] and day >= window[2] and line.currency == "EUR":
        return []
    return _term_refusals(case, line, window)


def claim_window(case: HealthCase, index: ProductIndex) -> Window:
    """(first covered day, last covered day, first service day the claim is not time-barred
    for, the prescription clause) — the same for every line of a claim."""
    contract = case.contract
    first = max(contract.start, case.insured.covered_from)
    last = contract.end
    if contract.terminated_on is not None:
        last = min(last, contract.terminated_on)
    paid_until = contract.paid_until
    if paid_until is not None:
        # Nothing is covered if not even the first instalment was paid (004 Чл.25 т.3).
        unpaid = paid_until < contract.start
        last = dt.date.min if unpaid else min(last, paid_until + PREMIUM_GRACE)
    barred, clause = dt.date.min, TIME_BARRED.clause
    handling = index.version.rules.claim_handling
    submitted = case.claim.submitted
    if handling is not None and submitted is not None:
        barred = months_after(submitted, -12 * handling.prescription_years)
        clause = handling.prescription_clause
    return first, last, barred, clause


def _term_refusals(case: HealthCase, line: ClaimLine, window: Window) -> list[Reason]:
    day = line.date
    contract = case.contract
    found: list[Reason] = []
    if line.currency == "BGN" and (line.invoice_date or day) >= EURO_ADOPTION:
        found.append(BGN_AFTER_EURO.reason())
    if day < contract.start:
        found.append(BEFORE_CONTRACT.reason(detail=f"(starts {contract.start.isoformat()})"))
    elif day < case.insured.covered_from:
        found.append(BEFORE_COVER.reason(detail=f"(from {case.insured.covered_from.isoformat()})"))
    if day > contract.end:
        found.append(AFTER_CONTRACT.reason(detail=f"(ended {contract.end.isoformat()})"))
    if contract.terminated_on is not None and day > contract.terminated_on:
        found.append(AFTER_TERMINATION.reason(detail=f"(on {contract.terminated_on.isoformat()})"))
    paid_until = contract.paid_until
    if paid_until is not None:
        if paid_until < contract.start:
            found.append(PREMIUM_UNPAID.reason())
        elif day > paid_until + PREMIUM_GRACE:
            found.append(PREMIUM_OVERDUE.reason(detail=f"(paid until {paid_until.isoformat()})"))
    if day < window[2]:
        found.append(TIME_BARRED.reason(window[3]))
    return found


def cover_reasons(
    case: HealthCase,
    info: ServiceInfo,
    cover: CoverFacts | None,
    index: ProductIndex,
    usage: Usage,
    diagnosis: str,
) -> list[Reason]:
    """The service against the person's package, option, clause and form (002)."""
    package = info.package
    if cover is None:
        return [NO_PACKAGE.reason(detail=f"(package {package.number})")]
    form = case.claim.form
    key = ("cover", info.code, cover.option, cover.clause, form)
    static = index.memo.get(key)
    if static is None:
        static = index.memo[key] = tuple(_static_cover_reasons(info, cover, form, index))
    found = list(static)
    if package.single_form_per_contract:
        other = SUBSCRIPTION if form == REIMBURSEMENT else REIMBURSEMENT
        if usage.form_used(package.number, other):
            found.append(SINGLE_FORM.reason(package.single_form_clause, f"(already used: {other})"))
    if package.requires_nhif_rights and not case.insured.nhif_rights:
        found.append(NO_NHIF.reason(package.requires_nhif_rights_clause))
        # The same rule closes 004's list of exclusions (Чл.21(1), last run, т.3).
        found.append(NO_NHIF.reason("004 Чл.21(1) т.3"))
    if (
        package.number == 2
        and not info.pregnancy_item
        and cover.option not in index.pregnancy_item_options
        and index.pregnancy_related(diagnosis)
    ):
        found.append(PREGNANCY_ITEM_12.reason())
    return found


def _static_cover_reasons(
    info: ServiceInfo, cover: CoverFacts, form: str, index: ProductIndex
) -> list[Reason]:
    """What depends only on the row, the cover and the form (cached per product version)."""
    package = info.package
    found: list[Reason] = []
    if cover.option not in info.service.options:
        found.append(
            NOT_IN_OPTION.reason(info.service.clause, f"({info.code}, option {cover.option})")
        )
    if form == REIMBURSEMENT:
        if cover.clause == "A":
            found.append(FORM_NOT_IN_CLAUSE.reason())
        else:
            _sub, reimbursement, printed = index.yearly(package, cover.option)
            if printed and reimbursement is None:
                found.append(FORM_NOT_IN_OPTION.reason(package.yearly_limits_clause))
    elif package.limited_services_reimbursement_only and index.limits(info, cover.option):
        found.append(LIMITED_REIMBURSEMENT_ONLY.reason(package.limited_services_clause))
    return found


def rule_reasons(
    case: HealthCase, line: ClaimLine, info: ServiceInfo, index: ProductIndex, diagnosis: str
) -> list[Reason]:
    """Waiting periods (004 Чл.19), exclusions (004 Чл.21) and purchase deadlines."""
    key = ("rules", info.code, diagnosis)
    cached = index.memo.get(key)
    if cached is None:
        cached = index.memo[key] = _rules_for(info, index, diagnosis)
    waiting, excluded = cached
    found = list(excluded)
    if waiting and not case.contract.renewal_of_previous:
        covered_from = case.insured.covered_from
        for rule in waiting:
            ends = months_after(covered_from, rule.months)
            if line.date < ends:
                detail = f"{rule.title.en}: until {ends.isoformat()}"
                found.insert(0, WAITING.reason(rule.clause, detail))
                break
    circumstances = case.claim.circumstances | line.circumstances
    if circumstances:
        seen = {r.code for r in found}
        for item in sorted(circumstances):
            for rule in index.circumstance_exclusions.get(item, ()):
                if rule.code not in info.unless and EXCLUDED_PREFIX + rule.code not in seen:
                    seen.add(EXCLUDED_PREFIX + rule.code)
                    found.append(Reason(EXCLUDED_PREFIX + rule.code, rule.clause, rule.title.en))
    if line.prescribed is not None or line.invoice_date is not None:
        found.extend(_deadline_reasons(line, info))
    return found


def _rules_for(info: ServiceInfo, index: ProductIndex, diagnosis: str) -> tuple[tuple, tuple]:
    """Waiting periods and exclusion reasons for a row and a diagnosis (cached)."""
    exclusions_icd, waiting_icd, _types = index.by_diagnosis(diagnosis)
    excluded: dict[str, Reason] = {}
    for rule in info.static_exclusions + exclusions_icd:
        if rule.code not in info.unless and rule.code not in excluded:
            excluded[rule.code] = Reason(EXCLUDED_PREFIX + rule.code, rule.clause, rule.title.en)
    return info.static_waiting + waiting_icd, tuple(excluded.values())


def _deadline_reasons(line: ClaimLine, info: ServiceInfo) -> list[Reason]:
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
        for rule in info.deadlines:
            if (line.date - prescribed).days > rule.days:
                found.append(DEADLINE.reason(rule.clause, f"{rule.title.en} ({rule.days} days)"))
                break
    return found


@lru_cache(maxsize=65536)
def months_after(day: dt.date, months: int) -> dt.date:
    return add_months(day, months)
