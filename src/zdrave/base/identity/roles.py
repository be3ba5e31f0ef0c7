"""The roles a user can have. Who may do what with them is decided in
``zdrave.base.identity.permissions``, never by comparing roles elsewhere."""

from __future__ import annotations

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
    BILLING = "billing", _("Billing officer")
    CASE_MANAGER = "case_manager", _("Treatment-abroad case manager")
    COMPLAINTS_OFFICER = "complaints_officer", _("Complaints officer")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")
    PROVIDER = "provider", _("Medical provider (clinic staff)")


# Insurer staff: they see every contract; only some of them see health data (permissions).
STAFF_ROLES = frozenset(
    {
        Role.UNDERWRITER,
        Role.CLAIMS_ADJUSTER,
        Role.MEDICAL_EXPERT,
        Role.SERVICE_COORDINATOR,
        Role.ADMINISTRATOR,
        Role.BILLING,
        Role.CASE_MANAGER,
        Role.COMPLAINTS_OFFICER,
        Role.DATA_PROTECTION_OFFICER,
    }
)
