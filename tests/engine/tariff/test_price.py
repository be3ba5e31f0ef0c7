"""The premium computation on the shipped (illustrative) tariff: DB-free, one row per rule, ids
citing the clause each rule rests on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zdrave.engine.tariff import Choice, PersonRequest, QuoteError, QuoteRequest, price_quote
from zdrave.engine.tariff.loader import load_tariffs
from zdrave.engine.tariff.price import cover_begins, due_dates, one_year_end, split
from zdrave.engine.terms.health import ClauseCode, OptionCode
from zdrave.engine.terms.loader import default_products_root, load_catalog

ROOT = default_products_root()
CATALOG = load_catalog(ROOT)
BOOK = load_tariffs(ROOT, CATALOG)
START = dt.date(2026, 3, 1)
VERSION = CATALOG.version("health", on=START)
TARIFF = BOOK.tariff_for("health", VERSION.effective_from, START)
PACKAGES = {p.number: p for p in VERSION.packages}


def choice(package: int, option: str = "full", clause: str = "Б1") -> Choice:
    return Choice(package, OptionCode(option), ClauseCode(clause))


def person(birth: dt.date, *choices: Choice, loading: str = "0", ident: str = "p") -> PersonRequest:
    return PersonRequest(ident, birth, choices, Decimal(loading))


def price(*persons: PersonRequest, instalments: int = 1, group_size: int | None = None):
    request = QuoteRequest(START, persons, instalments, group_size)
    return price_quote(TARIFF, request, PACKAGES)


def test_the_shipped_tariff_says_it_is_an_assumption():
    assert "Illustrative" in TARIFF.assumption.en
    assert "Илюстративна" in TARIFF.assumption.bg


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        # 004 Чл.1: completed years at the start; the band changes on the birthday itself.
        pytest.param(dt.date(1986, 3, 2), "330.00", id="004-chl1-aged-39-day-before-40th-birthday"),
        pytest.param(dt.date(1986, 3, 1), "412.50", id="004-chl1-aged-40-on-the-40th-birthday"),
        pytest.param(dt.date(2008, 3, 2), "231.00", id="004-chl1-aged-17-child-band"),
        pytest.param(dt.date(2008, 3, 1), "330.00", id="004-chl1-aged-18-adult-band"),
        pytest.param(
            dt.date(1960, 3, 1), "627.00", id="004-chl9-aged-66-priced-for-special-conditions"
        ),
    ],
)
def test_age_band_at_the_start(birth, expected):
    found = price(person(birth, choice(2)))
    assert found.yearly == Decimal(expected)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        pytest.param("A", "297.00", id="002-vii-clause-a-subscription-only"),
        pytest.param("Б1", "330.00", id="002-vii-clause-b1-with-co-payment"),
        pytest.param("Б2", "379.50", id="002-vii-clause-b2-no-co-payment"),
    ],
)
def test_clause_factor(clause, expected):
    assert price(person(dt.date(1990, 1, 1), choice(2, clause=clause))).yearly == Decimal(expected)


@pytest.mark.parametrize(
    "packages",
    [
        pytest.param((5,), id="004-chl17-goods-alone"),
        pytest.param((6,), id="004-chl17-dental-alone"),
        pytest.param((5, 6), id="004-chl17-goods-and-dental-together-still-alone"),
    ],
)
def test_packages_5_and_6_are_not_sold_alone(packages):
    with pytest.raises(QuoteError) as caught:
        price(person(dt.date(1990, 1, 1), *(choice(n) for n in packages)))
    assert (caught.value.code, caught.value.clause) == ("packages-not-sold-alone", "004 Чл.17")


def test_004_chl17_dental_with_outpatient_is_priced():
    found = price(person(dt.date(1990, 1, 1), choice(2), choice(6)))
    assert found.yearly == Decimal("500.00")


def test_002_i_prevention_only_in_clause_a():
    with pytest.raises(QuoteError) as caught:
        price(person(dt.date(1990, 1, 1), choice(1, clause="Б1")))
    assert caught.value.code == "clause-not-offered"
    assert price(person(dt.date(1990, 1, 1), choice(1, clause="A"))).yearly == Decimal("72.00")


def test_002_iii_hospital_has_no_minimal_option():
    with pytest.raises(QuoteError) as caught:
        price(person(dt.date(1990, 1, 1), choice(3, option="minimal")))
    assert caught.value.code == "option-not-offered"


@pytest.mark.parametrize(
    ("count", "payable", "instalments"),
    [
        pytest.param(1, "1000.00", ["1000.00"], id="004-chl25-t2-single-payment"),
        pytest.param(2, "1020.00", ["510.00", "510.00"], id="004-chl25-t2-two-instalments"),
        pytest.param(4, "1040.00", ["260.00"] * 4, id="004-chl25-t2-four-instalments"),
        pytest.param(
            12,
            "1060.00",
            ["88.37"] + ["88.33"] * 11,
            id="004-chl25-t2-twelve-first-takes-odd-cents",
        ),
    ],
)
def test_instalment_loading_and_split(count, payable, instalments):
    # Outpatient Luxury 560 + hospital Full 230 + dental Full 170 + home Basic 40, clause Б1, at
    # age 30: 1 000 EUR a year.
    found = price(
        person(
            dt.date(1995, 1, 1),
            choice(2, option="luxury"),
            choice(3),
            choice(6),
            choice(4, option="basic"),
        ),
        instalments=count,
    )
    assert found.yearly == Decimal("1000.00")
    assert found.payable == Decimal(payable)
    assert list(found.instalments) == [Decimal(a) for a in instalments]


def test_004_chl25_t2_more_than_twelve_instalments_are_not_offered():
    with pytest.raises(QuoteError) as caught:
        price(person(dt.date(1990, 1, 1), choice(2)), instalments=3)
    assert (caught.value.field, caught.value.clause) == ("instalments", "004 Чл.25 т.2")


@pytest.mark.parametrize(
    ("size", "percent"),
    [
        pytest.param(None, "0", id="004-chl24-t2-family-no-discount"),
        pytest.param(10, "5", id="004-chl24-t2-group-of-10"),
        pytest.param(20, "5", id="004-chl23-t3-group-of-20"),
        pytest.param(21, "10", id="004-chl23-t3-group-over-20"),
    ],
)
def test_group_discount(size, percent):
    found = price(person(dt.date(1990, 1, 1), choice(2)), group_size=size)
    assert found.group_discount_percent == Decimal(percent)
    assert found.yearly == Decimal("330.00") * (100 - Decimal(percent)) / 100


def test_004_chl10_loading_on_special_conditions_applies_to_that_person():
    found = price(
        person(dt.date(1990, 1, 1), choice(2), loading="25", ident="loaded"),
        person(dt.date(1990, 1, 1), choice(2), ident="plain"),
    )
    assert found.person("loaded").yearly == Decimal("412.50")
    assert found.person("plain").yearly == Decimal("330.00")


def test_each_package_once():
    with pytest.raises(QuoteError):
        price(person(dt.date(1990, 1, 1), choice(2), choice(2, option="basic")))


@pytest.mark.parametrize(
    ("start", "paid", "begins"),
    [
        pytest.param(
            START,
            dt.date(2026, 2, 28),
            START,
            id="004-chl24-t3-paid-before-cover-from-00-00-of-start",
        ),
        pytest.param(START, START, START, id="004-chl24-t3-paid-on-the-start-day"),
        pytest.param(
            START,
            dt.date(2026, 3, 5),
            dt.date(2026, 3, 6),
            id="004-chl25-t3-paid-late-cover-from-next-day",
        ),
        pytest.param(START, None, None, id="004-chl25-t3-unpaid-never-in-force"),
    ],
)
def test_cover_begins(start, paid, begins):
    assert cover_begins(start, paid) == begins


def test_004_chl24_t3_one_year_term_and_instalment_due_dates():
    assert one_year_end(dt.date(2026, 3, 1)) == dt.date(2027, 2, 28)
    assert one_year_end(dt.date(2028, 2, 29)) == dt.date(2029, 2, 27)
    assert due_dates(dt.date(2026, 1, 31), 4) == (
        dt.date(2026, 1, 31),
        dt.date(2026, 4, 30),
        dt.date(2026, 7, 31),
        dt.date(2026, 10, 31),
    )
    assert split(Decimal("100.00"), 3) == (Decimal("33.34"), Decimal("33.33"), Decimal("33.33"))
