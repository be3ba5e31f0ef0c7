"""GET /api/v1/specialists: the directory search as JSON (000 стъпка 3)."""

from __future__ import annotations

import pytest

URL = "/api/v1/specialists"


def test_results_are_ranked_with_their_specialties_in_both_languages(client, directory):
    response = client.get(URL, {"q": "knee", "lang": "en", "limit": 2})

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": directory["dm-015"].pk,
            "kind": "specialist",
            "name": "Nikolay Hristov",
            "title": "Prof. Dr",
            "specialties": [
                {
                    "code": "orthopaedics",
                    "name_bg": "Ортопедия и травматология",
                    "name_en": "Orthopaedics and traumatology",
                }
            ],
            "languages": ["bg", "en", "de"],
            "institution": "Pirogov University Hospital for Emergency Medicine",
            "city": "Sofia",
            "country": "Bulgaria",
            "country_code": "BG",
            "experience_years": 28,
            "score": 10.6,
        },
        {
            "id": directory["dm-016"].pk,
            "kind": "specialist",
            "name": "Javier García",
            "title": "Dr",
            "specialties": [
                {
                    "code": "orthopaedics",
                    "name_bg": "Ортопедия и травматология",
                    "name_en": "Orthopaedics and traumatology",
                }
            ],
            "languages": ["es", "en"],
            "institution": "La Paz University Hospital",
            "city": "Madrid",
            "country": "Spain",
            "country_code": "ES",
            "experience_years": 18,
            "score": 10.0,
        },
    ]


def test_bulgarian_is_the_default_display_language(client, directory):
    first = client.get(URL, {"q": "коленете"}).json()[0]

    assert (first["name"], first["title"], first["city"]) == (
        "Николай Христов",
        "проф. д-р",
        "София",
    )


@pytest.mark.parametrize(
    ("query", "specialty", "first"),
    [
        ("болки в гърба", "orthopaedics", "Javier García"),
        ("back pain", "orthopaedics", "Javier García"),
        ("рак на гърдата", "oncology", "Claire Dubois"),
        ("кардиолог", "cardiology", "Thomas Keller"),
        ("kardiolg", "cardiology", "Thomas Keller"),
        ("dermatolgy", "dermatology", "Irina Belcheva"),
        ("hearts", "cardiology", "Daniel Rosen"),
        ("shortness of breath", "pulmonology", "Kaloyan Metodiev"),
    ],
    ids=lambda value: value if isinstance(value, str) and " " not in value else None,
)
def test_the_api_ranks_like_the_pages(client, directory, query, specialty, first):
    results = client.get(URL, {"q": query, "lang": "en", "kind": "specialist"}).json()

    assert results[0]["name"] == first
    assert specialty in [s["code"] for s in results[0]["specialties"]]
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


def test_kind_filters_therapists(client, directory):
    results = client.get(URL, {"kind": "therapist", "limit": 100}).json()

    assert len(results) == 8
    assert {r["kind"] for r in results} == {"therapist"}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"lang": "de"}, "lang", "lang must be one of bg, en, got 'de'"),
        (
            {"kind": "surgeon"},
            "kind",
            "kind must be one of specialist, therapist or empty, got 'surgeon'",
        ),
        ({"limit": 0}, "limit", "limit must be between 1 and 100, got 0"),
    ],
    ids=["lang", "kind", "limit"],
)
def test_bad_parameters_are_refused_naming_the_field(client, directory, params, field, message):
    response = client.get(URL, {"q": "knee", **params})

    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"type": "value_error", "loc": ["query", field], "msg": message}]
    }
