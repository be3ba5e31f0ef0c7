"""The curated vocabulary and the demo directory meet the brief's minimums and are coherent."""

from __future__ import annotations

from collections import Counter

import yaml

from zdrave.member_services.specialists.directory import VOCABULARY_FILE


def test_the_vocabulary_has_at_least_twenty_specialties_with_names_in_both_languages(vocabulary):
    assert len(vocabulary.specialties) == 28
    for ref in vocabulary.specialties.values():
        assert ref.name_bg, ref.code
        assert ref.name_en, ref.code


def test_every_vocabulary_term_maps_with_a_weight_between_zero_and_one():
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    for group in data["terms"]:
        assert group["bg"], group
        assert group["en"], group
        assert all(0 < weight <= 1 for weight in group["maps"].values()), group


def test_the_demo_directory_covers_the_specialties(records, vocabulary):
    specialists = [r for r in records if r.kind == "specialist"]
    therapists = [r for r in records if r.kind == "therapist"]
    covered = Counter(code for r in specialists for code in r.specialties)

    assert len(specialists) >= 40
    assert len(therapists) >= 6
    assert set(vocabulary.specialties) - set(covered) == {"psychology", "psychotherapy"}
    assert {r.country_code for r in specialists} >= {"BG", "DE", "AT", "CH", "SE", "FR", "IL"}
    assert {lang for r in records for lang in r.languages} >= {"bg", "en", "de", "ru", "fr"}
    assert all(set(r.specialties) <= {"psychology", "psychotherapy"} for r in therapists)
