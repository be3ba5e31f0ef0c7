"""Extra Care directory pages: find a specialist (000 стъпки 3–4), view a profile and start a
second-opinion request (стъпка 5), and the therapists of the psychologist consultation
(консултация с психолог, стъпка 3)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from zdrave.member_services.specialists.display import language_names, placeholder_svg
from zdrave.member_services.specialists.fetch import (
    active_specialists,
    search_index,
    specialists_by_id,
)
from zdrave.member_services.specialists.models import Specialist, SpecialistKind

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 60
# The later journeys own these URL names; a button appears once its URL exists.
REQUEST_OPINION_URL = "second_opinion:request"  # 000 стъпка 5
BOOK_CONSULTATION_URL = "consultations:book"  # 000, консултация с психолог, стъпка 4


@dataclass(frozen=True)
class Card:
    specialist: Specialist
    score: float


@require_GET
def specialist_list(request: HttpRequest) -> HttpResponse:
    return _directory_page(request, SpecialistKind.SPECIALIST, "specialists/specialist_list.html")


@require_GET
def therapist_list(request: HttpRequest) -> HttpResponse:
    return _directory_page(request, SpecialistKind.THERAPIST, "specialists/therapist_list.html")


def _directory_page(request: HttpRequest, kind: str, template: str) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = search_index().search(query, kind=kind, limit=MAX_RESULTS)
    people = specialists_by_id([result.entry.id for result in results])
    cards = [
        Card(people[result.entry.id], result.score)
        for result in results
        if result.entry.id in people
    ]
    context = {"query": query, "cards": cards, "kind": kind}
    if request.htmx:
        return render(request, "specialists/_results.html", context)
    return render(request, template, context)


@require_GET
def specialist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    specialist = get_object_or_404(active_specialists(), pk=pk)
    if specialist.is_therapist:
        action_url = _optional_url(BOOK_CONSULTATION_URL, specialist.pk)
    else:
        action_url = _optional_url(REQUEST_OPINION_URL, specialist.pk)
    return render(
        request,
        "specialists/specialist_detail.html",
        {
            "specialist": specialist,
            "languages": language_names(specialist.languages),
            "action_url": action_url,
            "back_url": reverse(
                "specialists:therapists" if specialist.is_therapist else "specialists:specialists"
            ),
        },
    )


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The specialist's photo, or a placeholder with their initials (no external service)."""
    specialist = get_object_or_404(Specialist, pk=pk)
    if specialist.photo:
        response: HttpResponse = FileResponse(specialist.photo.open("rb"))
    else:
        response = HttpResponse(placeholder_svg(specialist), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _optional_url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
