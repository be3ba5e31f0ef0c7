"""A per-product-version index that adjudication reads on every line.

Built once per ``ProductVersion`` (``index_for``): service code → package, row, the rules that
apply to the row whatever the diagnosis (exclusions and waiting periods by service or category,
purchase deadlines, claim types), the chain of rows whose limits the row uses, and caches of the
rules a diagnosis triggers. Nothing here changes after it is built, so one index serves every
claim of a batch.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zdrave.engine.money import to_eur
from zdrave.engine.scenario import ScenarioError
from zdrave.engine.terms.common import Limit, LimitUnit, icd10_matches
from zdrave.engine.terms.health import Package, Service
from zdrave.engine.terms.product import ProductVersion
from zdrave.engine.terms.rules import ClaimType, Exclusion, Match, service_matches

# 002 II.1 "Преглед при необходимост" are primary examinations, 002 II.2 "Вторичен преглед"
# secondary ones: 004 Чл.13 allows one primary and up to two secondary per disease in 30 days.
PRIMARY_EXAM_PREFIX = "2.1."
SECONDARY_EXAM_PREFIX = "2.2."
# 002 II бел.**: pregnancy exams are covered only by an option containing item 12.
PREGNANCY_ITEM = "2.12"
PREGNANCY_ICD10 = ("O00-O99", "Z32-Z36")
ICD10_CATEGORY_RE = re.compile(r"^[A-Z][0-9]{2}$")
# Every three-character category A00 … Z99, in the order icd10_matches compares codes.
ALL_CATEGORIES = [f"{letter}{n:02d}" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for n in range(100)]


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    code: str
    package: Package
    package_number: int
    service: Service
    category: str
    # The row itself and every ancestor row that carries a limit: usage is recorded against
    # each, so a group limit (002 II.12's 300 лв for all of item 12) sees its children.
    chain: tuple[Service, ...]
    chain_codes: tuple[str, ...]
    static_exclusions: tuple[Exclusion, ...]
    unless: frozenset[str]  # exclusion codes that yield to this row (rules.unless_services)
    static_waiting: tuple[Any, ...]
    deadlines: tuple[Any, ...]
    claim_types_by_service: tuple[ClaimType, ...]
    claim_types_by_category: tuple[ClaimType, ...]
    exam_kind: str | None  # "primary" | "secondary" | None
    pregnancy_item: bool


@dataclass(frozen=True, slots=True)
class LimitRef:
    holder: str  # the service code whose usage the limit counts
    limit: Limit
    eur: Decimal | None  # money limits in euro


@dataclass(slots=True)
class ProductIndex:
    version: ProductVersion
    services: dict[str, ServiceInfo]
    headings: frozenset[str]
    packages: dict[int, Package]
    document_keys: frozenset[str]
    document_forms: frozenset[str]  # the forms some claim type of the annex applies to
    icd_exclusions: tuple[Exclusion, ...]
    icd_waiting: tuple[Any, ...]
    icd_claim_types: tuple[ClaimType, ...]
    circumstance_exclusions: dict[str, tuple[Exclusion, ...]]
    # Exclusion code → circumstances that lift it (004 Чл.21(1) т.5: abortion on medical
    # indication); only consulted when a claim records circumstances.
    lifted_by: dict[str, frozenset[str]]
    pregnancy_item_options: frozenset[str]  # options of package 2 that contain item 12
    # ICD-10 category (``L70``) → the exclusions, waiting periods and claim types whose codes
    # can match a diagnosis in it, in rule order: a new diagnosis is tested against a handful
    # of candidates instead of every rule.
    icd_by_category: dict[str, tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]]
    # (months the claim stays claimable after the service, clause) of the claim handling rules.
    prescription: tuple[int, str] | None
    # Months of the waiting period of „Проследяване на бременност“ (004 Чл.19(1)), which the
    # pregnancy must be established after (004 Чл.34).
    pregnancy_waiting_months: int = 0
    # Caches of derived facts keyed by what they depend on (row, cover, diagnosis …).
    memo: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    # (service code, diagnosis) → the row's waiting periods, exclusion reasons and purchase
    # deadlines (``eligibility.line_refusals``).
    line_rules: dict[tuple[str, str], Any] = field(default_factory=dict)
    # (service code, diagnosis, form, bought in an e-shop) → the documents a line needs
    # (``documents.Needs``).
    documents: dict[tuple[str, str, str, bool], Any] = field(default_factory=dict)
    # (service code, option, clause, form) → ``plan.LinePlan``.
    plans: dict[tuple[str, str, str, str], Any] = field(default_factory=dict)
    _diagnosis_cache: dict[
        str, tuple[tuple[Exclusion, ...], tuple[Any, ...], tuple[ClaimType, ...]]
    ] = field(default_factory=dict)
    _limit_cache: dict[tuple[str, str], tuple[LimitRef, ...]] = field(default_factory=dict)
    _yearly_cache: dict[tuple[int, str], tuple[Decimal | None, Decimal | None, bool]] = field(
        default_factory=dict
    )

    def require_service(self, code: str, path: str) -> ServiceInfo:
        info = self.services.get(code)
        if info is not None:
            return info
        if code in self.headings:
            raise ScenarioError(path, f"{code!r} is a heading of 002; claim one of its items")
        raise ScenarioError(path, f"unknown service code {code!r} in {self.version.key}")

    def by_diagnosis(
        self, diagnosis: str
    ) -> tuple[tuple[Exclusion, ...], tuple[Any, ...], tuple[ClaimType, ...]]:
        """Exclusions, waiting periods and claim types that the ICD-10 code triggers (cached)."""
        hit = self._diagnosis_cache.get(diagnosis)
        if hit is None:
            exclusions, waiting, claim_types = self._icd_candidates(diagnosis)
            hit = (
                tuple(r for r in exclusions if _icd_hit(diagnosis, r.match)),
                tuple(r for r in waiting if _icd_hit(diagnosis, r.match)),
                tuple(r for r in claim_types if _icd_hit(diagnosis, r.match)),
            )
            self._diagnosis_cache[diagnosis] = hit
        return hit

    def _icd_candidates(
        self, diagnosis: str
    ) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
        category = diagnosis.strip().upper()[:3]
        if not ICD10_CATEGORY_RE.match(category):
            # Not a code the parser would accept: test every rule, as icd10_matches would.
            return self.icd_exclusions, self.icd_waiting, self.icd_claim_types
        return self.icd_by_category.get(category, ((), (), ()))

    def pregnancy_related(self, diagnosis: str) -> bool:
        key = ("pregnancy", diagnosis)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = is_pregnancy_diagnosis(diagnosis)
        return found

    def limits(self, info: ServiceInfo, option: str) -> tuple[LimitRef, ...]:
        """Every count/money/day/km limit the row uses under ``option``: the count column
        (002 II "брой"), the option's own cell, and the same for limited ancestor rows."""
        key = (info.code, option)
        refs = self._limit_cache.get(key)
        if refs is None:
            found: list[LimitRef] = []
            for row in info.chain:
                cell = row.options.get(option)  # type: ignore[call-overload]
                for limit in (row.count_limit, cell.limit if cell else None):
                    if limit is not None:
                        eur = limit.eur if limit.unit is LimitUnit.MONEY else None
                        found.append(LimitRef(row.code, limit, eur))
            refs = self._limit_cache[key] = tuple(found)
        return refs

    def split_limits(
        self, info: ServiceInfo, option: str
    ) -> tuple[tuple[LimitRef, ...], tuple[LimitRef, ...]]:
        """``limits`` split into (count, day and km limits; money limits)."""
        key = ("split", info.code, option)
        found = self.memo.get(key)
        if found is None:
            refs = self.limits(info, option)
            found = self.memo[key] = (
                tuple(r for r in refs if r.eur is None),
                tuple(r for r in refs if r.eur is not None),
            )
        return found

    def yearly(self, package: Package, option: str) -> tuple[Decimal | None, Decimal | None, bool]:
        """(subscription limit, reimbursement limit, whether the option prints one at all)
        in euro, for 002's "Годишен лимит" table of the package."""
        key = (package.number, option)
        hit = self._yearly_cache.get(key)
        if hit is None:
            limits = package.yearly_limits.get(option)  # type: ignore[call-overload]
            if limits is None:
                hit = (None, None, False)
            else:
                sub = to_eur(limits.subscription, limits.currency) if limits.subscription else None
                reimb = (
                    to_eur(limits.reimbursement, limits.currency) if limits.reimbursement else None
                )
                hit = (sub, reimb, True)
            self._yearly_cache[key] = hit
        return hit


