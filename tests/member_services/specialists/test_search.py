"""The directory search (000 стъпка 3: find a specialist by keywords — specialty, body part,
disease, symptoms) over the demo data files, without a database."""

from __future__ import annotations

import pytest

from zdrave.member_services.specialists.search import (
    SearchIndex,
    SpecialistEntry,
    SpecialtyRef,
    Vocabulary,
)

SPECIALIST, THERAPIST = "specialist", "therapist"

# (query, kind, specialties every one of the top `n` results must have one of, n, name first)
QUERIES = [
    # specialty names, both languages and alphabets
    pytest.param(
        "кардиолог",
        SPECIALIST,
        {"cardiology"},
        4,
        "Thomas Keller",
        id="000-st3-specialty-bg-кардиолог",
    ),
    pytest.param(
        "cardiologist", SPECIALIST, {"cardiology"}, 4, None, id="000-st3-specialty-en-cardiologist"
    ),
    pytest.param("kardiolog", SPECIALIST, {"cardiology"}, 4, None, id="000-st3-latin-kardiolog"),
    pytest.param(
        "gastroenterolog",
        SPECIALIST,
        {"gastroenterology"},
        2,
        None,
        id="000-st3-latin-gastroenterolog",
    ),
    pytest.param(
        "онкология", SPECIALIST, {"oncology"}, 5, None, id="000-st3-specialty-bg-онкология"
    ),
    pytest.param(
        "ортопед",
        SPECIALIST,
        {"orthopaedics"},
        3,
        "Nikolay Hristov",
        id="000-st3-specialty-bg-ортопед",
    ),
    pytest.param("ENT", SPECIALIST, {"ent"}, 2, None, id="000-st3-specialty-en-ENT"),
    pytest.param("УНГ", SPECIALIST, {"ent"}, 2, None, id="000-st3-specialty-bg-УНГ"),
    pytest.param(
        "детски лекар", SPECIALIST, {"paediatrics"}, 2, None, id="000-st3-specialty-bg-детски-лекар"
    ),
    pytest.param(
        "eye doctor",
        SPECIALIST,
        {"ophthalmology"},
        1,
        "Milena Ruseva",
        id="000-st3-specialty-en-eye-doctor",
    ),
    # typos
    pytest.param("kardiolg", SPECIALIST, {"cardiology"}, 4, None, id="000-st3-typo-kardiolg"),
    pytest.param("onkolog", SPECIALIST, {"oncology"}, 5, None, id="000-st3-typo-onkolog"),
    pytest.param("dermatolgy", SPECIALIST, {"dermatology"}, 2, None, id="000-st3-typo-dermatolgy"),
    pytest.param("neurolgist", SPECIALIST, {"neurology"}, 3, None, id="000-st3-typo-neurolgist"),
    pytest.param(
        "ендокринлог", SPECIALIST, {"endocrinology"}, 2, None, id="000-st3-typo-ендокринлог"
    ),
    # word forms
    pytest.param("сърцето", SPECIALIST, {"cardiology"}, 4, None, id="000-st3-form-сърцето"),
    pytest.param("hearts", SPECIALIST, {"cardiology"}, 4, None, id="000-st3-form-hearts"),
    pytest.param("коленете", SPECIALIST, {"orthopaedics"}, 3, None, id="000-st3-form-коленете"),
    pytest.param("knees", SPECIALIST, {"orthopaedics"}, 3, None, id="000-st3-form-knees"),
    pytest.param(
        "кардиологията", SPECIALIST, {"cardiology"}, 4, None, id="000-st3-form-кардиологията"
    ),
    # body parts
    pytest.param(
        "knee", SPECIALIST, {"orthopaedics"}, 3, "Nikolay Hristov", id="000-st3-body-knee"
    ),
    pytest.param(
        "коляно", SPECIALIST, {"orthopaedics"}, 3, "Nikolay Hristov", id="000-st3-body-коляно"
    ),
    pytest.param(
        "щитовидна жлеза",
        SPECIALIST,
        {"endocrinology"},
        2,
        "Gergana Vasileva",
        id="000-st3-body-щитовидна-жлеза",
    ),
    pytest.param(
        "бъбреци",
        SPECIALIST,
        {"nephrology", "urology"},
        3,
        "Hristo Iliev",
        id="000-st3-body-бъбреци",
    ),
    pytest.param("eyes", SPECIALIST, {"ophthalmology"}, 1, None, id="000-st3-body-eyes"),
    # diseases
    pytest.param(
        "рак на гърдата",
        SPECIALIST,
        {"oncology", "breast-surgery"},
        5,
        "Claire Dubois",
        id="000-st3-disease-рак-на-гърдата",
    ),
    pytest.param(
        "breast cancer",
        SPECIALIST,
        {"oncology", "breast-surgery"},
        5,
        "Claire Dubois",
        id="000-st3-disease-breast-cancer",
    ),
    pytest.param("диабет", SPECIALIST, {"endocrinology"}, 2, None, id="000-st3-disease-диабет"),
    pytest.param(
        "psoriasis",
        SPECIALIST,
        {"dermatology"},
        2,
        "Irina Belcheva",
        id="000-st3-disease-psoriasis",
    ),
    pytest.param(
        "левкемия", SPECIALIST, {"haematology"}, 2, "Georgi Stoyanov", id="000-st3-disease-левкемия"
    ),
    pytest.param(
        "катаракта", SPECIALIST, {"ophthalmology"}, 1, None, id="000-st3-disease-катаракта"
    ),
    pytest.param(
        "prostate cancer",
        SPECIALIST,
        {"oncology", "urology"},
        3,
        None,
        id="000-st3-disease-prostate-cancer",
    ),
    pytest.param(
        "дискова херния",
        SPECIALIST,
        {"neurosurgery", "orthopaedics"},
        3,
        "Dimitar Pavlov",
        id="000-st3-disease-дискова-херния",
    ),
    # symptoms
    pytest.param(
        "болки в гърба",
        SPECIALIST,
        {"orthopaedics", "neurology", "rehabilitation"},
        6,
        None,
        id="000-st3-symptom-болки-в-гърба",
    ),
    pytest.param(
        "back pain",
        SPECIALIST,
        {"orthopaedics", "neurology", "rehabilitation"},
        6,
        None,
        id="000-st3-symptom-back-pain",
    ),
    pytest.param(
        "главоболие",
        SPECIALIST,
        {"neurology"},
        3,
        "Ralitsa Kirova",
        id="000-st3-symptom-главоболие",
    ),
    pytest.param(
        "headache", SPECIALIST, {"neurology"}, 3, "Ralitsa Kirova", id="000-st3-symptom-headache"
    ),
    pytest.param(
        "shortness of breath",
        SPECIALIST,
        {"pulmonology"},
        2,
        "Kaloyan Metodiev",
        id="000-st3-symptom-shortness-of-breath",
    ),
    pytest.param(
        "задух", SPECIALIST, {"pulmonology"}, 2, "Kaloyan Metodiev", id="000-st3-symptom-задух"
    ),
    pytest.param(
        "световъртеж",
        SPECIALIST,
        {"neurology"},
        1,
        "Ralitsa Kirova",
        id="000-st3-symptom-световъртеж",
    ),
    # therapists (000, консултация с психолог, стъпка 3)
    pytest.param(
        "тревожност",
        THERAPIST,
        {"psychology", "psychotherapy"},
        4,
        None,
        id="000-psy-st3-тревожност",
    ),
    pytest.param(
        "insomnia", THERAPIST, {"psychology"}, 1, "Felix Bauer", id="000-psy-st3-insomnia"
    ),
    pytest.param("psiholog", THERAPIST, {"psychology"}, 5, None, id="000-psy-st3-latin-psiholog"),
    # the person and the place
    pytest.param(
        "Маринова", SPECIALIST, {"cardiology"}, 1, "Elena Marinova", id="000-st4-name-cyrillic"
    ),
    pytest.param(
        "marinova", SPECIALIST, {"cardiology"}, 1, "Elena Marinova", id="000-st4-name-latin"
    ),
    pytest.param(
        "кардиолог Берлин",
        SPECIALIST,
        {"cardiology"},
        4,
        "Thomas Keller",
        id="000-st3-specialty-and-city",
    ),
]


