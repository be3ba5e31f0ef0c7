"""Rules that live in the real `health` product's 004 data, checked through the engine:
exceptions printed inside an exclusion item of 004 Чл.21(1) lift the exclusion (influenza during
a declared epidemic, т.3; termination of pregnancy on medical indication, т.5), and documents the
annex asks for only with some services (004 Приложение №1 IV.1: the dental X-ray)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from zdrave.engine.adjudication import run_scenario
from zdrave.engine.terms.loader import default_products_root, load_catalog

CATALOG = load_catalog(default_products_root())
BASE = json.loads(
    (Path(__file__).parent / "fixtures" / "health-claim.json").read_text(encoding="utf-8")
)


def decide(diagnosis: str, circumstances: list[str]) -> dict:
    data = copy.deepcopy(BASE)
    data["cover"] = [{"package": 2, "option": "full", "clause": "Б1"}]
    data["claim"]["diagnosis"] = diagnosis
    data["claim"]["circumstances"] = circumstances
    return run_scenario(data, CATALOG)


def codes(decision: dict) -> set[str]:
    return {r["code"] for line in decision["lines"] for r in line["reasons"]}


@pytest.mark.parametrize(
    ("diagnosis", "circumstances", "excluded"),
    [
        pytest.param(
            "A09", ["epidemic"], True, id="004-chl21-t3-epidemic-gastroenteritis-excluded"
        ),
        pytest.param(
            "J10.1", ["epidemic"], False, id="004-chl21-t3-influenza-epidemic-not-excluded"
        ),
        pytest.param("J11.1", ["epidemic"], False, id="004-chl21-t3-influenza-unidentified-virus"),
        pytest.param("J06.9", [], False, id="004-chl21-t3-no-epidemic-recorded"),
    ],
)
def test_epidemics_are_excluded_except_influenza(diagnosis, circumstances, excluded):
    decision = decide(diagnosis, circumstances)

    assert ("excluded-epidemic" in codes(decision)) is excluded
    assert decision["outcome"] == ("rejected" if excluded else "approved")
    assert decision["payable"] == ("0.00" if excluded else "64.00")


@pytest.mark.parametrize(
    ("circumstances", "excluded"),
    [
        pytest.param([], True, id="004-chl21-t5-abortion-excluded"),
        pytest.param(["medical-indication"], False, id="004-chl21-t5-on-medical-indication-paid"),
    ],
)
def test_termination_of_pregnancy_is_excluded_unless_medically_indicated(circumstances, excluded):
    decision = decide("O04.9", circumstances)

    assert ("excluded-abortion" in codes(decision)) is excluded


@pytest.mark.parametrize(
    ("service", "documents", "missing"),
    [
        pytest.param(
            "6.2.c", ["dental-status"], ["x-ray"], id="004-annex1-IV1-extraction-needs-x-ray"
        ),
        pytest.param("6.2.c", ["dental-status", "x-ray"], [], id="004-annex1-IV1-x-ray-given"),
        pytest.param("6.2.a", ["dental-status"], [], id="004-annex1-IV1-filling-needs-no-x-ray"),
    ],
)
def test_an_x_ray_is_asked_for_only_with_the_dental_services_that_need_one(
    service, documents, missing
):
    data = copy.deepcopy(BASE)
    data["cover"] = [{"package": 6, "option": "full", "clause": "Б1"}]
    data["claim"]["diagnosis"] = "K04.0"
    data["claim"]["documents"] = [*data["claim"]["documents"], *documents]
    data["claim"]["lines"][0]["service"] = service

    decision = run_scenario(data, CATALOG)

    assert decision["missing_documents"] == missing
    assert decision["outcome"] == ("pending" if missing else "approved")
