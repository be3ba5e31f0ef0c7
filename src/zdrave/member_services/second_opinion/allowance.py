"""The translation allowance of a case (000 а) стъпка 14): "2 изображения и 5 страници …
екипът ще преведе. Обикновено, ако има още 1-2 допълнителни изображения или страници, те също
ще бъдат преведени по изключение. Само ако обемът на данните е голям, ще бъдете помолени да
изберете какво бихте желали да бъде изпратено на специалиста."

The numbers are product data (``TranslationAllowance``); pages and images are counted from the
files themselves by ``zdrave.base.documents.volume`` (PDF pages read from the file).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zdrave.base.documents.volume import TranslationVolume, Verdict, translation_volume
from zdrave.engine.terms.member_services import TranslationAllowance
from zdrave.member_services.second_opinion.models import CaseFile


@dataclass(frozen=True)
class AllowanceCheck:
    """How the chosen files measure against the allowance."""

    volume: TranslationVolume
    allowance: TranslationAllowance
    verdict: Verdict

    @property
    def pages_within(self) -> int:
        return min(self.volume.pages, self.allowance.pages)

    @property
    def images_within(self) -> int:
        return min(self.volume.images, self.allowance.images)

    @property
    def pages_over(self) -> int:
        return self.volume.pages - self.pages_within

    @property
    def images_over(self) -> int:
        return self.volume.images - self.images_within

    @property
    def over(self) -> int:
        return self.pages_over + self.images_over

    @property
    def member_must_choose(self) -> bool:
        return self.verdict == Verdict.MEMBER_CHOOSES


def check(files: Iterable[CaseFile], allowance: TranslationAllowance) -> AllowanceCheck:
    """The allowance check of ``files`` (the case files the member sends to the specialist)."""
    volume = translation_volume(f.file for f in files)
    return AllowanceCheck(volume=volume, allowance=allowance, verdict=volume.verdict(allowance))
