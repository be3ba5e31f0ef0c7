"""The quick group quote by head-count, without a census (issue 11): the employer says how many
employees and family members fall in each of the tariff's age bands and which packages they
all take; the premium is the tariff's, exactly as for a census (004 Чл.24 т.2 group-size band,
004 Чл.1 age band, 002 VII clause factor, 004 Чл.25 т.2 instalment loading). Nobody is named,
so no personal or health data is asked for and nothing is stored: the estimate lives in the
employer's session until the census replaces it (``views.quote``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zdrave.engine.money import cents
from zdrave.engine.tariff import PersonRequest, QuoteError, QuoteRequest
from zdrave.engine.tariff import price_quote as engine_price
from zdrave.engine.tariff.price import HUNDRED, split
from zdrave.engine.tariff.schema import AgeBand, Tariff
from zdrave.policy_admin.groupsales.actions import check_start, group_rules
from zdrave.policy_admin.sales import actions as sales
from zdrave.policy_admin.sales import tariff as tariffs

# A quick quote prices groups up to this size; a larger one is a matter for the insurer's
# sales desk (and its census). Also the bound of each count field, so "huge" is refused by name.
MAX_GROUP = 5000


@dataclass(frozen=True)
class BandLine:
    band: AgeBand
    employees: int
    family: int
    per_person: Decimal  # yearly, after the group discount

    @property
    def people(self) -> int:
        return self.employees + self.family

    @property
    def yearly(self) -> Decimal:
        return self.per_person * self.people


@dataclass(frozen=True)
class Estimate:
    lines: tuple[BandLine, ...]
    count: int
    group_discount_percent: Decimal
    yearly: Decimal
    instalment_count: int
    payable: Decimal
    instalments: tuple[Decimal, ...]
    declarations_needed: bool  # 004 Чл.23 т.1 / т.3
    waiver_over: int | None

    @property
    def per_person(self) -> Decimal:
        return cents(self.yearly / self.count)


def tariff_on(start: dt.date) -> Tariff:
    version = tariffs.product_for(start)
    return tariffs.tariff_for(version.product, version.effective_from, start)


def minimum_size(start: dt.date) -> int:
    """004 Чл.24 т.2: a group contract insures "десет и повече лица" (underwriting.yaml
    min_group_size)."""
    return group_rules(start)[1].min_group_size or 10


def _birth_for(band: AgeBand, start: dt.date) -> dt.date:
    """A birth date whose completed years at ``start`` are the band's first (004 Чл.1); every
    age in a band has the same factor, so one stands for all."""
    years = band.from_years
    try:
        return start.replace(year=start.year - years) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year - years, day=28) - dt.timedelta(days=1)


def estimate(
    *,
    start: dt.date,
    instalments: int,
    choices: list[dict],
    counts: dict[int, tuple[int, int]],
) -> Estimate:
    """The head-count premium. ``counts``: by age-band index, (employees, family members).
    ``choices``: the packages everyone takes ({package, option, clause}). Raises
    ``ValidationError`` naming the field."""
    check_start(start)
    version, kind = group_rules(start)
    tariff = tariff_on(start)
    if tariff.instalment_plan(instalments) is None:
        raise ValidationError(
            {
                "instalments": _("Instalments: choose one of %(counts)s a year (004 Чл.25 т.2).")
                % {"counts": ", ".join(str(p.count) for p in tariff.instalments)}
            }
        )
    for index, (employees, family) in counts.items():
        if employees < 0 or family < 0 or index >= len(tariff.age_bands):
            raise ValidationError(_("People: a count cannot be negative."))
    total = sum(e + f for e, f in counts.values())
    minimum = kind.min_group_size or 10
    if total < minimum:
        raise ValidationError(
            _(
                "Number of people: a group contract insures %(minimum)s or more people; you "
                "entered %(count)s (004 Чл.24 т.2)."
            )
            % {"minimum": minimum, "count": total}
        )
    if total > MAX_GROUP:
        raise ValidationError(
            _(
                "Number of people: the quick quote prices groups of up to %(max)s people; you "
                "entered %(count)s. Upload the census instead."
            )
            % {"max": MAX_GROUP, "count": total}
        )
    if not choices:
        raise ValidationError({"packages": _("Packages: choose at least one package.")})
    used = sorted(i for i, (e, f) in counts.items() if e + f)
    request = QuoteRequest(
        start=start,
        persons=tuple(
            PersonRequest(
                str(i),
                _birth_for(tariff.age_bands[i], start),
                tuple(tariffs.choice_of(c) for c in choices),
                Decimal(0),
            )
            for i in used
        ),
        instalments=instalments,
        group_size=total,  # the group-size band by the whole head-count (004 Чл.24 т.2)
    )
    try:
        priced = engine_price(tariff, request, tariffs.packages_of(version))
    except QuoteError as exc:
        raise ValidationError(
            {"packages": _("Packages: %(problem)s") % {"problem": sales.quote_message(exc) or exc}}
        ) from None
    lines = tuple(
        BandLine(
            band=tariff.age_bands[i],
            employees=counts[i][0],
            family=counts[i][1],
            per_person=priced.person(str(i)).yearly,
        )
        for i in used
    )
    # The same sums as the engine's price_quote over every person one by one: the yearly
    # premium, the instalment loading on it, the split with the odd cents first (004 Чл.25 т.2).
    yearly = sum((line.yearly for line in lines), start=Decimal(0))
    plan = tariff.instalment_plan(instalments)
    payable = cents(yearly * (HUNDRED + plan.loading_percent) / HUNDRED)
    waiver = kind.declaration_waiver
    waiver_over = waiver.group_size_over if waiver and waiver.legal_entity_holder else None
    return Estimate(
        lines=lines,
        count=total,
        group_discount_percent=priced.group_discount_percent,
        yearly=yearly,
        instalment_count=plan.count,
        payable=payable,
        instalments=split(payable, plan.count),
        declarations_needed=waiver_over is None or total <= waiver_over,
        waiver_over=waiver_over,
    )
