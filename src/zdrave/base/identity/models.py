from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

# Role is defined apart so that app configs can name roles before the models load.
from zdrave.base.identity.roles import STAFF_ROLES, Role

__all__ = ["STAFF_ROLES", "Role", "User"]


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
