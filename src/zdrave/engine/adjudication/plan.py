"""What a claim line's decision needs from the terms, precomputed per (row, option, clause, form).

Everything here depends only on the product version, the service row, the person's option and
clause of its package and the claim's form — never on the person, the amounts or the dates — so
a batch derives it once and every later line of the same kind reads plain attributes instead of
re-walking the pydantic terms. The reasons a plan can give are built once too: their wording
depends on nothing else (a limit's row and value, a package's clause).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zdrave.engine.adjudication.facts import CoverFacts
from zdrave.engine.adjudication.index import ProductIndex, ServiceInfo
from zdrave.engine.adjudication.reasons import code
from zdrave.engine.decisions import Reason
from zdrave.engine.terms.common import LimitPeriod

REIMBURSEMENT = "reimbursement"
SUBSCRIPTION = "subscription"

NO_PACKAGE = code("package-not-in-contract")
NOT_IN_OPTION = code("service-not-in-option")
FORM_NOT_IN_CLAUSE = code("form-not-in-clause")
FORM_NOT_IN_OPTION = code("form-not-in-option")
LIMITED_REIMBURSEMENT_ONLY = code("limited-service-reimbursement-only")
CLAUSE_A_NO_LIMITED = code("clause-a-no-limited-services")
SINGLE_FORM = code("dental-single-form")
NO_NHIF = code("no-nhif-rights")
COUNT = code("count-limit")
SERVICE_MONEY = code("service-money-limit")
YEARLY = code("yearly-limit")
COPAY = code("copayment")

# (the service code whose usage counts, per insurance year (else the whole contract), the
# limit's value (a whole number, or euro for money), the reason given when it binds)
LimitCheck = tuple[str, bool, Any, Reason]


class LinePlan:
    """One row under one cover and form. ``refusals`` are the reasons that refuse every such
    line whatever the person has used; the rest is what pricing and usage need."""

    __slots__ = (
        "package",
        "reimbursing",
        "refusals",
        "single_form_other",
        "single_form_reason",
        "nhif_reasons",
        "pregnancy_check",
        "checks_person",
        "count_limits",
        "money_limits",
        "subscription",
        "subscription_reason",
        "reimbursement",
        "reimbursement_shared",
        "reimbursement_reason",
        "copay_rate",
        "copay_reason",
        "medicine_rule",
        "chain_codes",
        "exam_kind",
    )

    def __init__(self, info: ServiceInfo, cover: CoverFacts, form: str, index: ProductIndex):
        package = info.package
        option = cover.option
        self.package = package.number
        self.reimbursing = form == REIMBURSEMENT
        self.refusals = _refusals(info, cover, form, index)
        # 002 VI бел.*: a package used in one form only refuses the other form once used.
        self.single_form_other = None
        self.single_form_reason = None
        if package.single_form_per_contract:
            other = SUBSCRIPTION if form == REIMBURSEMENT else REIMBURSEMENT
            self.single_form_other = other
            self.single_form_reason = SINGLE_FORM.reason(
                package.single_form_clause, f"(already used: {other})"
            )
        # 002 III бел.*, and the same rule closing 004's list of exclusions (Чл.21(1) т.3).
        self.nhif_reasons = (
            (
                NO_NHIF.reason(package.requires_nhif_rights_clause),
                NO_NHIF.reason("004 Чл.21(1) т.3"),
            )
            if package.requires_nhif_rights
            else ()
        )
        # 002 II бел.**: only package 2 rows outside item 12, under an option without item 12.
        self.pregnancy_check = (
            package.number == 2
            and not info.pregnancy_item
            and option not in index.pregnancy_item_options
        )
        self.checks_person = bool(
            self.single_form_other or self.nhif_reasons or self.pregnancy_check
        )
        count_refs, money_refs = index.split_limits(info, option)
        self.count_limits = tuple(_count_check(ref) for ref in count_refs)
        self.money_limits = tuple(_money_check(ref) for ref in money_refs)
        self._yearly(info, option, index)
        self.copay_rate, self.copay_reason = _copay(info, cover) if self.reimbursing else (0, None)
        rule = index.version.rules.quantity_limit
        self.medicine_rule = rule if info.category == "medicine" else None
        self.chain_codes = info.chain_codes
        self.exam_kind = info.exam_kind

    def _yearly(self, info: ServiceInfo, option: str, index: ProductIndex) -> None:
        """002's "Годишен лимит" of the package per form; the reimbursement limit is a
        sub-limit of subscription (002 бел.***), except package 5's forms exhaust one limit."""
        package = info.package
        subscription, reimbursement, _printed = index.yearly(package, option)
        self.subscription = subscription
        self.subscription_reason = (
            YEARLY.reason(package.yearly_limits_clause, f"({subscription} EUR)")
            if subscription is not None
            else None
        )
        self.reimbursement = reimbursement if self.reimbursing else None
        self.reimbursement_shared = package.mutually_exhausting_forms
        clause = (
            package.mutually_exhausting_clause
            if package.mutually_exhausting_forms
            else package.yearly_limits_clause
        )
        self.reimbursement_reason = (
            YEARLY.reason(clause, f"({reimbursement} EUR)") if self.reimbursement else None
        )


