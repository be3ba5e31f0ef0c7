"""The Extra Care member services (seed 000) as data: steps with their clause, eligibility, the
partner's e-mail subjects with a configurable partner name, the translation allowance, the fee
waiver and the reminder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from zdrave.engine.terms.loader import load_catalog
from zdrave.engine.terms.member_services import MemberServicesTerms, with_partner

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "products")
VERSION = CATALOG.version("extra-care")
TERMS = VERSION.member_services
OPINION = TERMS.service("second-opinion")
PSYCHOLOGIST = TERMS.service("psychologist-consultation")


def test_partner_is_a_configurable_partners_entry() -> None:
    assert [p.code for p in VERSION.partners] == ["diagnose-me"]
    assert OPINION.partner == PSYCHOLOGIST.partner == "diagnose-me"


@pytest.mark.parametrize(
    ("service", "steps"),
    [
        pytest.param(OPINION, 17, id="000-a-second-opinion-17-steps"),
        pytest.param(PSYCHOLOGIST, 7, id="000-b-psychologist-7-steps"),
    ],
)
def test_steps_are_numbered_and_cited(service: Any, steps: int) -> None:
    letter = "а" if service is OPINION else "б"
    assert [s.number for s in service.steps] == list(range(1, steps + 1))
    assert [s.clause for s in service.steps] == [
        f"000 {letter}) стъпка {n}" for n in range(1, steps + 1)
    ]


@pytest.mark.parametrize(
    ("service", "email", "partner", "language", "subject"),
    [
        pytest.param(
            OPINION,
            "registration",
            "Diagnose.me",
            "bg",
            "Extra Care – второ медицинско мнение чрез Diagnose.me",
            id="000-a-step-7-subject-bg",
        ),
        pytest.param(
            OPINION,
            "registration",
            "Diagnose.me",
            "en",
            "Extra Care – second medical opinion through Diagnose.me",
            id="000-a-step-7-subject-en",
        ),
        pytest.param(
            PSYCHOLOGIST,
            "proposed-dates",
            "Diagnose.me",
            "bg",
            "Extra Care – консултация чрез Diagnose.me",
            id="000-b-step-5-subject-bg",
        ),
        pytest.param(
            PSYCHOLOGIST,
            "proposed-dates",
            "MedPartner",
            "bg",
            "Extra Care – консултация чрез MedPartner",
            id="000-b-step-5-other-partner",
        ),
    ],
)
def test_email_subjects_name_the_configured_partner(
    service: Any, email: str, partner: str, language: str, subject: str
) -> None:
    assert service.email(email).render_subject(partner, language) == subject


def test_000_a_step_6_text_names_the_partner() -> None:
    assert with_partner(OPINION.step("partner-receives").title.bg, "Diagnose.me") == (
        "Екипът на Diagnose.me получава заявката"
    )


@pytest.mark.parametrize(
    ("images", "pages", "free", "member_chooses"),
    [
        pytest.param(2, 5, True, False, id="000-a-step-14-within-allowance"),
        pytest.param(3, 5, False, False, id="000-a-step-14-one-more-by-exception"),
        pytest.param(3, 6, False, False, id="000-a-step-14-two-more-by-exception"),
        pytest.param(4, 6, False, True, id="000-a-step-14-large-volume-member-chooses"),
    ],
)
def test_000_a_step_14_translation_allowance(
    images: int, pages: int, free: bool, member_chooses: bool
) -> None:
    allowance = OPINION.translation
    assert (allowance.images, allowance.pages) == (2, 5)
    assert allowance.translated_free(images, pages) is free
    assert allowance.member_must_choose(images, pages) is member_chooses


@pytest.mark.parametrize(
    ("covers", "allowed"),
    [
        pytest.param({"health", "extra-care"}, True, id="000-a-step-1-with-extra-care"),
        pytest.param({"health"}, False, id="000-a-step-1-health-only"),
        pytest.param(set(), False, id="000-a-step-1-no-contract"),
    ],
)
def test_000_step_1_only_members_with_extra_care(covers: set[str], allowed: bool) -> None:
    assert OPINION.eligibility.allows(covers) is allowed
    assert PSYCHOLOGIST.eligibility.allows(covers) is allowed


def test_000_a_step_16_free_for_the_insurers_clients() -> None:
    assert OPINION.cost.free_for_clients
    assert OPINION.cost.clause == "000 а) стъпка 16"
    assert PSYCHOLOGIST.cost.free_for_clients


def test_000_b_step_7_reminder_one_hour_before() -> None:
    assert PSYCHOLOGIST.reminder.minutes_before == 60
    assert PSYCHOLOGIST.reminder.clause == "000 б) стъпка 7"


def test_languages_of_question_report_and_chat() -> None:
    assert OPINION.question_languages == ["bg", "en", "specialist"]  # 000 а) стъпка 12
    assert OPINION.report_languages == ["bg", "en"]  # 000 а) стъпка 14
    assert OPINION.chat_languages == ["bg", "en"]  # 000 а) стъпка 9
    assert PSYCHOLOGIST.channels == ["video", "phone"]  # 000 б) стъпка 6


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(lambda s: s["steps"].pop(3), "numbered 1, 2, 3", id="step-missing"),
        pytest.param(
            lambda s: s["steps"][0].update(clause="стъпка 1"), "citation", id="step-without-seed"
        ),
        pytest.param(
            lambda s: s["translation"].update(extra_by_exception_min=3),
            "extra_by_exception",
            id="exception-range",
        ),
        pytest.param(lambda s: s.update(code="massage"), "second-opinion", id="unknown-service"),
        pytest.param(
            lambda s: s["emails"][1].pop("subject_note"),
            "project's own wording",
            id="000-own-subject-without-note",
        ),
    ],
)
def test_schema_refuses_bad_services(change: Any, message: str) -> None:
    data = TERMS.model_dump(mode="json", exclude_none=True)
    change(data["services"][0])
    with pytest.raises(ValidationError, match=message):
        MemberServicesTerms.model_validate(data)


@pytest.fixture(scope="module")
def seed_000(seeds_dir: Path) -> str:
    """Seed 000's text with white space folded (docs/seeds.md: outside a plain clone, skipped)."""
    return " ".join((seeds_dir / "000_2b66b974f24c6cd6.txt").read_text(encoding="utf-8").split())


