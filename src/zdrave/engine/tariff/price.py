"""The premium of a quote: pure, a tariff and a request in, prices out.

Per person and chosen package: the yearly premium of the package's option × the clause factor
(002 VII: A, Б1, Б2) × the factor of the person's age band (completed years at the start,
004 Чл.1), rounded to the cent. A person's premium is the sum of their packages, less the group
discount, plus any loading the underwriter agreed on special conditions (004 Чл.10). The
contract's yearly premium is the sum over its persons; paying in instalments adds the plan's
loading and splits the result into equal instalments, the first taking the odd cents (004
Чл.25 т.2, т.4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from zdrave.engine.calendar import add_months, age_in_years
from zdrave.engine.money import ZERO, cents
from zdrave.engine.tariff.schema import Tariff
from zdrave.engine.terms.health import ClauseCode, OptionCode, Package

HUNDRED = Decimal(100)


class QuoteError(ValueError):
    """A request the tariff cannot price: ``field`` names what to change, ``code`` the rule and
    ``clause`` where it comes from."""

    def __init__(self, field: str, code: str, clause: str, message: str):
        self.field, self.code, self.clause = field, code, clause
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Choice:
    package: int
    option: OptionCode
    clause: ClauseCode


@dataclass(frozen=True, slots=True)
class PersonRequest:
    id: str
    birth_date: dt.date
    choices: tuple[Choice, ...]
    loading_percent: Decimal = ZERO  # agreed on special conditions (004 Чл.10)


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    start: dt.date
    persons: tuple[PersonRequest, ...]
    instalments: int = 1
    group_size: int | None = None  # a group contract's size; None for individual and family


@dataclass(frozen=True, slots=True)
class Line:
    choice: Choice
    base: Decimal
    clause_factor: Decimal
    age_factor: Decimal
    yearly: Decimal


@dataclass(frozen=True, slots=True)
class PersonPrice:
    id: str
    age: int
    lines: tuple[Line, ...]
    subtotal: Decimal
    discount: Decimal
    loading: Decimal
    yearly: Decimal


@dataclass(frozen=True, slots=True)
class QuotePrice:
    persons: tuple[PersonPrice, ...]
    yearly: Decimal  # the sum of the persons' yearly premiums, paid at once
    instalment_count: int
    instalment_loading_percent: Decimal
    payable: Decimal  # the yearly premium with the instalment loading
    instalments: tuple[Decimal, ...]  # what each instalment is, the first with the odd cents
    group_discount_percent: Decimal

    def person(self, ident: str) -> PersonPrice:
        for person in self.persons:
            if person.id == ident:
                return person
        raise KeyError(ident)


def price_quote(
    tariff: Tariff, request: QuoteRequest, packages: dict[int, Package] | None = None
) -> QuotePrice:
    """Price ``request``. With ``packages`` (the product version's, by number) each choice is
    also checked against what the package offers (002: package 1 only in clause A, package 3
    not in the Minimal option)."""
    if not request.persons:
        raise QuoteError("persons", "no-persons", tariff.clause, "Add at least one person.")
    plan = tariff.instalment_plan(request.instalments)
    if plan is None:
        offered = ", ".join(str(p.count) for p in tariff.instalments)
        raise QuoteError(
            "instalments",
            "instalments-not-offered",
            tariff.instalments_clause,
            f"{request.instalments} instalments a year are not offered; choose {offered}.",
        )
    discount_percent = tariff.group_discount(request.group_size)
    persons = tuple(
        _person(tariff, request.start, person, discount_percent, packages or {})
        for person in request.persons
    )
    yearly = sum((p.yearly for p in persons), start=ZERO)
    payable = cents(yearly * (HUNDRED + plan.loading_percent) / HUNDRED)
    return QuotePrice(
        persons=persons,
        yearly=yearly,
        instalment_count=plan.count,
        instalment_loading_percent=plan.loading_percent,
        payable=payable,
        instalments=split(payable, plan.count),
        group_discount_percent=discount_percent,
    )


def split(total: Decimal, count: int) -> tuple[Decimal, ...]:
    """``count`` instalments adding up to ``total`` exactly: equal, the first with the odd
    cents (it is paid when the contract is concluded, 004 Чл.25 т.2)."""
    each = (total / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    first = total - each * (count - 1)
    return (first,) + (each,) * (count - 1)


def due_dates(start: dt.date, count: int) -> tuple[dt.date, ...]:
    """The due dates of ``count`` instalments over a one-year term: the first on the start (004
    Чл.25 т.2: paid when the contract is concluded), the rest every 12/count months on the
    corresponding day."""
    step = 12 // count
    return tuple(add_months(start, step * i) for i in range(count))


def one_year_end(start: dt.date) -> dt.date:
    """The last covered day of a one-year term (the insurance period is one year, 004 Чл.24
    т.3): the day before the anniversary; the contract expires at 00:00 of the anniversary."""
    return add_months(start, 12) - dt.timedelta(days=1)


def cover_begins(start: dt.date, first_paid_on: dt.date | None) -> dt.date | None:
    """The first day of cover (004 Чл.24 т.3, Чл.25 т.3): 00:00 of the start when the first
    premium or instalment was paid by then, else the day after the payment; None while it is
    unpaid (the contract does not come into force)."""
    if first_paid_on is None:
        return None
    return start if first_paid_on <= start else first_paid_on + dt.timedelta(days=1)


def _person(
    tariff: Tariff,
    start: dt.date,
    person: PersonRequest,
    discount_percent: Decimal,
    packages: dict[int, Package],
) -> PersonPrice:
    here = f"persons.{person.id}"
    if not person.choices:
        raise QuoteError(
            f"{here}.choices", "no-cover", tariff.clause, "Choose at least one package."
        )
    numbers = [c.package for c in person.choices]
    if len(set(numbers)) != len(numbers):
        raise QuoteError(
            f"{here}.choices",
            "package-twice",
            tariff.clause,
            "Choose each package once, with one option and one clause.",
        )
    if set(numbers) <= set(tariff.not_sold_alone):
        raise QuoteError(
            f"{here}.choices",
            "packages-not-sold-alone",
            tariff.not_sold_alone_clause,
            "The medical goods (5) and dental (6) packages are not sold on their own: choose "
            "another package with them.",
        )
    age = age_in_years(person.birth_date, start)
    band = tariff.age_band(age)
    if band is None:
        raise QuoteError(
            f"{here}.birth_date",
            "age-not-priced",
            tariff.age_clause,
            f"Aged {age} at the start: the tariff prices ages "
            f"{tariff.age_bands[0].from_years} to {tariff.age_bands[-1].to_years}.",
        )
    lines = tuple(
        _line(tariff, here, choice, band.factor, packages.get(choice.package))
        for choice in person.choices
    )
    subtotal = sum((line.yearly for line in lines), start=ZERO)
    discount = cents(subtotal * discount_percent / HUNDRED)
    loading = cents((subtotal - discount) * person.loading_percent / HUNDRED)
    return PersonPrice(
        id=person.id,
        age=age,
        lines=lines,
        subtotal=subtotal,
        discount=discount,
        loading=loading,
        yearly=subtotal - discount + loading,
    )


def _line(
    tariff: Tariff, here: str, choice: Choice, age_factor: Decimal, package: Package | None
) -> Line:
    if package is not None and choice.clause not in package.clauses:
        offered = ", ".join(c.value for c in package.clauses)
        raise QuoteError(
            f"{here}.choices",
            "clause-not-offered",
            package.clause,
            f"Package {choice.package} is offered in clause {offered} only.",
        )
    options = tariff.yearly_premiums.get(choice.package)
    if options is None:
        raise QuoteError(
            f"{here}.choices",
            "package-not-priced",
            tariff.clause,
            f"Package {choice.package} is not in the tariff.",
        )
    base = options.get(choice.option)
    if base is None:
        raise QuoteError(
            f"{here}.choices",
            "option-not-offered",
            tariff.clause,
            f"Package {choice.package} is not offered in the option {choice.option.value}.",
        )
    factor = tariff.clause_factors.get(choice.clause)
    if factor is None:
        raise QuoteError(
            f"{here}.choices",
            "clause-not-priced",
            tariff.clause_factors_clause,
            f"Clause {choice.clause.value} is not in the tariff.",
        )
    return Line(choice, base, factor, age_factor, cents(base * factor * age_factor))
