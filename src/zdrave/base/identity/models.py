from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Who a user is to the platform. Permission checks go through ``zdrave.base.identity.permissions``,
    never through scattered role comparisons."""

    MEMBER = "member", _("Insured person / policyholder")
    EMPLOYER = "employer", _("Employer (group policyholder)")
    UNDERWRITER = "underwriter", _("Underwriter")
    CLAIMS_ADJUSTER = "claims_adjuster", _("Claims adjuster")
    MEDICAL_EXPERT = "medical_expert", _("Medical expert")
    SERVICE_COORDINATOR = "service_coordinator", _("Service coordinator")
    PARTNER = "partner", _("Partner team member")
    SPECIALIST = "specialist", _("Specialist / therapist")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.MEMBER)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # For partner team members, specialists and therapists: the partner they work for
    # (its code in the product data, e.g. "diagnose-me"). Empty for everyone else.
    partner_code = models.CharField(_("partner"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_insurer_staff(self) -> bool:
        return self.role in STAFF_ROLES


STAFF_ROLES = frozenset(
    {
        Role.UNDERWRITER,
        Role.CLAIMS_ADJUSTER,
        Role.MEDICAL_EXPERT,
        Role.SERVICE_COORDINATOR,
        Role.ADMINISTRATOR,
    }
)