def plan_for(index: ProductIndex, info: ServiceInfo, cover: CoverFacts, form: str) -> LinePlan:
    """The plan of ``info`` under ``cover`` in ``form``, built on first use."""
    key = (info.code, cover.option, cover.clause, form)
    found = index.plans.get(key)
    if found is None:
        found = index.plans[key] = LinePlan(info, cover, form, index)
    return found


def no_package_reason(info: ServiceInfo, index: ProductIndex) -> Reason:
    """004 Чл.21(1) т.33: the row's package is not in the person's cover."""
    number = info.package.number
    key = ("no-package", number)
    found = index.memo.get(key)
    if found is None:
        found = index.memo[key] = NO_PACKAGE.reason(detail=f"(package {number})")
    return found


def _refusals(
    info: ServiceInfo, cover: CoverFacts, form: str, index: ProductIndex
) -> tuple[Reason, ...]:
    """The row against the option (002 II.A), the clause's forms (002 VII т.1), the option's
    printed limits (002 II.Б) and 002 бел.*'s limited rows in reimbursement only."""
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
        # 002 бел.* read literally (issue 15): a limited row is used only by reimbursement, and
        # clause A has none (002 VII т.1), so clause A never covers a limited row. Said plainly.
        if cover.clause == "A":
            found.append(
                CLAUSE_A_NO_LIMITED.reason(
                    package.limited_services_clause, "(clause A: 002 VII т.1)"
                )
            )
        else:
            found.append(LIMITED_REIMBURSEMENT_ONLY.reason(package.limited_services_clause))
    return tuple(found)


def _count_check(ref: Any) -> LimitCheck:
    limit = ref.limit
    reason = COUNT.reason(limit.clause, f"({ref.holder}: {limit.value} {limit.unit.value})")
    return (ref.holder, limit.per is LimitPeriod.YEAR, int(limit.value), reason)


def _money_check(ref: Any) -> LimitCheck:
    reason = SERVICE_MONEY.reason(ref.limit.clause, f"({ref.holder}: {ref.eur} EUR)")
    return (ref.holder, ref.limit.per is LimitPeriod.YEAR, ref.eur, reason)


def _copay(info: ServiceInfo, cover: CoverFacts) -> tuple[Decimal, Reason]:
    """The package's co-payment rate for the clause and its reason (002 VII)."""
    package = info.package
    rate = package.copay_rate(cover.clause)  # type: ignore[arg-type]
    percent = package.copay_percent.get(cover.clause)  # type: ignore[call-overload]
    return rate, COPAY.reason(package.copay_clause, f"({percent} %)")
