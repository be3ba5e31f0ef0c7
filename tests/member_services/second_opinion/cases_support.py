"""Fixtures of the second-opinion journey (000 а)), loaded by its test modules with
``pytest_plugins``: members with and without Extra Care on contracts in force, the partner team
(and another partner's), specialists with log-ins, and cases built through the real actions on
the real product files. Files are real: PDFs from pypdf, images from Pillow."""

from __future__ import annotations

import datetime as dt

import pytest

from contracts.factories import contract_with, make_user
from member_services.second_opinion.cases_helpers import pdf_upload, question_saved, request_for
from zdrave.base.documents.models import FileKind
from zdrave.base.identity.models import Role
from zdrave.member_services.second_opinion import actions, terms_of_use
from zdrave.member_services.specialists.models import Specialist, SpecialistKind

PARTNER = "diagnose-me"


@pytest.fixture
def case_env(settings, tmp_path):
    """Private media in a temporary folder, fast password hashes."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


@pytest.fixture
def member(db, case_env):
    user = make_user("maria", first_name="Мария", last_name="Петрова", email="maria@example.bg")
    contract_with(user, number="EC-1", extra_care=True)
    return user


@pytest.fixture
def other_member(db, case_env):
    user = make_user("vesela", first_name="Весела", last_name="Илиева", email="vesela@example.bg")
    contract_with(user, number="EC-2", extra_care=True, birth=dt.date(1990, 3, 3))
    return user


@pytest.fixture
def member_without_extra_care(db, case_env):
    user = make_user("ivan", first_name="Иван", last_name="Димитров", email="ivan@example.bg")
    contract_with(user, number="H-1", extra_care=False, birth=dt.date(1982, 2, 20))
    return user


@pytest.fixture
def partner(db, case_env):
    return make_user("partner", Role.PARTNER, partner_code=PARTNER, first_name="Анна")


@pytest.fixture
def other_partner(db, case_env):
    return make_user("stranger", Role.PARTNER, partner_code="other-team", first_name="Борис")


@pytest.fixture
def specialist_user(db, case_env):
    return make_user("keller", Role.SPECIALIST, partner_code=PARTNER, first_name="Томас")


@pytest.fixture
def other_specialist_user(db, case_env):
    return make_user("marinova", Role.SPECIALIST, partner_code=PARTNER, first_name="Елена")


@pytest.fixture
def specialist(db, specialist_user):
    return Specialist.objects.create(
        partner_code=PARTNER,
        code="dm-002",
        kind=SpecialistKind.SPECIALIST,
        name_bg="Томас Келер",
        name_en="Thomas Keller",
        title_bg="проф. д-р",
        title_en="Prof. Dr med.",
        languages=["de", "en"],
        user=specialist_user,
    )


@pytest.fixture
def other_specialist(db, other_specialist_user):
    return Specialist.objects.create(
        partner_code=PARTNER,
        code="dm-001",
        kind=SpecialistKind.SPECIALIST,
        name_bg="Елена Маринова",
        name_en="Elena Marinova",
        languages=["bg", "en", "ru"],
        user=other_specialist_user,
    )


@pytest.fixture
def requested(member, specialist):
    return request_for(member, specialist)


@pytest.fixture
def opened(requested, partner, specialist, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return actions.forward_request(requested, actor=partner, specialist=specialist)


@pytest.fixture
def ordered(opened, member):
    """An open case whose four ordering steps are saved: a 3-page PDF, no images."""
    question_saved(opened, member)
    actions.add_case_file(opened, pdf_upload(3), actor=member, kind=FileKind.TEXT_DOCUMENT)
    actions.save_images_delivery(opened, actor=member, delivery="none")
    files = [f.pk for f in opened.documents()]
    actions.save_review(opened, actor=member, send_ids=files, report_language="bg")
    return actions.accept_terms(
        opened, actor=member, accepted=True, version=terms_of_use.CURRENT_VERSION
    )


@pytest.fixture
def submitted(ordered, member):
    return actions.submit_order(ordered, actor=member)


@pytest.fixture
def with_specialist(submitted, partner):
    return actions.pass_to_specialist(submitted, actor=partner)


@pytest.fixture
def report_ready(with_specialist, specialist_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.upload_report(with_specialist, pdf_upload(2, "report.pdf"), actor=specialist_user)
    with_specialist.refresh_from_db()
    return with_specialist
