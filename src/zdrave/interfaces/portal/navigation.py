"""What every page's layout needs: the platform name, the navigation for the user's role and
the languages of the switcher."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import sees_every_contract
from zdrave.base.ui.navigation import links_for

PLATFORM_NAME = "Здраве / Zdrave"


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def _navigation(user) -> list[NavItem]:
    items = [NavItem(_("Products"), "/products/")]
    if not user.is_authenticated:
        return [NavItem(_("Start"), reverse("portal:index")), *items]
    items.insert(0, NavItem(_("My page"), reverse("portal:home")))
    # Where each role works day to day: the links each installed app registers. A member sees
    # only the Extra Care services they may use (issue 8: the menu led members without Extra
    # Care to a 403); the home page says what they would need.
    registered = links_for(user, apps.get_app_configs())
    items[1:1] = [NavItem(link.label, reverse(link.url)) for link in registered]
    if sees_every_contract(user) and user.is_staff:
        items.append(NavItem(_("Back office"), reverse("admin:index")))
    return items


def platform(request) -> dict:
    user = getattr(request, "user", None) or AnonymousUser()
    role_label = Role(user.role).label if user.is_authenticated and user.role in Role.values else ""
    return {
        "platform": {
            "name": PLATFORM_NAME,
            "navigation": _navigation(user),
            "languages": settings.LANGUAGES,
            "role_label": role_label,
            "is_administrator": user.is_authenticated and user.role == Role.ADMINISTRATOR,
        }
    }
