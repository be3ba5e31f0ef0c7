"""Personal-data tests: a member with a health contract and Extra Care, staff of every role,
and ``world``: one record of every kind the member can have, built through the real actions
(a paid claim with its documents, a second-opinion case with a file and a chat message, a
consultation, an upload in My files, the e-mails the outbox sent, a consent, a request)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from base.documents.files import pdf_bytes
from base.messages import compile_app_messages
from claims.builders import submit
from contracts.factories import compile_messages, contract_with, make_user
from zdrave.base.documents.actions import upload_medical_file
from zdrave.base.identity.models import Role
from zdrave.claims.actions.bank import confirm_batch_paid, create_batch, first_execution_date
from zdrave.claims.models import Claim
from zdrave.member_rights.privacy import actions
from zdrave.member_services.consultations import actions as consultation_actions
from zdrave.member_services.consultations.fetch import extra_care_cover as consultation_cover
from zdrave.member_services.second_opinion import actions as opinion_actions
from zdrave.member_services.second_opinion.fetch import extra_care_cover
from zdrave.member_services.second_opinion.models import OpinionCase
from zdrave.member_services.specialists.models import Specialist, SpecialistKind

PARTNER = "diagnose-me"
ALL_ROLES = [role.value for role in Role]


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()
    compile_app_messages("member_rights")
    compile_app_messages("claims")


@pytest.fixture(autouse=True)
def _env(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The real outbox: the archive holds the e-mails it sent, the consent guard stops them.
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"


@pytest.fixture
def mila(db):
    user = make_user("mila", first_name="Мила", last_name="Петрова", email="mila@example.bg")
    contract_with(user, number="H-100", extra_care=True)
    return user


@pytest.fixture
def staff(db):
    """One user of every role, by role (members included)."""
    return {role: make_user(f"u-{role}", role, email=f"{role}@insurer.bg") for role in ALL_ROLES}


@pytest.fixture
def adjuster(staff):
    return staff[Role.CLAIMS_ADJUSTER]


@pytest.fixture
def dpo(staff):
    return staff[Role.DATA_PROTECTION_OFFICER]


def paid_claim(user, adjuster, *, key="k1") -> Claim:
    """A complete outpatient claim the engine approves, paid by bank transfer."""
    member = user.insured_person.memberships.get()
    claim = submit(member, user, key=key)
    batch = create_batch(actor=adjuster, execution_date=first_execution_date()).batch
    confirm_batch_paid(batch, actor=adjuster, on=timezone.localdate())
    claim.refresh_from_db()
    return claim


def open_claim(user, *, key="k-open") -> Claim:
    """A claim waiting for its fiscal receipt (004 Чл.29 т.2): still being decided."""
    member = user.insured_person.memberships.get()
    return submit(member, user, key=key, docs=["claim-form", "ambulatory-sheet", "invoice"])


def pdf(name="epikriza.pdf", pages=1):
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


@pytest.fixture
def specialist(db, staff):
    return Specialist.objects.create(
        partner_code=PARTNER,
        code="dm-002",
        kind=SpecialistKind.SPECIALIST,
        name_bg="Томас Келер",
        name_en="Thomas Keller",
        languages=["bg", "en"],
        user=staff[Role.SPECIALIST],
    )


@pytest.fixture
def therapist(db):
    user = make_user("therapist", Role.SPECIALIST, partner_code=PARTNER)
    return Specialist.objects.create(
        partner_code=PARTNER,
        code="dm-t06",
        kind=SpecialistKind.THERAPIST,
        name_bg="Десислава Тодорова",
        name_en="Desislava Todorova",
        languages=["bg"],
        user=user,
    )


def three_days_ahead() -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=3)
    return dt.datetime.combine(day, dt.time(18), tzinfo=timezone.get_current_timezone())


@dataclass
class World:
    claim: Claim
    case: OpinionCase
    consultation: object
    own_file: object
    case_file: object


def opinion_case(user, partner, specialist):
    case = opinion_actions.request_opinion(
        actor=user,
        cover=extra_care_cover(user),
        specialist=specialist,
        email=user.email,
        documents_description="Епикриза, ЕКГ",
        site_url="https://portal.example.bg/",
    )
    return opinion_actions.forward_request(case, actor=partner, specialist=specialist)


@pytest.fixture
def world(mila, staff, specialist, therapist, django_capture_on_commit_callbacks):
    partner = make_user("partner", Role.PARTNER, partner_code=PARTNER)
    with django_capture_on_commit_callbacks(execute=True):
        claim = paid_claim(mila, staff[Role.CLAIMS_ADJUSTER])
        case = opinion_case(mila, partner, specialist)
        case_file = opinion_actions.add_case_file(
            case, pdf("ekg.pdf"), actor=mila, kind="text_document"
        )
        opinion_actions.post_chat_message(
            actor=mila, member=mila, partner_code=PARTNER, body="Кога ще е готов докладът?"
        )
        consultation = consultation_actions.book_consultation(
            actor=mila,
            cover=consultation_cover(mila),
            therapist=therapist,
            email=mila.email,
            theme="Тревожност преди изпити",
            channel="video",
            preferred_times=[three_days_ahead()],
            site_url="https://portal.example.bg/",
        )
        own_file = upload_medical_file(pdf("moi-izsledvania.pdf"), uploaded_by=mila)
        actions.set_marketing_consent(mila, True, actor=mila)
        actions.request_correction(mila, text="Фамилията ми е Петрова-Иванова.")
    return World(claim, case, consultation, own_file, case_file.file)