EMAILS = [
    pytest.param(service, email, id=f"{service.code}-{email.code}")
    for service in (OPINION, PSYCHOLOGIST)
    for email in service.emails
]


@pytest.mark.parametrize(("service", "email"), EMAILS)
def test_000_email_subject_cited_only_where_the_seed_quotes_it(
    service: Any, email: Any, seed_000: str
) -> None:
    quoted = [
        with_partner(email.subject.get(language), "Diagnose.me") in seed_000
        for language in ("bg", "en")
    ]
    if email.subject_clause is not None:
        assert quoted == [True, True]
        assert email.subject_clause in {"000 а) стъпка 7", "000 б) стъпка 5"}
    else:
        assert quoted == [False, False]
        assert "project's own wording" in email.subject_note.en


def test_000_quotes_two_subjects_and_the_data_cites_exactly_those() -> None:
    cited = sorted(e.subject_clause for _, e in (p.values for p in EMAILS) if e.subject_clause)

    assert cited == ["000 а) стъпка 7", "000 б) стъпка 5"]


def test_000_extra_care_is_an_add_on_of_a_health_insurance() -> None:
    assert VERSION.insurer.code == "bulstrad-life"
    assert VERSION.sold_with == ["health"]
    assert VERSION.sold_with_clause == "000 а) стъпка 1"


@pytest.mark.parametrize(
    ("clause", "words"),
    [
        pytest.param("000 а) стъпка 1", "Булстрад Живот", id="000-sold-with-zhzi-health-assumed"),
        pytest.param("000 (без дата)", "01.11.2022", id="000-undated-2022-11-01-assumed"),
    ],
)
def test_000_what_the_seed_does_not_say_is_an_assumption_on_the_page(
    clause: str, words: str
) -> None:
    found = [a for a in VERSION.assumptions if a.clause == clause]

    assert len(found) == 1
    assert words in found[0].text.bg
    assert "project" in found[0].text.en
    assert VERSION.effective_from.isoformat() == "2022-11-01"