@pytest.mark.parametrize(("query", "kind", "specialties", "n", "first"), QUERIES)
def test_query_finds_the_right_specialists(index, query, kind, specialties, n, first):
    results = index.search(query, kind=kind)

    top = results[:n]
    assert len(top) == n, [r.entry.name_en for r in results]
    for result in top:
        assert specialties & set(result.entry.specialty_codes), (result.entry.name_en, query)
    if first is not None:
        assert results[0].entry.name_en == first


def test_the_table_covers_both_languages_and_thirty_queries():
    assert len(QUERIES) >= 30
    cyrillic = [p for p in QUERIES if any("а" <= c <= "я" for c in p.values[0].lower())]
    assert len(cyrillic) >= 15
    assert len(QUERIES) - len(cyrillic) >= 15


def test_a_specialty_name_ranks_above_a_symptom_mapping(index):
    # "сърце" maps to cardiology (1.0) more strongly than to cardiac surgery (0.6), but
    # "кардиохирург" names cardiac surgery: the name wins.
    results = index.search("кардиохирург сърце", kind=SPECIALIST)

    assert [(r.entry.name_en, r.score) for r in results[:3]] == [
        ("Andreas Huber", 106.3),  # 100 · name + 10 · 0.6 mapping + "сърце" in his conditions
        ("Stefan Ganev", 106.0),
        ("Elena Marinova", 10.3),
    ]