def icd_categories(pattern: str) -> list[str]:
    """The three-character ICD-10 categories a pattern of ``icd10_matches`` can match: a code
    (and its subcodes) lies in its own category, a range ``A-B`` in the categories from A's to
    B's. Patterns shorter than a category are read as every category, to stay a superset."""
    start, _, end = pattern.partition("-") if "-" in pattern else (pattern, "", pattern)
    if len(start) < 3 or len(end) < 3:
        return ALL_CATEGORIES
    low = bisect_left(ALL_CATEGORIES, start[:3])
    high = bisect_right(ALL_CATEGORIES, end[:3])
    return ALL_CATEGORIES[low:high]


def _by_category(rules: tuple[Any, ...]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for rule in rules:
        categories = {c for p in rule.match.icd10 for c in icd_categories(p)}
        for category in categories:
            found.setdefault(category, []).append(rule)
    return found


def _icd_index(
    exclusions: tuple[Any, ...], waiting: tuple[Any, ...], claim_types: tuple[Any, ...]
) -> dict[str, tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]]:
    by_exclusion, by_waiting, by_type = (
        _by_category(rules) for rules in (exclusions, waiting, claim_types)
    )
    return {
        c: (tuple(by_exclusion.get(c, ())), tuple(by_waiting.get(c, ())), tuple(by_type.get(c, ())))
        for c in {*by_exclusion, *by_waiting, *by_type}
    }


