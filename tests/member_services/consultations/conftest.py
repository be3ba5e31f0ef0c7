"""Fixtures for the psychologist consultation (000 б)): a member with Extra Care on a contract
in force, one without, the partner team (and another partner's), a therapist with a log-in —
all built through the real actions, on the real product files."""

from __future__ import annotations

import datetime as dt
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from contracts.factories import (
    compile_messages,
    contract_with,
    make_user,
)
from zdrave.base.identity.models import Role
from zdrave.member_services.consultations import actions
from zdrave.member_services.specialists.models import Specialist, SpecialistKind

PARTNER = "diagnose-me"


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages() -> None:
    """Pages and e-mails are asserted in Bulgarian: compile the catalogues when stale
    (temporary name + rename: safe with parallel workers)."""
    compile_messages()


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ZDRAVE_VIDEO_PROVIDER = "jitsi"
    settings.ZDRAVE_VIDEO_BASE_URL = "https://meet.example.org"


def sofia(day: dt.date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def days_ahead(days: int, hour: int = 10) -> datetime:
    """A whole Sofia hour ``days`` from today."""
    return sofia(timezone.localdate() + timedelta(days=days), hour)


@pytest.fixture
def member(db):
    user = make_user("maria", first_name="Мария", last_name="Петрова", email="maria@example.bg")
    contract_with(user, number="EC-1", extra_care=True)
    return user


@pytest.fixture
def other_member(db):
    user = make_user("vesela", first_name="Весела", last_name="Илиева", email="vesela@example.bg")
    contract_with(user, number="EC-2", extra_care=True, birth=dt.date(1990, 3, 3))
    return user


@pytest.fixture
def member_without_extra_care(db):
    user = make_user("ivan", first_name="Иван", last_name="Димитров", email="ivan@example.bg")
    contract_with(user, number="H-1", extra_care=False, birth=dt.date(1982, 2, 20))
    return user


@pytest.fixture
def partner(db):
    return make_user("partner", Role.PARTNER, partner_code=PARTNER, first_name="Анна")


@pytest.fixture
def other_partner(db):
    return make_user("stranger", Role.PARTNER, partner_code="other-team", first_name="Борис")


@pytest.fixture
def therapist_user(db):
    return make_user("therapist", Role.SPECIALIST, partner_code=PARTNER, first_name="Десислава")


@pytest.fixture
def therapist(db, therapist_user):
    return Specialist.objects.create(
        partner_code=PARTNER,
        code="dm-t06",
        kind=SpecialistKind.THERAPIST,
        name_bg="Десислава Тодорова",
        name_en="Desislava Todorova",
        title_bg="клиничен психолог",
        title_en="Clinical psychologist",
        languages=["bg", "en"],
        user=therapist_user,
    )


@pytest.fixture
def other_therapist(db):
    return Specialist.objects.create(
        partner_code=PARTNER,
        code="dm-t02",
        kind=SpecialistKind.THERAPIST,
        name_bg="Мартин Илиев",
        name_en="Martin Iliev",
        languages=["bg"],
    )


@pytest.fixture
def cover(member):
    from zdrave.member_services.consultations.fetch import extra_care_cover

    return extra_care_cover(member)


def book(member, therapist, *, channel="video", theme="Тревожност преди изпити"):
    from zdrave.member_services.consultations.fetch import extra_care_cover

    return actions.book_consultation(
        actor=member,
        cover=extra_care_cover(member),
        therapist=therapist,
        email=member.email,
        theme=theme,
        channel=channel,
        preferred_times=[days_ahead(3, 18)],
        site_url="https://portal.example.bg/",
    )


@pytest.fixture
def booked(member, therapist):
    return book(member, therapist)


@pytest.fixture
def proposed(booked, partner):
    return actions.propose_dates(
        booked, actor=partner, starts=[days_ahead(2, 10), days_ahead(2, 15)]
    )


@pytest.fixture
def confirmed(proposed, member, django_capture_on_commit_callbacks):
    slot = proposed.current_slots().first()
    with django_capture_on_commit_callbacks(execute=True):
        return actions.choose_slot(proposed, actor=member, slot_id=slot.pk)
