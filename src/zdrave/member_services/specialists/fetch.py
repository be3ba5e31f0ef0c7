"""Reads of the directory: the search index built from the database, rebuilt only when the
directory changes (views and the API share one copy per process)."""

from __future__ import annotations

import threading
from functools import lru_cache

from django.db.models import Count, Max, QuerySet
from django.http import Http404

from zdrave.member_services.specialists.directory import read_vocabulary, search_entry
from zdrave.member_services.specialists.models import Specialist, Specialty
from zdrave.member_services.specialists.search import (
    SearchIndex,
    SpecialistEntry,
    SpecialtyRef,
    Vocabulary,
)

_lock = threading.Lock()
_cached: dict[str, tuple[tuple, SearchIndex]] = {}


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return read_vocabulary()


def active_specialists() -> QuerySet[Specialist]:
    return Specialist.objects.filter(active=True).prefetch_related("specialties")


def team_members(kind: str, partner_code: str) -> QuerySet[Specialist]:
    """The active specialists or therapists (``kind``) of one partner team."""
    return Specialist.objects.filter(kind=kind, active=True, partner_code=partner_code)


def access_team_member(kind: str, partner_code: str, pk: int) -> Specialist:
    """Active specialist or therapist ``pk`` of the partner team, else 404 (nobody learns which
    profiles exist or were deactivated)."""
    found = team_members(kind, partner_code).filter(pk=pk).first()
    if found is None:
        raise Http404(pk)
    return found


def specialist_entry(specialist: Specialist) -> SpecialistEntry:
    specialties = tuple(
        SpecialtyRef(s.code, s.name_bg, s.name_en)
        for s in sorted(specialist.specialties.all(), key=lambda s: s.code)
    )
    return search_entry(specialist, specialist.pk, specialties)


def _directory_version() -> tuple:
    """Changes whenever a specialist, a specialty or a specialist's specialties change."""
    links = Specialist.specialties.through.objects.aggregate(n=Count("id"), last=Max("id"))
    people = Specialist.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    specialties = Specialty.objects.aggregate(n=Count("id"), last=Max("id"))
    return (
        people["n"],
        people["changed"],
        links["n"],
        links["last"],
        specialties["n"],
        specialties["last"],
    )


def search_index() -> SearchIndex:
    """The index of the active directory; built on first use and after any change."""
    version = _directory_version()
    cached = _cached.get("index")
    if cached and cached[0] == version:
        return cached[1]
    with _lock:
        cached = _cached.get("index")
        if cached and cached[0] == version:
            return cached[1]
        entries = [specialist_entry(s) for s in active_specialists()]
        refs = [SpecialtyRef(s.code, s.name_bg, s.name_en) for s in Specialty.objects.all()]
        index = SearchIndex(entries, vocabulary().with_specialties(refs))
        _cached["index"] = (version, index)
        return index


def specialists_by_id(ids: list[int]) -> dict[int, Specialist]:
    return active_specialists().in_bulk(ids)