def is_pregnancy_diagnosis(diagnosis: str) -> bool:
    return any(icd10_matches(diagnosis, p) for p in PREGNANCY_ICD10)


_INDEXES: dict[int, ProductIndex] = {}


def index_for(version: ProductVersion) -> ProductIndex:
    """The index of ``version``, built on first use and kept for the process."""
    found = _INDEXES.get(id(version))
    if found is None or found.version is not version:
        found = _INDEXES[id(version)] = build_index(version)
    return found


def build_index(version: ProductVersion) -> ProductIndex:
    rules = version.rules
    services: dict[str, ServiceInfo] = {}
    headings: set[str] = set()
    for package in version.packages:
        by_code = {s.code: s for s in package.services}
        for service in package.services:
            if service.heading:
                headings.add(service.code)
                continue
            services[service.code] = _service_info(package, service, by_code, rules)
    circumstance: dict[str, list[Exclusion]] = {}
    for rule in rules.exclusions:
        for item in rule.match.circumstances:
            circumstance.setdefault(item.value, []).append(rule)
    icd_exclusions = tuple(r for r in rules.exclusions if r.match.icd10)
    icd_waiting = tuple(r for r in rules.waiting_periods if r.match.icd10)
    icd_claim_types = tuple(r for r in rules.claim_types if r.match.icd10)
    handling = rules.claim_handling
    return ProductIndex(
        version=version,
        services=services,
        headings=frozenset(headings),
        packages={p.number: p for p in version.packages},
        document_keys=frozenset(d.key for d in rules.documents),
        document_forms=frozenset(form for t in rules.claim_types for form in t.forms),
        icd_exclusions=icd_exclusions,
        icd_waiting=icd_waiting,
        icd_claim_types=icd_claim_types,
        circumstance_exclusions={k: tuple(v) for k, v in circumstance.items()},
        lifted_by={
            r.code: frozenset(c.value for c in r.unless_circumstances)
            for r in rules.exclusions
            if r.unless_circumstances
        },
        pregnancy_item_options=_item_12_options(version),
        icd_by_category=_icd_index(icd_exclusions, icd_waiting, icd_claim_types),
        prescription=(
            (12 * handling.prescription_years, handling.prescription_clause)
            if handling is not None
            else None
        ),
        pregnancy_waiting_months=max(
            (
                w.months
                for w in rules.waiting_periods
                if any(service_matches(PREGNANCY_ITEM, p) for p in w.match.services)
            ),
            default=0,
        ),
    )


def _item_12_options(version: ProductVersion) -> frozenset[str]:
    found = version.find_service(PREGNANCY_ITEM)
    return frozenset(o.value for o in found[1].options) if found else frozenset()


def _service_info(
    package: Package, service: Service, by_code: dict[str, Service], rules: Any
) -> ServiceInfo:
    code = service.code
    category = service.category.value if service.category else ""
    chain = [service] + [
        row for row in _ancestors(code, by_code) if not row.heading and row.limited
    ]
    unless = frozenset(
        r.code for r in rules.exclusions if any(service_matches(code, p) for p in r.unless_services)
    )
    return ServiceInfo(
        code=code,
        package=package,
        package_number=package.number,
        service=service,
        category=category,
        chain=tuple(chain),
        # Only rows with a limit of their own are ever read back from usage.
        chain_codes=tuple(row.code for row in chain if row.limited),
        static_exclusions=tuple(
            r
            for r in rules.exclusions
            if r.code not in unless
            and _static_hit(code, category, r.match)
            and (not r.only_categories or category in {c.value for c in r.only_categories})
        ),
        unless=unless,
        static_waiting=tuple(
            r for r in rules.waiting_periods if _static_hit(code, category, r.match)
        ),
        deadlines=tuple(
            r for r in rules.purchase_deadlines if _static_hit(code, category, r.match)
        ),
        claim_types_by_service=tuple(
            r for r in rules.claim_types if any(service_matches(code, p) for p in r.match.services)
        ),
        claim_types_by_category=tuple(
            r for r in rules.claim_types if category in {c.value for c in r.match.categories}
        ),
        exam_kind=(
            "primary"
            if code.startswith(PRIMARY_EXAM_PREFIX)
            else "secondary"
            if code.startswith(SECONDARY_EXAM_PREFIX)
            else None
        ),
        pregnancy_item=code == PREGNANCY_ITEM or code.startswith(PREGNANCY_ITEM + "."),
    )


def _ancestors(code: str, by_code: dict[str, Service]) -> list[Service]:
    found = []
    parts = code.split(".")
    for cut in range(len(parts) - 1, 1, -1):
        parent = by_code.get(".".join(parts[:cut]))
        if parent is not None:
            found.append(parent)
    return found


def _static_hit(code: str, category: str, match: Match) -> bool:
    return any(service_matches(code, p) for p in match.services) or category in {
        c.value for c in match.categories
    }


def _icd_hit(diagnosis: str, match: Match) -> bool:
    return any(icd10_matches(diagnosis, p) for p in match.icd10)
