"""The health product's package table against seed 002, row by row.

``products.seed002`` reads the tables of ``002_67c8c87b7c6b28e5.txt`` with the product owner's
column reading (seeds README) and codes the rows as the catalog does; these tests compare every
row of every package with ``products/health/2022-11-01``: the same codes in the same order, the
same names, the same ✓ per option and the same count / money / day / kilometre limits, and the
package's yearly limits, co-payments and notes. A transcription slip in the YAML fails here, with
the package (test id ``002-II-outpatient``), the row's code and the seed line.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from products.seed002 import (
    OPTIONS,
    PACKAGE_CODES,
    ROMAN,
    SEED_002,
    Cell,
    SeedPackage,
    SeedRow,
    normalise,
    parse_seed,
)
from zdrave.engine.terms.common import Limit
from zdrave.engine.terms.health import ClauseCode, OptionCode, Package, Service
from zdrave.engine.terms.loader import load_product_version
from zdrave.engine.terms.product import ProductVersion

VERSION = "health/2022-11-01"
PACKAGES = [
    pytest.param(number, id=f"002-{ROMAN[number]}-{code}") for number, code in PACKAGE_CODES.items()
]


# ---- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed(seeds_dir: Path) -> dict[int, SeedPackage]:
    return parse_seed(seeds_dir.parent / SEED_002)


def _own_files_copy(repo_dir: Path, products: Path) -> Path:
    """product.yaml and packages/ only: the table check must not wait on rules.yaml (004)."""
    source = repo_dir / "products" / VERSION
    target = products / VERSION
    (target / "packages").mkdir(parents=True)
    shutil.copy(source / "product.yaml", target / "product.yaml")
    for path in (source / "packages").glob("*.yaml"):
        shutil.copy(path, target / "packages" / path.name)
    return target


@pytest.fixture(scope="session")
def version(repo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> ProductVersion:
    products = tmp_path_factory.mktemp("products")
    return load_product_version(_own_files_copy(repo_dir, products), products)


def _package(version: ProductVersion, number: int) -> Package:
    package = version.package(number)
    assert package is not None, f"package {number} is missing from the catalog"
    return package


# ---- the comparison --------------------------------------------------------------------------


def _catalog_cell(limit: Limit | None) -> Cell:
    if limit is None:
        return Cell()
    return Cell(limit.unit.value, limit.value, limit.per.value)


def _show(cell: Cell | None) -> str:
    if cell is None:
        return "not covered"
    if cell.amount is None:
        return "✓"
    return f"{cell.amount} {cell.unit} per {cell.per}"


def row_differences(row: SeedRow, service: Service) -> list[str]:
    where = f"{row.code} (002 line {row.line})"
    problems = []
    if normalise(service.name.bg) != row.name:
        problems.append(f"{where}: name {service.name.bg!r}, the seed prints {row.name!r}")
    if service.heading != row.heading:
        problems.append(f"{where}: heading is {service.heading}, the seed row says {row.heading}")
    for option in OPTIONS:
        printed = row.options.get(option)
        cell = service.options.get(OptionCode(option))
        ours = None if cell is None else _catalog_cell(cell.limit)
        if ours != printed:
            problems.append(f"{where}: {option} is {_show(ours)}, the seed has {_show(printed)}")
        limit = None if cell is None else cell.limit
        if limit is not None and limit.unit.value == "money" and limit.currency != "BGN":
            problems.append(f"{where}: {option} limit must stay in BGN as printed")
    ours_count = None if service.count_limit is None else _catalog_cell(service.count_limit)
    if ours_count != row.count:
        problems.append(
            f"{where}: count limit is {_show(ours_count)}, the seed has {_show(row.count)}"
        )
    return problems


def package_differences(seed_package: SeedPackage, package: Package) -> list[str]:
    """Every way the catalog's package differs from the seed's table, one line per row."""
    problems = []
    ours = [s.code for s in package.services]
    printed = [r.code for r in seed_package.rows]
    for code in printed:
        if code not in ours:
            line = seed_package.row(code).line
            problems.append(f"{code} (002 line {line}): a row of the seed missing from the catalog")
    problems += [
        f"{code}: in the catalog but not a row of 002" for code in ours if code not in printed
    ]
    common = [c for c in ours if c in printed]
    if common != [c for c in printed if c in ours]:
        problems.append("services are not in the seed's order")
    for row in seed_package.rows:
        service = package.service(row.code)
        if service is not None:
            problems += row_differences(row, service)
    return problems


# ---- the seed reading itself -----------------------------------------------------------------


@pytest.mark.parametrize("number", PACKAGES)
def test_every_heading_row_of_the_seed_groups_rows_below_it(
    seed: dict[int, SeedPackage], number: int
) -> None:
    rows = seed[number].rows
    lonely = [
        r.code for r in rows if r.heading and not any(o.code.startswith(r.code + ".") for o in rows)
    ]
    assert lonely == [], "a row without marks must group rows below it, or the reading is wrong"
    codes = [r.code for r in rows]
    assert len(codes) == len(set(codes))


def test_the_seed_has_six_packages_with_their_row_counts(seed: dict[int, SeedPackage]) -> None:
    counts = {n: (len(p.rows), sum(not r.heading for r in p.rows)) for n, p in seed.items()}
    # (rows, covered services), counted by hand: rows are the table lines of each section
    # (e.g. 002 I: lines 23–50 and 60–90), services those that carry a ✓ or a number.
    assert counts == {1: (59, 49), 2: (78, 61), 3: (29, 24), 4: (22, 16), 5: (5, 5), 6: (26, 21)}


# ---- the catalog against the seed -----------------------------------------------------------


@pytest.mark.parametrize("number", PACKAGES)
def test_package_services_match_the_seed_row_by_row(
    seed: dict[int, SeedPackage], version: ProductVersion, number: int
) -> None:
    problems = package_differences(seed[number], _package(version, number))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("number", PACKAGES)
def test_package_yearly_limits_and_copayments_match_the_seed(
    seed: dict[int, SeedPackage], version: ProductVersion, number: int
) -> None:
    printed, package = seed[number], _package(version, number)
    offered = {o for r in printed.rows for o in r.options} | set(printed.subscription)
    assert set(package.options) == {OptionCode(o) for o in offered}
    limits = {
        o.value: (fl.subscription, fl.reimbursement) for o, fl in package.yearly_limits.items()
    }
    expected = {o: (printed.subscription.get(o), printed.reimbursement.get(o)) for o in offered}
    if not printed.subscription:
        expected = {}  # 002 I prints no limits table
    assert limits == expected
    copay = {c.value: pct for c, pct in package.copay_percent.items()}
    assert copay == (printed.copay or {"A": Decimal(0)})


@pytest.mark.parametrize("number", PACKAGES)
def test_package_name_and_notes_match_the_seed(
    seed: dict[int, SeedPackage], version: ProductVersion, number: int
) -> None:
    printed, package = seed[number], _package(version, number)
    assert package.name.bg.upper() == printed.title
    assert package.clause == f"002 {ROMAN[number]}"
    assert {n.mark: normalise(n.text.bg) for n in package.notes} == printed.notes
    for note in package.notes:
        assert note.clause == f"002 {ROMAN[number]} бел.{note.mark}"
        assert note.text.en


# ---- the README's reading, stated by hand (independent of the parser) -----------------------

README_LIMITS = [
    (
        "002-I-4.1-specialists-by-choice",
        "1.4.1",
        {"minimal": 1, "basic": 2, "full": 3, "luxury": 4},
        "count",
    ),
    ("002-II-8-mri", "2.8.e", {"full": 1, "luxury": 2}, "count"),
    ("002-II-11-physiotherapy", "2.11.a", {"full": 150, "luxury": 250}, "money"),
    ("002-II-12-pregnancy", "2.12", {"full": 300, "luxury": 500}, "money"),
    ("002-III-8-birth-without-team", "3.8.d", {"luxury": 500}, "money"),
    ("002-III-8-consumables", "3.8.e", {"full": 500, "luxury": 1000}, "money"),
    ("002-III-9-rehabilitation", "3.9.c", {"full": 300, "luxury": 500}, "money"),
    ("002-IV-1-nursing", "4.1", {"minimal": 3, "basic": 5, "full": 10, "luxury": 15}, "days"),
    ("002-IV-9-transport", "4.9.a", {"full": 50, "luxury": 80}, "km"),
    ("002-V-3-glasses", "5.3.b", {"basic": 50, "full": 80, "luxury": 120}, "money"),
]


@pytest.mark.parametrize(
    ("code", "values", "unit"), [pytest.param(*p[1:], id=p[0]) for p in README_LIMITS]
)
def test_readme_limits_per_option(
    version: ProductVersion, code: str, values: dict[str, int], unit: str
) -> None:
    found = version.find_service(code)
    assert found is not None
    _, service = found
    limits = {
        o.value: (c.limit.unit.value, c.limit.value)
        for o, c in service.options.items()
        if c.limit is not None
    }
    assert limits == {o: (unit, Decimal(v)) for o, v in values.items()}
    assert set(service.options) == {OptionCode(o) for o in values}


README_YEARLY = [
    ("002-II-outpatient", 2, [2000, 5000, 10000, 20000], [100, 200, 300, 500], 20),
    ("002-III-hospital", 3, [7500, 15000, 30000], [None, 1000, 1500], 20),
    ("002-IV-home", 4, [100, 250, 500, 900], [100, 250, 500, 900], 30),
    ("002-V-goods", 5, [50, 150, 300, 600], [50, None, 300, 600], 30),
    ("002-VI-dental", 6, [150, 300, 450, 600], [150, 300, 450, 600], 30),
]


@pytest.mark.parametrize(
    ("number", "subscription", "reimbursement", "b1"),
    [pytest.param(*p[1:], id=p[0]) for p in README_YEARLY],
)
def test_readme_yearly_limits_and_copayment(
    version: ProductVersion,
    number: int,
    subscription: list[int],
    reimbursement: list[int | None],
    b1: int,
) -> None:
    package = _package(version, number)
    limits = [package.yearly_limits[o] for o in package.options]
    assert [fl.subscription for fl in limits] == [Decimal(v) for v in subscription]
    assert [fl.reimbursement for fl in limits] == [
        None if v is None else Decimal(v) for v in reimbursement
    ]
    assert all(fl.currency == "BGN" for fl in limits)
    assert package.copay_rate(ClauseCode.B1) == Decimal(b1) / 100
    assert package.copay_rate(ClauseCode.A) == 0
    assert package.copay_rate(ClauseCode.B2) == 0


def test_prevention_package_is_subscription_only_without_money_limits(
    version: ProductVersion,
) -> None:
    package = _package(version, 1)
    assert package.clauses == [ClauseCode.A]
    assert package.yearly_limits == {}
    assert package.copay_rate(ClauseCode.A) == 0


FLAGS = [
    ("002-I-prevention", 1, {"limited_services_reimbursement_only": False}),
    (
        "002-II-bel1-limited-services",
        2,
        {"limited_services_reimbursement_only": True, "limited_services_clause": "002 II бел.*"},
    ),
    (
        "002-III-bel1-nhif-rights",
        3,
        {
            "requires_nhif_rights": True,
            "requires_nhif_rights_clause": "002 III бел.*",
            "limited_services_reimbursement_only": True,
            "limited_services_clause": "002 III бел.**",
        },
    ),
    (
        "002-IV-bel1-limited-services",
        4,
        {"limited_services_reimbursement_only": True, "limited_services_clause": "002 IV бел.*"},
    ),
    (
        "002-V-bel1-mutually-exhausting",
        5,
        {
            "mutually_exhausting_forms": True,
            "mutually_exhausting_clause": "002 V бел.*",
            "limited_services_reimbursement_only": False,
        },
    ),
    (
        "002-VI-bel1-single-form",
        6,
        {
            "single_form_per_contract": True,
            "single_form_clause": "002 VI бел.*",
            "limited_services_reimbursement_only": False,
        },
    ),
]


@pytest.mark.parametrize(("number", "flags"), [pytest.param(*p[1:], id=p[0]) for p in FLAGS])
def test_package_flags_from_the_notes(
    version: ProductVersion, number: int, flags: dict[str, object]
) -> None:
    package = _package(version, number)
    assert {name: getattr(package, name) for name in flags} == flags
    others = {"requires_nhif_rights", "single_form_per_contract", "mutually_exhausting_forms"}
    assert not any(getattr(package, name) for name in others - set(flags))


def test_pregnancy_monitoring_note_and_3d_4d_ultrasound(version: ProductVersion) -> None:
    # 002 II бел.**: pregnancy care only with an option containing item 12; no 3D/4D ultrasound.
    package = _package(version, 2)
    assert "т. 12" in {n.mark: n.text.bg for n in package.notes}["**"]
    pregnancy = package.service("2.12")
    assert pregnancy is not None
    assert pregnancy.not_covered_note is not None
    assert "3D и 4D" in pregnancy.not_covered_note.bg
    assert "3D and 4D" in pregnancy.not_covered_note.en
    assert set(pregnancy.options) == {OptionCode.FULL, OptionCode.LUXURY}


# ---- codes other parts rely on ---------------------------------------------------------------

SCENARIO_CODES = [
    pytest.param("2.1.a", "от специалист", "exam", "2.1", id="002-II-1-specialist-exam"),
    pytest.param(
        "2.12.1.1",
        "Установяване/регистрация на бременност – УЗД – 1 брой",
        "pregnancy",
        "2.12.1",
        id="002-II-12-1-1-pregnancy-registration",
    ),
    pytest.param("2.8.e", "ЯМР (без контраст)", "imaging", "2.8", id="002-II-8-mri"),
    pytest.param(
        "5.1", "Лекарствени средства и консумативи", "medicine", None, id="002-V-1-medicines"
    ),
    pytest.param("5.3.b", "диоптрични стъкла за очила", "optical", "5.3", id="002-V-3-glasses"),
]


@pytest.mark.parametrize(("code", "name", "category", "parent"), SCENARIO_CODES)
def test_conformance_scenario_codes_exist(
    version: ProductVersion, code: str, name: str, category: str, parent: str | None
) -> None:
    found = version.find_service(code)
    assert found is not None, f"{code} is used by tests/engine/scenarios"
    _, service = found
    assert service.name.bg.startswith(name)
    assert service.category is not None
    assert service.category.value == category
    assert not service.heading
    if parent:
        assert version.find_service(parent) is not None


def test_five_three_groups_hearing_aid_and_glasses(version: ProductVersion) -> None:
    package = _package(version, 5)
    assert [s.code for s in package.services if s.code.startswith("5.3")] == [
        "5.3",
        "5.3.a",
        "5.3.b",
    ]
    hearing_aid = package.service("5.3.a")
    assert hearing_aid is not None
    assert hearing_aid.name.bg == "слухов апарат"


KEYWORDS = [
    pytest.param("2.8.e", ["ЯМР", "MRI", "magnetic resonance"], id="002-II-8-mri"),
    pytest.param("2.11.a", ["физиотерапия", "physiotherapy", "physio"], id="002-II-11-physio"),
    pytest.param("5.3.b", ["очила", "glasses", "lenses"], id="002-V-3-glasses"),
    pytest.param("2.12", ["бременност", "pregnancy"], id="002-II-12-pregnancy"),
    pytest.param("2.12.1.1", ["бременност", "pregnancy"], id="002-II-12-1-1-registration"),
    pytest.param("6.2.a", ["зъб", "tooth", "dentist"], id="002-VI-2-filling"),
    pytest.param("6.1.a", ["зъби", "teeth", "dentist"], id="002-VI-1-dental-check-up"),
]


@pytest.mark.parametrize(("code", "words"), KEYWORDS)
def test_search_keywords_a_member_would_type(
    version: ProductVersion, code: str, words: list[str]
) -> None:
    found = version.find_service(code)
    assert found is not None
    assert set(words) <= set(found[1].keywords)


def test_every_service_has_keywords_in_both_languages(version: ProductVersion) -> None:
    cyrillic, latin = re.compile("[а-яА-Я]"), re.compile("[a-zA-Z]")
    missing = [
        s.code
        for _, s in version.services()
        if not s.heading
        and not (
            any(cyrillic.search(k) for k in s.keywords) and any(latin.search(k) for k in s.keywords)
        )
    ]
    assert missing == []


def test_every_service_interpretation_is_listed_in_the_version(version: ProductVersion) -> None:
    listed = {(i.clause, i.text.en) for i in version.interpretations}
    missing = [
        s.code
        for _, s in version.services()
        if s.interpretation and (s.clause, f"{s.code}: {s.interpretation}") not in listed
    ]
    assert missing == []
    for package in version.packages:
        assert package.interpretation
        assert (package.clause, f"Package {package.number}: {package.interpretation}") in listed


def test_the_whole_version_loads_with_its_rules(repo_dir: Path) -> None:
    version = load_product_version(repo_dir / "products" / VERSION, repo_dir / "products")
    assert version.product == "health"
    assert version.effective_from.isoformat() == "2022-11-01"
    assert version.insurer.name.bg == "„Животозастрахователен институт“ АД"
    assert [p.number for p in version.packages] == [1, 2, 3, 4, 5, 6]
    assert "002 Застрахователни пакети" in version.sources


# ---- the check can fail ----------------------------------------------------------------------


def _drop_option(service: dict[str, Any], option: str) -> None:
    del service["options"][option]


def _set_limit(service: dict[str, Any], option: str, value: int) -> None:
    service["options"][option]["limit"]["value"] = value


def _rename(service: dict[str, Any], name: str) -> None:
    service["name"]["bg"] = name


MUTATIONS = [
    (
        "removed-mark",
        "2-outpatient",
        "2.8.e",
        lambda s: _drop_option(s, "luxury"),
        "2.8.e (002 line 149): luxury is not covered, the seed has 2 count per year",
    ),
    (
        "changed-limit",
        "2-outpatient",
        "2.11.a",
        lambda s: _set_limit(s, "full", 160),
        "2.11.a (002 line 160): full is 160 money per year, the seed has 150 money per year",
    ),
    (
        "added-mark",
        "6-dental",
        "6.4.a",
        lambda s: s["options"].update({"full": {}}),
        "6.4.a (002 line 406): full is ✓, the seed has not covered",
    ),
    (
        "typo-in-name",
        "4-home",
        "4.1",
        lambda s: _rename(s, "Сестринско наблюдение"),
        "4.1 (002 line 304): name 'Сестринско наблюдение'",
    ),
]


@pytest.mark.parametrize(
    ("file", "code", "mutate", "expected"), [pytest.param(*m[1:], id=m[0]) for m in MUTATIONS]
)
def test_a_transcription_slip_is_reported_with_its_row(
    seed: dict[int, SeedPackage],
    repo_dir: Path,
    tmp_path: Path,
    file: str,
    code: str,
    mutate: Callable[[dict[str, Any]], None],
    expected: str,
) -> None:
    folder = _own_files_copy(repo_dir, tmp_path)
    path = folder / "packages" / f"{file}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(next(s for s in data["services"] if s["code"] == code))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    version = load_product_version(folder, tmp_path)
    package = _package(version, data["number"])
    problems = package_differences(seed[data["number"]], package)

    assert len(problems) == 1, problems
    assert problems[0].startswith(expected)
