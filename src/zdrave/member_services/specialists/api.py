"""``GET /api/v1/specialists``: the directory search as JSON, for partners and tests. Directory
data only (names, specialties, places); no member's health data passes through here."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import ValidationError

from zdrave.member_services.specialists.fetch import search_index, specialists_by_id
from zdrave.member_services.specialists.models import Specialist, SpecialistKind
from zdrave.member_services.specialists.search import SearchResult

router = Router(tags=["specialists"])
LANGUAGES = ("bg", "en")
MAX_LIMIT = 100


class SpecialtyOut(Schema):
    code: str
    name_bg: str
    name_en: str


class SpecialistOut(Schema):
    id: int
    kind: str
    name: str
    title: str
    specialties: list[SpecialtyOut]
    languages: list[str]
    institution: str
    city: str
    country: str
    country_code: str
    experience_years: int
    score: float


@router.get("", response=list[SpecialistOut], summary="Search specialists and therapists")
def search_specialists(
    request: HttpRequest, q: str = "", lang: str = "bg", kind: str = "", limit: int = 20
) -> list[dict]:
    """Ranked by the directory search (``zdrave.member_services.specialists.search``). ``lang`` picks the language
    of the display fields; ``kind`` is ``specialist`` or ``therapist`` (empty = both)."""
    _check_query(lang=lang, kind=kind, limit=limit)
    index = search_index()
    results = index.search(q[:200], kind=kind or None, limit=limit)
    people = specialists_by_id([result.entry.id for result in results])
    return [
        _result_out(result, people[result.entry.id], lang)
        for result in results
        if result.entry.id in people  # made inactive since the index was built
    ]


def _check_query(*, lang: str, kind: str, limit: int) -> None:
    errors = []
    if lang not in LANGUAGES:
        errors.append(_error("lang", f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}"))
    if kind and kind not in SpecialistKind.values:
        allowed = ", ".join(SpecialistKind.values)
        errors.append(_error("kind", f"kind must be one of {allowed} or empty, got {kind!r}"))
    if not 1 <= limit <= MAX_LIMIT:
        errors.append(_error("limit", f"limit must be between 1 and {MAX_LIMIT}, got {limit}"))
    if errors:
        raise ValidationError(errors)


def _error(field: str, message: str) -> dict:
    return {"type": "value_error", "loc": ["query", field], "msg": message}


def _result_out(result: SearchResult, specialist: Specialist, lang: str) -> dict:
    english = lang == "en"
    return {
        "id": specialist.pk,
        "kind": specialist.kind,
        "name": (specialist.name_en if english else specialist.name_bg) or specialist.name_bg,
        "title": specialist.title_en if english else specialist.title_bg,
        "specialties": [
            {"code": s.code, "name_bg": s.name_bg, "name_en": s.name_en}
            for s in result.entry.specialties
        ],
        "languages": list(specialist.languages),
        "institution": specialist.institution_en if english else specialist.institution_bg,
        "city": specialist.city_en if english else specialist.city_bg,
        "country": specialist.country_en if english else specialist.country_bg,
        "country_code": specialist.country_code,
        "experience_years": specialist.experience_years,
        "score": result.score,
    }
