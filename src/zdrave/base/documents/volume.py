"""How much of a second-opinion case goes to translation: pages and images of the uploads.

The allowance itself (000 а) стъпка 14: 2 images and 5 pages, 1–2 more by exception, beyond that
the member chooses what is sent) is product data, ``TranslationAllowance`` in the Extra Care
terms; this module only counts what the member uploaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from zdrave.base.documents.models import FileKind, MedicalFile
from zdrave.engine.terms.member_services import TranslationAllowance


class Verdict(models.TextChoices):
    INCLUDED = "included", _("Within the translation allowance")
    BY_EXCEPTION = "by_exception", _("Translated by exception")
    MEMBER_CHOOSES = "member_chooses", _("Too much: the member chooses what is sent")


@dataclass(frozen=True)
class TranslationVolume:
    pages: int
    images: int

    def verdict(self, allowance: TranslationAllowance) -> Verdict:
        if allowance.translated_free(images=self.images, pages=self.pages):
            return Verdict.INCLUDED
        if allowance.member_must_choose(images=self.images, pages=self.pages):
            return Verdict.MEMBER_CHOOSES
        return Verdict.BY_EXCEPTION


def translation_volume(files: Iterable[MedicalFile]) -> TranslationVolume:
    """Text documents count their pages (PDF counted, DOCX estimated, a photographed page 1);
    each medical image (a JPEG/PNG image, a DICOM file) counts as one image."""
    pages = images = 0
    for medical_file in files:
        if medical_file.kind == FileKind.TEXT_DOCUMENT:
            pages += medical_file.pages or 1
        else:
            images += 1
    return TranslationVolume(pages=pages, images=images)
