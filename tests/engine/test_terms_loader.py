"""The product loader refuses bad files with the file, the line, the path inside the file and the
rule broken: one bad thing at a time, in a copy of a small valid product."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zdrave.engine.terms.loader import TermsError, load_catalog

FIXTURE = Path(__file__).resolve().parents[1] / "products" / "products"
HEALTH = Path("health/2024-01-01")
OUTPATIENT = HEALTH / "packages/2-outpatient.yaml"
RULES = HEALTH / "rules.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "products"
    shutil.copytree(FIXTURE, copy)
    return copy


def edit(root: Path, relative: Path | str, old: str, new: str) -> None:
    """Replace ``old`` (which must occur exactly once) by ``new`` in one product file."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(root: Path) -> list[str]:
    with pytest.raises(TermsError) as caught:
        load_catalog(root)
    return [str(p) for p in caught.value.problems]


def test_the_fixture_is_valid() -> None:
    catalog = load_catalog(FIXTURE)
    assert catalog.products() == ["best-doctors", "health"]
    assert [v.effective_from.isoformat() for v in catalog.versions["health"]] == [
        "2022-11-01",
        "2024-01-01",
    ]


MRI_FULL = 'full: {limit: {unit: count, value: 1, clause: "002 II.8"}}'
MRI_PATH = 'packages[0].services["2.8.e"].options.full.limit'
F = "products/health/2024-01-01"