def test_a_heavier_mapping_ranks_above_a_lighter_one(index):
    results = index.search("heart", kind=SPECIALIST)

    cardiology = [r for r in results if "cardiology" in r.entry.specialty_codes]
    surgery = [r for r in results if r.entry.specialty_codes == ("cardiac-surgery",)]
    assert min(r.score for r in cardiology) > max(r.score for r in surgery)
    assert results[: len(cardiology)] == cardiology


def test_equal_matches_are_ordered_by_experience(index):
    results = index.search("кардиолог", kind=SPECIALIST)

    years = [r.entry.experience_years for r in results]
    assert years == [27, 24, 24, 15]
    assert len({r.score for r in results}) == 1


def test_a_typo_scores_below_the_correct_spelling(index):
    exact = index.search("кардиолог")[0]
    typo = index.search("kardiolg")[0]

    assert exact.score == 100.0
    assert typo.score == 85.0  # one edit in a word of nine letters


def test_an_empty_query_lists_everyone_of_the_kind_by_experience(index):
    therapists = index.search("   ", kind=THERAPIST)

    assert len(therapists) == 8
    years = [r.entry.experience_years for r in therapists]
    assert years == sorted(years, reverse=True)
    assert {r.score for r in therapists} == {0.0}


def test_words_that_mean_nothing_to_the_directory_find_nobody(index):
    assert index.search("qwzx плмбр") == []


def test_a_query_of_only_filler_words_lists_everyone(index):
    assert len(index.search("the and of")) == 58
    assert len(index.search("имам проблем с")) == 58


def test_short_words_are_not_guessed_as_typos(index):
    # "рак" (cancer) is three letters: one wrong letter must not turn it into another word.
    assert index.search("рек") == []


def test_kind_keeps_specialists_and_therapists_apart(index):
    assert {r.entry.kind for r in index.search("тревожност", kind=THERAPIST)} == {THERAPIST}
    assert {r.entry.kind for r in index.search("тревожност", kind=SPECIALIST)} == {SPECIALIST}


def test_each_result_carries_its_specialties_in_both_languages(index):
    result = index.search("breast cancer")[0]

    assert result.entry.specialties == (
        SpecialtyRef("oncology", "Онкология", "Oncology"),
        SpecialtyRef("breast-surgery", "Хирургия на млечната жлеза", "Breast surgery"),
    )
    assert result.matched_specialties == ("oncology", "breast-surgery")


def test_live_search_finds_a_word_still_being_typed(index):
    results = index.search("gastroent")

    assert [r.entry.name_en for r in results[:2]] == ["Yosef Cohen", "Viktoria Simeonova"]


def test_a_specialty_added_outside_the_vocabulary_is_found_by_its_name():
    vocabulary = Vocabulary({}, ()).with_specialties(
        [SpecialtyRef("sleep", "Сънна медицина", "Sleep medicine")]
    )
    entry = SpecialistEntry(
        1, SPECIALIST, "Иван Иванов", "Ivan Ivanov", (vocabulary.specialties["sleep"],), 5
    )

    results = SearchIndex([entry], vocabulary).search("sleep medicine")

    assert [(r.entry.id, r.score) for r in results] == [(1, 100.0)]
