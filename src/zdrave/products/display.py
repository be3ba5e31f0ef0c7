"""How product terms read on a page: limit labels and the options table of a package. The
generic outline of any other terms (rules, abroad, member services) is ``products.outline``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zdrave.engine.money import format_eur, to_eur
from zdrave.engine.terms.common import Limit, LimitPeriod, LimitUnit
from zdrave.engine.terms.health import ClauseCode, OptionCode, Package, Service


def option_label(option: OptionCode | str) -> str:
    return {
        OptionCode.MINIMAL: _("Minimal"),
        OptionCode.BASIC: _("Basic"),
        OptionCode.FULL: _("Full"),
        OptionCode.LUXURY: _("Luxury"),
    }[OptionCode(option)]


def clause_label(clause: ClauseCode | str) -> str:
    """002 VII legend."""
    return {
        ClauseCode.A: _("A: subscription form only"),
        ClauseCode.B1: _("Б1: both forms, co-payment on reimbursement"),
        ClauseCode.B2: _("Б2: both forms, no co-payment"),
    }[ClauseCode(clause)]


def _period(period: LimitPeriod) -> str:
    return {
        LimitPeriod.YEAR: _("a year"),
        LimitPeriod.CONTRACT: _("for the term of the contract"),
        LimitPeriod.CLAIM: _("per claim"),
        LimitPeriod.LIFETIME: _("for life"),
        LimitPeriod.DISEASE_30_DAYS: _("per disease within 30 days"),
        LimitPeriod.FULL_DAY_OF_STAY: _("for every full 24 hours of stay"),
    }[period]


def limit_label(limit: Limit) -> str:
    """``76,69 € a year`` / ``3 days a year`` / ``1 pc. a year`` / ``50 km per claim``; money
    is shown in EUR whatever the seed printed (seeds README: 1 EUR = 1.95583 BGN)."""
    number = int(limit.value) if limit.unit is not LimitUnit.MONEY else 0
    if limit.unit is LimitUnit.MONEY:
        amount = format_eur(limit.eur)
    elif limit.unit is LimitUnit.COUNT:
        amount = ngettext("%(n)d pc.", "%(n)d pcs.", number) % {"n": number}
    elif limit.unit is LimitUnit.DAYS:
        amount = ngettext("%(n)d day", "%(n)d days", number) % {"n": number}
    else:
        amount = _("%(n)d km") % {"n": number}
    return f"{amount} {_period(limit.per)}"


def money_label(amount: Decimal, currency: str) -> str:
    return format_eur(to_eur(amount, currency))


# ---- the options table of a health package --------------------------------------------------


@dataclass(frozen=True)
class Cell:
    covered: bool
    text: str = ""  # the limit, or empty for a plain ✓
    clause: str = ""
    note: str = ""


@dataclass(frozen=True)
class Row:
    service: Service
    depth: int  # 0 for "2.8", 1 for "2.8.e" …: indents dash rows under their heading
    cells: list[Cell]
    name: str
    not_covered: str = ""


@dataclass(frozen=True)
class LimitRow:
    option: str
    subscription: str
    reimbursement: str


@dataclass
class PackageTable:
    package: Package
    name: str
    options: list[tuple[str, str]]  # (code, label) in the package's order
    rows: list[Row]
    yearly_limits: list[LimitRow]
    copays: list[tuple[str, str]]  # (clause legend, "20 %")
    notes: list[tuple[str, str, str]]  # (mark, text, clause)
    flags: list[tuple[str, str]] = field(default_factory=list)  # (rule, clause)


def option_cell(service: Service, option: OptionCode) -> Cell:
    cell = service.options.get(option)
    if cell is None:
        return Cell(covered=False)
    # An option's own limit wins; else 002 II's count column applies to every covered option.
    limit = cell.limit or service.count_limit
    if limit is not None:
        return Cell(True, limit_label(limit), limit.clause, cell.note or "")
    return Cell(True, "", service.clause, cell.note or "")


def package_table(package: Package, language: str) -> PackageTable:
    rows = [
        Row(
            service=s,
            depth=s.code.count(".") - 1,
            cells=[option_cell(s, option) for option in package.options],
            name=s.name.get(language),
            not_covered=s.not_covered_note.get(language) if s.not_covered_note else "",
        )
        for s in package.services
    ]
    yearly = []
    for option in package.options:
        limits = package.yearly_limits.get(option)
        if limits is None:
            continue
        yearly.append(
            LimitRow(
                option_label(option),
                money_label(limits.subscription, limits.currency) if limits.subscription else "—",
                money_label(limits.reimbursement, limits.currency) if limits.reimbursement else "—",
            )
        )
    copays = [
        (clause_label(c), f"{package.copay_percent.get(c, Decimal(0)).normalize():f} %")
        for c in package.clauses
    ]
    return PackageTable(
        package=package,
        name=package.name.get(language),
        options=[(o.value, option_label(o)) for o in package.options],
        rows=rows,
        yearly_limits=yearly,
        copays=copays,
        notes=[(n.mark, n.text.get(language), n.clause) for n in package.notes],
        flags=_package_flags(package),
    )


def _package_flags(package: Package) -> list[tuple[str, str]]:
    flags = []
    if package.requires_nhif_rights:
        flags.append(
            (
                _("Only for persons with health-insurance rights at НЗОК."),
                package.requires_nhif_rights_clause or package.clause,
            )
        )
    if package.single_form_per_contract:
        flags.append(
            (
                _("Used either only by subscription or only by reimbursement."),
                package.single_form_clause or package.clause,
            )
        )
    if package.mutually_exhausting_forms:
        flags.append(
            (
                _("Both forms use up one common limit."),
                package.mutually_exhausting_clause or package.clause,
            )
        )
    if package.limited_services_reimbursement_only and package.limited_services_clause:
        flags.append(
            (
                _("A service with a count or money limit is used only by reimbursement."),
                package.limited_services_clause,
            )
        )
        if ClauseCode.A in package.clauses:
            # Issue 15: the literal reading, said plainly so that nobody is surprised.
            flags.append(
                (
                    _(
                        "Clause A has no reimbursement form, so with clause A no service with a "
                        "count or money limit is covered at all."
                    ),
                    f"{package.limited_services_clause}; 002 VII т.1",
                )
            )
    return flags
