"""Helpers of the second-opinion tests (000 а)): requests and real uploads built through the
real actions. Fixtures are in ``cases_support``."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from base.documents.files import image_bytes, pdf_bytes
from zdrave.member_services.second_opinion import actions
from zdrave.member_services.second_opinion.fetch import extra_care_cover


def request_for(member, specialist, *, description="Епикриза от 2026 г., ЕКГ, холтер"):
    return actions.request_opinion(
        actor=member,
        cover=extra_care_cover(member),
        specialist=specialist,
        email=member.email,
        documents_description=description,
        site_url="https://portal.example.bg/",
    )


def pdf_upload(pages: int, name: str = "epikriza.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def png_upload(name: str = "ekg.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(320, 240), content_type="image/png")


def question_saved(case, member):
    return actions.save_question(
        case,
        actor=member,
        sex="female",
        age=38,
        question="Нужна ли е аблация при пароксизмално предсърдно мъждене?",
        question_language="bg",
    )
