"""The Extra Care directory (seed 000): specialists who give a second medical opinion and
therapists who give a psychologist consultation, both working through a partner team
(Diagnose.me in the seed, a configurable partner code here)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def photo_storage() -> FileSystemStorage:
    """Photos are public directory data, but the project has no public media URL: they are
    stored under var/ and served by ``opinions:photo``."""
    return FileSystemStorage(location=settings.VAR_DIR / "directory-photos")


def _in_language(obj: models.Model, field: str, lang: str | None = None) -> str:
    lang = lang or get_language() or settings.LANGUAGE_CODE
    value = getattr(obj, f"{field}_en") if lang.startswith("en") else ""
    return value or getattr(obj, f"{field}_bg")


class Specialty(models.Model):
    """A medical specialty (Специалност). Codes and names come from data/vocabulary.yaml."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=128)
    name_en = models.CharField(_("name (English)"), max_length=128)

    class Meta:
        ordering = ["name_bg"]
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self, "name")


class SpecialistKind(models.TextChoices):
    # 000, второ медицинско мнение, стъпка 3: a specialist gives the second opinion.
    SPECIALIST = "specialist", _("Specialist")
    # 000, консултация с психолог, стъпка 3: a therapist (psychologist / psychotherapist).
    THERAPIST = "therapist", _("Therapist")


class Specialist(models.Model):
    """One person in the partner's directory: a specialist (second opinion) or a therapist
    (psychologist consultation). Bilingual texts are ``*_bg`` / ``*_en``."""

    partner_code = models.SlugField(_("partner"), max_length=64, default="diagnose-me")
    code = models.SlugField(_("partner's reference"), max_length=64)
    kind = models.CharField(
        _("kind"), max_length=16, choices=SpecialistKind.choices, default=SpecialistKind.SPECIALIST
    )
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=128)
    name_en = models.CharField(_("name (English)"), max_length=128)
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=64, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=64, blank=True)
    photo = models.ImageField(_("photo"), storage=photo_storage, upload_to="", blank=True)
    specialties = models.ManyToManyField(
        Specialty, related_name="specialists", verbose_name=_("specialties")
    )
    languages = models.JSONField(
        _("consultation languages"), default=list, help_text=_("ISO 639-1 codes, e.g. bg, en")
    )
    institution_bg = models.CharField(_("institution (Bulgarian)"), max_length=200, blank=True)
    institution_en = models.CharField(_("institution (English)"), max_length=200, blank=True)
    city_bg = models.CharField(_("city (Bulgarian)"), max_length=100, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=100, blank=True)
    country_code = models.CharField(_("country code"), max_length=2, blank=True)
    country_bg = models.CharField(_("country (Bulgarian)"), max_length=100, blank=True)
    country_en = models.CharField(_("country (English)"), max_length=100, blank=True)
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    conditions_bg = models.TextField(_("conditions treated (Bulgarian)"), blank=True)
    conditions_en = models.TextField(_("conditions treated (English)"), blank=True)
    bio_bg = models.TextField(_("biography (Bulgarian)"), blank=True)
    bio_en = models.TextField(_("biography (English)"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="specialist_profile",
        verbose_name=_("log-in"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_bg"]
        verbose_name = _("specialist")
        verbose_name_plural = _("specialists")
        constraints = [
            models.UniqueConstraint(
                fields=["partner_code", "code"], name="opinions_specialist_partner_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self, "name")

    @property
    def title(self) -> str:
        return _in_language(self, "title")

    @property
    def institution(self) -> str:
        return _in_language(self, "institution")

    @property
    def city(self) -> str:
        return _in_language(self, "city")

    @property
    def country(self) -> str:
        return _in_language(self, "country")

    @property
    def conditions(self) -> str:
        return _in_language(self, "conditions")

    @property
    def bio(self) -> str:
        return _in_language(self, "bio")

    @property
    def is_therapist(self) -> bool:
        return self.kind == SpecialistKind.THERAPIST
