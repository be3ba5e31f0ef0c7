"""Underwriting of health (004) and best-doctors (001 / 003): table-driven, ids naming the clause,
exact decisions and reason clauses, ages checked on the birthdays themselves."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

import pytest

from zdrave.engine.scenario import ScenarioError
from zdrave.engine.terms.loader import Catalog, load_catalog
from zdrave.engine.underwriting import run_scenario

PRODUCTS = Path(__file__).resolve().parents[2] / "products"


@cache
def catalog() -> Catalog:
    return load_catalog(PRODUCTS)


def person(pid="p1", role="holder", birth="1985-03-02", **extra):
    data = {
        "id": pid,
        "role": role,
        "birth_date": birth,
        "student": False,
        "married": False,
        "resident": True,
        "nhif_rights": True,
        "declaration": {"answers": {}},
    }
    data.update(extra)
    return data


def scenario(
    *persons,
    product="health",
    kind="individual",
    start="2026-01-01",
    end="2026-12-31",
    renewal=False,
    version=None,
    group=None,
):
    data = {
        "product": product,
        "contract": {"type": kind, "start": start, "end": end, "renewal": renewal},
        "persons": list(persons) or [person()],
    }
    if version:
        data["version"] = version
    if group is not None:
        data["group"] = group
    return data


def outcome(data):
    """(application decision, {person: (decision, [(code, clause)…])}, [(code, clause)…])"""
    result = run_scenario(data, catalog())
    persons = {
        p["id"]: (p["decision"], [(r["code"], r["clause"]) for r in p["reasons"]])
        for p in result["persons"]
    }
    return result["decision"], persons, [(r["code"], r["clause"]) for r in result["reasons"]]


def one(data):
    decision, persons, _ = outcome(data)
    (only,) = persons.values()
    return only


# ---- health: ages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        pytest.param("2025-10-01", ("accept", []), id="004-chl1-3-months-on-the-day"),
        pytest.param(
            "2025-10-02",
            ("decline", [("age-under-minimum", "004 Чл.1; Чл.7")]),
            id="004-chl7-child-under-3-months",
        ),
        pytest.param("1961-01-02", ("accept", []), id="004-chl1-64-the-day-before-65"),
        pytest.param(
            "1961-01-01",
            ("refer", [("age-special-conditions", "004 Чл.9; Чл.10")]),
            id="004-chl9-65th-birthday-on-the-start",
        ),
        pytest.param(
            "1956-01-01",
            (
                "refer",
                [
                    ("age-special-conditions", "004 Чл.9; Чл.10"),
                    ("age-at-end-special-conditions", "004 Чл.8; Чл.24 т.3"),
                ],
            ),
            id="004-chl9-70th-birthday-on-the-start-refer",
        ),
        pytest.param(
            "1955-12-31",
            (
                "decline",
                [
                    ("age-special-conditions", "004 Чл.9; Чл.10"),
                    ("age-at-end-over-maximum", "004 Чл.8; Чл.24 т.3"),
                ],
            ),
            id="004-chl9-70-at-start-71-at-the-end-decline",
        ),
        pytest.param(
            "1954-12-31",
            (
                "decline",
                [
                    ("age-over-maximum", "004 Чл.1; Чл.7"),
                    ("age-at-end-over-maximum", "004 Чл.8; Чл.24 т.3"),
                ],
            ),
            id="004-chl1-71-decline",
        ),
    ],
)
def test_health_individual_age_at_start(birth, expected):
    # Child of 3 months in an individual contract: with a parent's consent (004 Чл.24 т.2).
    assert one(scenario(person(birth=birth, role="child"))) == expected


@pytest.mark.parametrize(
    ("birth", "end", "expected"),
    [
        pytest.param("1961-06-01", "2026-12-31", ("accept", []), id="004-chl8-65-at-the-end"),
        pytest.param(
            "1962-06-01",
            "2028-12-31",
            ("refer", [("age-at-end-special-conditions", "004 Чл.8; Чл.24 т.3")]),
            id="004-chl24-t3-66-at-the-end-unless-agreed",
        ),
    ],
)
def test_health_age_at_the_end(birth, end, expected):
    assert one(scenario(person(birth=birth), end=end)) == expected


# ---- health: family ------------------------------------------------------------------------


def test_shared_example_family_students(scenarios_dir):
    folder = scenarios_dir
    data = json.loads((folder / "underwrite-family-students.json").read_text(encoding="utf-8"))
    decision, persons, reasons = outcome(data)
    assert decision == "decline"
    assert persons == {
        "holder": ("accept", []),
        "spouse": ("accept", []),
        "student20": ("accept", []),
        "student27": ("decline", [("age-over-maximum", "004 Чл.24 т.2")]),
    }
    assert reasons == []


FAMILY = {"kind": "family", "start": "2026-02-01", "end": "2027-01-31"}


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        pytest.param(
            person("c", "child", "2008-02-02"),
            ("accept", []),
            id="004-chl24-t2-child-the-day-before-18",
        ),
        pytest.param(
            person("c", "child", "2008-02-01"),
            ("decline", [("child-not-student", "004 Чл.24 т.2")]),
            id="004-chl24-t2-child-18-not-student",
        ),
        pytest.param(
            person("c", "child", "2000-02-02", student=True),
            ("accept", []),
            id="004-chl24-t2-student-the-day-before-26",
        ),
        pytest.param(
            person("c", "child", "2000-02-01", student=True),
            ("decline", [("age-over-maximum", "004 Чл.24 т.2")]),
            id="004-chl24-t2-student-26-on-the-start",
        ),
        pytest.param(
            person("c", "child", "2004-05-05", student=True, married=True),
            ("decline", [("child-married", "004 Чл.24 т.2")]),
            id="004-chl24-t2-married-student",
        ),
        pytest.param(
            person("c", "cohabitant", "1990-01-01"), ("accept", []), id="004-chl24-t2-cohabitant"
        ),
        pytest.param(
            person("c", "spouse", "2009-01-01"),
            ("decline", [("age-under-minimum", "004 Чл.24 т.2")]),
            id="004-chl24-t2-spouse-under-18",
        ),
        pytest.param(
            person("c", "employee", "1990-01-01"),
            ("decline", [("role-not-allowed", "004 Чл.24 т.2")]),
            id="004-chl24-t2-employee-in-family",
        ),
    ],
)
def test_health_family_members(member, expected):
    _, persons, _ = outcome(scenario(person("h", birth="1980-01-01"), member, **FAMILY))
    assert persons["h"] == ("accept", [])
    assert persons["c"] == expected


def test_health_family_of_two_couples_is_declined():
    data = scenario(
        person("h", birth="1980-01-01"),
        person("s", "spouse", "1981-01-01"),
        person("c", "cohabitant", "1982-01-01"),
        **FAMILY,
    )
    decision, persons, reasons = outcome(data)
    assert decision == "decline"
    assert reasons == [("family-too-many-partners", "004 Чл.24 т.2")]
    assert {p[0] for p in persons.values()} == {"accept"}


# ---- health: declaration, residence, НЗОК, group -------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"declaration": {"answers": {"stroke": True}}},
            ("refer", [("declared-stroke", "004 Чл.9")]),
            id="004-chl9-chl10-stroke-refer",
        ),
        pytest.param(
            {"declaration": {"answers": {"aids": True}}},
            ("refer", [("declared-aids", "004 Чл.9; Чл.10; Чл.21(2)")]),
            id="004-chl10-chl21-2-aids-refer-not-decline",
        ),
        pytest.param(
            {"declaration": {"answers": {"organ_transplant": True, "epilepsy": True}}},
            (
                "refer",
                [
                    ("declared-organ-transplant", "004 Чл.9; Чл.10; Чл.21(2)"),
                    ("declared-epilepsy", "004 Чл.9"),
                ],
            ),
            id="004-chl10-chl21-2-transplant-refer-with-epilepsy",
        ),
        pytest.param(
            {"declaration": {"answers": {"stroke": False}}},
            ("accept", []),
            id="004-chl9-no-answers-yes",
        ),
        pytest.param(
            {"declaration": None},
            ("refer", [("declaration-missing", "004 Чл.23 т.1")]),
            id="004-chl23-t1-declaration-missing",
        ),
        pytest.param(
            {"declaration": {"answers": {}, "signed": "2025-09-30"}},
            ("refer", [("declaration-outdated", "004 Чл.23 т.2")]),
            id="004-chl23-t2-declaration-older-than-3-months",
        ),
        pytest.param(
            {"declaration": {"answers": {}, "signed": "2025-10-01"}},
            ("accept", []),
            id="004-chl23-t2-declaration-3-months-on-the-day",
        ),
        pytest.param(
            {"resident": False},
            ("decline", [("not-resident", "004 Чл.6")]),
            id="004-chl6-not-resident",
        ),
        pytest.param(
            {"nhif_rights": False},
            ("refer", [("no-nhif-rights", "004 Чл.6")]),
            id="004-chl6-no-nhif-rights",
        ),
    ],
)
def test_health_person_conditions(changes, expected):
    assert one(scenario(person(**changes))) == expected


def test_minor_declaration_must_come_from_a_parent():
    child = person(
        role="child", birth="2015-05-05", declaration={"answers": {}, "signed_by": "self"}
    )
    assert one(scenario(child)) == ("refer", [("declaration-not-by-parent", "004 Чл.23 т.1")])
    child["declaration"]["signed_by"] = "parent"
    assert one(scenario(child)) == ("accept", [])


def _group(n, *, declaration=True):
    return [
        person(
            f"e{i}", "employee", "1980-01-01", declaration={"answers": {}} if declaration else None
        )
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("size", "employer_paid", "expected_decision", "expected_person", "reasons"),
    [
        pytest.param(
            9,
            True,
            "decline",
            ("refer", [("declaration-missing", "004 Чл.23 т.1")]),
            [("group-too-small", "004 Чл.24 т.2")],
            id="004-chl24-t2-group-of-9",
        ),
        pytest.param(
            10,
            True,
            "refer",
            ("refer", [("declaration-missing", "004 Чл.23 т.1")]),
            [],
            id="004-chl23-t1-group-of-10-needs-declarations",
        ),
        pytest.param(
            21,
            True,
            "accept",
            ("accept", []),
            [],
            id="004-chl23-t3-group-over-20-legal-entity-waived",
        ),
        pytest.param(
            21,
            False,
            "refer",
            ("refer", [("declaration-missing", "004 Чл.23 т.1")]),
            [],
            id="004-chl23-t3-group-over-20-private-holder",
        ),
    ],
)
def test_health_group(size, employer_paid, expected_decision, expected_person, reasons):
    data = scenario(
        *_group(size, declaration=False),
        kind="group",
        group={"size": size, "employer_paid": employer_paid},
    )
    decision, persons, found = outcome(data)
    assert decision == expected_decision
    assert persons["e0"] == expected_person
    assert found == reasons


def test_health_individual_contract_insures_one_person():
    decision, _, reasons = outcome(scenario(person("a"), person("b")))
    assert (decision, reasons) == ("decline", [("too-many-persons", "004 Чл.24 т.2")])


# ---- best-doctors: both versions -----------------------------------------------------------

BD2019 = {
    "product": "best-doctors",
    "version": "2019-02-01",
    "start": "2026-01-01",
    "end": "2026-12-31",
}
BD2015 = {
    "product": "best-doctors",
    "version": "2015-10-01",
    "start": "2016-01-01",
    "end": "2020-12-31",
}


@pytest.mark.parametrize(
    ("terms", "birth", "expected"),
    [
        pytest.param(BD2019, "1961-07-01", ("accept", []), id="001-t5-64-and-6-months-completed"),
        pytest.param(
            BD2015,
            "1951-07-01",
            ("decline", [("age-over-maximum", "003 т.4")]),
            id="003-t5-64-and-6-months-rounds-to-65",
        ),
        pytest.param(BD2015, "1951-07-02", ("accept", []), id="003-t5-64-and-5-months-stays-64"),
        pytest.param(BD2015, "1998-07-01", ("accept", []), id="003-t5-17-and-6-months-counts-18"),
        pytest.param(
            BD2019,
            "2008-07-01",
            ("decline", [("age-under-minimum", "001 т.4")]),
            id="001-t4-individual-under-18",
        ),
    ],
)
def test_best_doctors_individual_ages(terms, birth, expected):
    assert one(scenario(person(birth=birth), **terms)) == expected


@pytest.mark.parametrize(
    ("terms", "birth", "end", "expected"),
    [
        pytest.param(
            BD2019,
            "1942-01-01",
            "2027-01-01",
            ("accept", []),
            id="001-t23-renewal-ends-on-85th-birthday",
        ),
        pytest.param(
            BD2019,
            "1942-01-01",
            "2027-01-02",
            ("decline", [("age-at-end-over-maximum", "001 т.23; т.24")]),
            id="001-t23-renewal-past-85th-birthday",
        ),
    ],
)
def test_best_doctors_renewal_past_64_until_85(terms, birth, end, expected):
    data = scenario(person(birth=birth, declaration=None), renewal=True, **{**terms, "end": end})
    assert one(data) == expected


def test_best_doctors_2015_counts_85_in_completed_years_at_the_end():
    data = scenario(
        person(birth="1935-06-01", declaration=None),
        renewal=True,
        **{**BD2015, "end": "2021-05-31"},
    )
    assert one(data) == ("accept", [])


def test_best_doctors_new_contract_over_64_is_declined():
    assert one(scenario(person(birth="1960-01-01"), **BD2019)) == (
        "decline",
        [("age-over-maximum", "001 т.4")],
    )


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        pytest.param(BD2019, ("accept", []), id="001-definitions-partner-allowed"),
        pytest.param(
            BD2015, ("decline", [("role-not-allowed", "003 т.4")]), id="003-t4-only-spouses"
        ),
    ],
)
def test_best_doctors_cohabitant(terms, expected):
    data = scenario(
        person("h", birth="1980-01-01"),
        person("c", "cohabitant", "1982-01-01"),
        kind="family",
        **terms,
    )
    assert outcome(data)[1]["c"] == expected


@pytest.mark.parametrize(
    ("terms", "birth", "expected"),
    [
        pytest.param(BD2019, "2007-06-01", ("accept", []), id="001-t4-child-18"),
        pytest.param(
            BD2019,
            "2006-12-31",
            ("decline", [("age-over-maximum", "001 т.4")]),
            id="001-t4-child-19",
        ),
        pytest.param(
            BD2019,
            "2005-06-01",
            ("decline", [("age-over-maximum", "001 т.4")]),
            id="001-t4-student-20-not-covered",
        ),
    ],
)
def test_best_doctors_children(terms, birth, expected):
    data = scenario(
        person("h", birth="1980-01-01"),
        person("c", "child", birth, student=True),
        kind="family",
        **terms,
    )
    assert outcome(data)[1]["c"] == expected


def test_best_doctors_children_only_with_a_parent():
    data = scenario(person("c", "child", "2015-01-01"), kind="family", **BD2019)
    decision, persons, reasons = outcome(data)
    assert (decision, persons["c"][0]) == ("decline", "accept")
    assert reasons == [("family-children-without-parent", "001 т.14")]


@pytest.mark.parametrize(
    ("terms", "answers", "expected"),
    [
        pytest.param(
            BD2019,
            {"chronic_disease": True},
            ("decline", [("declared-chronic-disease", "001 т.12.2")]),
            id="001-t12-2-only-all-no-answers",
        ),
        pytest.param(
            BD2015,
            {"dangerous_sport": True},
            ("decline", [("declared-dangerous-sport", "003 т.12.1")]),
            id="003-t12-1-only-all-no-answers",
        ),
    ],
)
def test_best_doctors_declaration(terms, answers, expected):
    assert one(scenario(person(declaration={"answers": answers}), **terms)) == expected


@pytest.mark.parametrize(
    ("terms", "start", "end", "reasons"),
    [
        pytest.param(BD2015, "2016-01-01", "2020-12-31", [], id="003-t20-five-years"),
        pytest.param(
            BD2015,
            "2016-01-01",
            "2019-12-31",
            [("term-too-short", "003 т.20")],
            id="003-t20-four-years-too-short",
        ),
        pytest.param(BD2015, "2016-01-01", "2046-01-01", [], id="003-t20-thirty-years"),
        pytest.param(
            BD2015,
            "2016-01-01",
            "2046-01-02",
            [("term-too-long", "003 т.20")],
            id="003-t20-over-thirty-years",
        ),
        pytest.param(BD2019, "2026-01-01", "2026-12-31", [], id="001-no-minimum-term"),
    ],
)
def test_best_doctors_individual_term(terms, start, end, reasons):
    data = scenario(person(birth="1990-01-01"), **{**terms, "start": start, "end": end})
    assert outcome(data)[2] == reasons


@pytest.mark.parametrize(
    ("terms", "size", "end", "paid", "decision", "reasons", "person_expected"),
    [
        pytest.param(
            BD2015,
            31,
            "2016-12-31",
            True,
            "accept",
            [],
            ("accept", []),
            id="003-t17-group-over-30-no-declaration",
        ),
        pytest.param(
            BD2015,
            30,
            "2016-12-31",
            True,
            "refer",
            [],
            ("refer", [("declaration-missing", "003 т.17")]),
            id="003-t17-group-of-30-declares",
        ),
        pytest.param(
            BD2015,
            31,
            "2019-12-31",
            True,
            "decline",
            [("term-too-long", "003 т.20")],
            ("accept", []),
            id="003-t20-group-over-3-years",
        ),
        pytest.param(
            BD2019,
            31,
            "2026-12-31",
            False,
            "decline",
            [("group-not-employer-paid", "001 т.15")],
            ("accept", []),
            id="001-t15-group-paid-by-employer",
        ),
    ],
)
def test_best_doctors_group(terms, size, end, paid, decision, reasons, person_expected):
    data = scenario(
        *_group(size, declaration=False),
        kind="group",
        group={"size": size, "employer_paid": paid},
        **{**terms, "end": end},
    )
    found, persons, own = outcome(data)
    assert (found, own, persons["e0"]) == (decision, reasons, person_expected)


def test_version_defaults_to_the_terms_in_force_on_the_start():
    early = scenario(
        person("h", birth="1980-01-01"),
        person("c", "cohabitant", "1982-01-01"),
        kind="family",
        product="best-doctors",
        start="2018-06-01",
        end="2023-05-31",
    )
    assert outcome(early)[1]["c"] == ("decline", [("role-not-allowed", "003 т.4")])
    late = copy.deepcopy(early)
    late["contract"].update(start="2019-06-01", end="2024-05-31")
    assert outcome(late)[1]["c"] == ("accept", [])


# ---- malformed scenarios -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        pytest.param(
            lambda d: d["persons"][0].pop("birth_date"),
            "persons[0].birth_date",
            id="missing-birth-date",
        ),
        pytest.param(
            lambda d: d["persons"][0].update(birth_date="1985-02-30"),
            "persons[0].birth_date",
            id="bad-date",
        ),
        pytest.param(
            lambda d: d["persons"][0].update(role="uncle"), "persons[0].role", id="unknown-role"
        ),
        pytest.param(
            lambda d: d["persons"][0].update(student="yes"),
            "persons[0].student",
            id="student-not-bool",
        ),
        pytest.param(
            lambda d: d["persons"][0]["declaration"]["answers"].update(gout=True),
            "persons[0].declaration.answers.gout",
            id="unknown-declaration-key",
        ),
        pytest.param(
            lambda d: d["contract"].update(type="corporate"),
            "contract.type",
            id="unknown-contract-type",
        ),
        pytest.param(
            lambda d: d["contract"].update(end="2025-12-31"), "contract.end", id="end-before-start"
        ),
        pytest.param(lambda d: d.update(version="2020-01-01"), "version", id="unknown-version"),
        pytest.param(lambda d: d.update(product="dental"), "product", id="unknown-product"),
        pytest.param(lambda d: d.update(persons=[]), "persons", id="nobody"),
        pytest.param(
            lambda d: d["persons"].append(dict(d["persons"][0])), "persons[1].id", id="duplicate-id"
        ),
    ],
)
def test_malformed_scenario_names_the_field(mutate, field):
    data = scenario(person())
    mutate(data)
    with pytest.raises(ScenarioError) as caught:
        run_scenario(data, catalog())
    assert caught.value.field == field


def test_cli_underwrite_prints_the_decision(scenarios_dir, capsys):
    from zdrave.engine.cli import run

    status = run("underwrite", [str(scenarios_dir / "underwrite-family-students.json")])
    printed = json.loads(capsys.readouterr().out)
    assert status == 0
    assert printed["decision"] == "decline"
    assert [p["decision"] for p in printed["persons"]] == ["accept", "accept", "accept", "decline"]


# ---- health: 004 Чл.17, packages not sold alone (issue 15) ----------------------------------


@pytest.mark.parametrize(
    ("packages", "expected"),
    [
        pytest.param([5], "decline", id="004-chl17-goods-alone-refused"),
        pytest.param([6], "decline", id="004-chl17-dental-alone-refused"),
        pytest.param([5, 6], "decline", id="004-chl17-goods-and-dental-only-refused"),
        pytest.param([2, 6], "accept", id="004-chl17-dental-with-outpatient-accepted"),
        pytest.param([], "accept", id="004-chl17-no-cover-listed-not-checked"),
    ],
)
def test_packages_5_and_6_are_not_sold_alone(packages, expected):
    data = scenario(person())
    data["cover"] = [{"package": n, "option": "full", "clause": "Б2"} for n in packages]
    decision, _persons, reasons = outcome(data)
    assert decision == expected
    if expected == "decline":
        assert reasons == [("packages-not-sold-alone", "004 Чл.17")]


@pytest.mark.parametrize(
    ("signed", "expected"),
    [
        pytest.param(
            "2026-02-28", "refer", id="004-chl23-t2-zzd-72-feb-28-plus-3-months-is-may-28"
        ),
        pytest.param("2026-03-01", "accept", id="004-chl23-t2-zzd-72-within-3-months"),
    ],
)
def test_declaration_validity_counted_forward_from_the_signature(signed, expected):
    data = scenario(
        person(declaration={"answers": {}, "signed": signed}), start="2026-05-31", end="2027-05-30"
    )
    decision, _persons, _reasons = outcome(data)
    assert decision == expected