BAD_FILES = [
    pytest.param(
        RULES,
        'services: ["2.12*"]',
        'services: ["7.1"]',
        f'{F}/rules.yaml:20: rules.waiting_periods["pregnancy"].match.services[0]: '
        "unknown package in '7.1': this version has packages 2, 4, 5, 6",
        id="unknown-package-in-a-rule-004-chl19",
    ),
    pytest.param(
        RULES,
        'unless_services: ["2.11.b"]',
        'unless_services: ["2.11.z"]',
        f'{F}/rules.yaml:13: rules.exclusions["mental"].unless_services[0]: '
        "unknown service '2.11.z': no row of package 2 has this code",
        id="unknown-service-in-an-exclusion-004-chl21-t20",
    ),
    pytest.param(
        HEALTH / "packages/6-dental.yaml",
        "number: 6",
        "number: 7",
        f"{F}/packages/6-dental.yaml:1: packages[3].number: "
        "unknown package number 7: 002 has packages 1 to 6",
        id="unknown-package-number-002",
    ),
    pytest.param(
        OUTPATIENT,
        "options: {full: {}, luxury: {}}\n    keywords: [КТ",
        "options: {premium: {}, luxury: {}}\n    keywords: [КТ",
        f'{F}/packages/2-outpatient.yaml:41: packages[0].services["2.8.d"].options.premium: '
        "unknown option 'premium'; expected 'minimal', 'basic', 'full' or 'luxury'",
        id="unknown-option-002-II",
    ),
    pytest.param(
        OUTPATIENT,
        "clauses: [A, Б1, Б2]",
        "clauses: [A, Б1, В]",
        f"{F}/packages/2-outpatient.yaml:6: packages[0].clauses[2]: "
        "unknown value 'В'; expected 'A', 'Б1' or 'Б2'",
        id="unknown-clause-002-VII-legend",
    ),
    pytest.param(
        OUTPATIENT,
        'clause: "002 II.11"\n    category: psychotherapy',
        'clause: "II.11"\n    category: psychotherapy',
        f'{F}/packages/2-outpatient.yaml:65: packages[0].services["2.11.b"].clause: '
        "a clause citation must start with the seed file number and name the clause, "
        "e.g. '004 Чл.21(1) т.20'; got 'II.11'",
        id="citation-without-its-seed-002-II-11",
    ),
    pytest.param(
        OUTPATIENT,
        MRI_FULL,
        'full: {limit: {unit: kg, value: 1, clause: "002 II.8"}}',
        f"{F}/packages/2-outpatient.yaml:48: {MRI_PATH}.unit: "
        "unknown value 'kg'; expected 'count', 'money', 'days' or 'km'",
        id="limit-of-an-unknown-unit-002-II-8",
    ),
    pytest.param(
        OUTPATIENT,
        MRI_FULL,
        'full: {limit: {unit: count, value: 1, currency: BGN, clause: "002 II.8"}}',
        f"{F}/packages/2-outpatient.yaml:48: {MRI_PATH}: a count limit has no currency",
        id="count-limit-with-a-currency-002-II-8",
    ),
    pytest.param(
        OUTPATIENT,
        'full: {limit: {unit: money, value: 150, currency: BGN, clause: "002 II.11"}}',
        'full: {limit: {unit: money, value: 150, clause: "002 II.11"}}',
        f'{F}/packages/2-outpatient.yaml:60: packages[0].services["2.11.a"].options.full.limit: '
        "a money limit needs currency BGN or EUR",
        id="money-limit-without-currency-002-II-11",
    ),
    pytest.param(
        OUTPATIENT,
        MRI_FULL,
        'full: {limit: {unit: count, value: 1.5, clause: "002 II.8"}}',
        f"{F}/packages/2-outpatient.yaml:48: {MRI_PATH}: a count limit must be a whole number",
        id="fractional-count-002-II-8",
    ),
    pytest.param(
        OUTPATIENT,
        'value: 150, currency: BGN, clause: "002 II.11"',
        'value: -150, currency: BGN, clause: "002 II.11"',
        f'{F}/packages/2-outpatient.yaml:60: packages[0].services["2.11.a"].options.full.limit.value: '
        "must not be negative, got -150",
        id="negative-amount-002-II-11",
    ),
    pytest.param(
        OUTPATIENT,
        MRI_FULL,
        'full: {limit: {unit: count, value: "един", clause: "002 II.8"}}',
        f"{F}/packages/2-outpatient.yaml:48: {MRI_PATH}.value: expected a number, got 'един'",
        id="non-numeric-amount-002-II-8",
    ),
    pytest.param(
        OUTPATIENT,
        "  luxury: {subscription: 20000, reimbursement: 500}",
        "  luxury: {subscription: 20000, reimbursement: 500лв}",
        f"{F}/packages/2-outpatient.yaml:11: packages[0].yearly_limits.luxury.reimbursement: "
        "expected a number, got '500лв'",
        id="non-numeric-yearly-limit-002-II-B",
    ),
    pytest.param(
        OUTPATIENT,
        '- code: "2.8.e"',
        '- code: "2.8.d"',
        f"{F}/packages/2-outpatient.yaml:43: packages[0].services[4]: "
        "duplicate service code '2.8.d': already used by services[3]",
        id="duplicate-service-code-002-II-8",
    ),
    pytest.param(
        RULES,
        '      clause: "004 Чл.21(1) т.11"\n',
        "",
        f'{F}/rules.yaml:3: rules.exclusions["acne"].clause: missing clause citation: '
        "every rule names the seed clause it comes from, e.g. '004 Чл.21(1) т.20'",
        id="rule-without-clause-004-chl21-t11",
    ),
    pytest.param(
        RULES,
        "icd10: [L70]",
        "icd10: [L7O]",
        f"{F}/rules.yaml:7: rules.exclusions[\"acne\"].match.icd10[0]: unknown ICD-10 code 'L7O'",
        id="unknown-icd10-code-004-chl21-t11",
    ),
    pytest.param(
        RULES,
        'icd10: ["F00-F99"]',
        'icd10: ["F00-F999"]',
        f'{F}/rules.yaml:12: rules.exclusions["mental"].match.icd10[0]: '
        "unknown ICD-10 code 'F999' in range 'F00-F999'",
        id="unknown-icd10-range-004-chl21-t20",
    ),
    pytest.param(
        RULES,
        'icd10: ["F00-F99"]',
        'icd10: ["F99-F00"]',
        f'{F}/rules.yaml:12: rules.exclusions["mental"].match.icd10[0]: '
        "ICD-10 range 'F99-F00' runs backwards",
        id="backwards-icd10-range-004-chl21-t20",
    ),
    pytest.param(
        OUTPATIENT,
        '    clause: "002 II.12"\n    category: pregnancy\n',
        '    clause: "002 II.12"\n    clasue: "002 II.12"\n    category: pregnancy\n',
        f'{F}/packages/2-outpatient.yaml:72: packages[0].services["2.12"].clasue: '
        "unknown key (not part of the product schema)",
        id="misspelt-key-002-II-12",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BAD_FILES)
def test_a_bad_file_is_refused_naming_file_line_path_and_rule(
    root: Path, file: Path, old: str, new: str, expected: str
) -> None:
    edit(root, file, old, new)
    assert problems(root) == [expected]


def test_malformed_yaml_names_line_and_column(root: Path) -> None:
    edit(
        root,
        OUTPATIENT,
        "options: {luxury: {}}\n    keywords: [психолог",
        "options: {luxury: {}\n    keywords: [психолог",
    )
    assert problems(root) == [
        f"{F}/packages/2-outpatient.yaml:68: malformed YAML: did not find expected ',' or '}}' "
        "(while parsing a flow mapping) at line 68, column 5"
    ]


def test_duplicate_yaml_key_is_refused_not_silently_overwritten(root: Path) -> None:
    # PyYAML would keep the second `full:` and lose the first without a word.
    edit(
        root,
        OUTPATIENT,
        "    options: {full: {}, luxury: {}}\n    keywords: [КТ",
        "    options: {full: {}, full: {}}\n    keywords: [КТ",
    )
    assert problems(root) == [
        f"{F}/packages/2-outpatient.yaml:41: duplicate key 'full': a key may appear once in a "
        "mapping at line 41, column 25"
    ]


def test_overlapping_versions_are_refused(root: Path) -> None:
    # The 2022 version must end before the 2024 one starts, else two terms apply on one day.
    edit(
        root,
        "health/2022-11-01/product.yaml",
        "effective_to: 2023-12-31",
        "effective_to: 2024-01-01",
    )
    assert problems(root) == [
        "products/health/2022-11-01: effective_to: version 2022-11-01 overlaps version "
        "2024-01-01: it must end before the next one starts"
    ]


def test_a_version_still_sold_overlaps_the_next(root: Path) -> None:
    edit(root, "health/2022-11-01/product.yaml", "effective_to: 2023-12-31\n", "")
    assert problems(root) == [
        "products/health/2022-11-01: effective_to: version 2022-11-01 overlaps version "
        "2024-01-01: it must end before the next one starts"
    ]


def test_folder_name_must_be_effective_from(root: Path) -> None:
    (root / HEALTH).rename(root / "health/2024-02-01")
    assert problems(root) == [
        "products/health/2024-02-01/product.yaml:10: effective_from: is 2024-01-01 but the "
        "folder is named 2024-02-01"
    ]


def test_a_version_folder_is_named_by_a_date(root: Path) -> None:
    (root / HEALTH).rename(root / "health/latest")
    assert problems(root) == [
        "products/health/latest: a version folder is named by its effective date, YYYY-MM-DD"
    ]


def test_product_code_must_match_its_folder(root: Path) -> None:
    shutil.copytree(root / "best-doctors", root / "extra-care")
    assert problems(root) == [
        "products/extra-care/2019-02-01/product.yaml:1: product: is 'best-doctors' but the "
        "folder is 'extra-care'"
    ]


def test_every_problem_of_every_product_is_reported_at_once(root: Path) -> None:
    edit(root, RULES, "icd10: [L70]", "icd10: [L7O]")
    edit(
        root,
        "best-doctors/2019-02-01/product.yaml",
        "effective_from: 2019-02-01",
        "effective_from: 2019-02-30",
    )
    assert problems(root) == [
        "products/best-doctors/2019-02-01/product.yaml:10: effective_from: Input should be a "
        "valid date or datetime, day value is outside expected range",
        f"{F}/rules.yaml:7: rules.exclusions[\"acne\"].match.icd10[0]: unknown ICD-10 code 'L7O'",
    ]


def test_a_key_given_by_two_files_is_refused(root: Path) -> None:
    (root / HEALTH / "more-rules.yaml").write_text("rules: {}\n", encoding="utf-8")
    assert problems(root) == [f"{F}/rules.yaml:1: rules: already given in {F}/more-rules.yaml"]
