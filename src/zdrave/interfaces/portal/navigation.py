"""What every page's layout needs: the platform name, the navigation for the user's role and
the languages of the switcher."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import CONTRACT_ROLES
from zdrave.contracts.eligibility import Ineligible, eligible_cover
from zdrave.engine.terms.member_services import MemberServiceCode

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
    links = ROLE_LINKS.get(user.role, ())
    if user.role == Role.MEMBER:
        # A member sees only the Extra Care services they may use (issue 8: the menu led
        # members without Extra Care to a 403); the home page says what they would need.
        links = tuple(link for link in links if _may_use(user, MEMBER_SERVICE_OF[link[1]]))
    items[1:1] = [NavItem(label, reverse(name)) for label, name in links]
    if user.role in CONTRACT_ROLES and user.is_staff:
        items.append(NavItem(_("Back office"), reverse("admin:index")))
    return items


# Where each role works day to day (000: the member's menu leads to the cases, step 10).
ROLE_LINKS = {
    Role.MEMBER: (
        (_("Second opinion"), "specialists:specialists"),
        (_("My cases"), "second_opinion:cases"),
        (_("Psychologist"), "consultations:mine"),
    ),
    Role.PARTNER: (
        (_("Opinion requests"), "second_opinion:team"),
        (_("Consultations"), "consultations:team"),
        (_("Calendar"), "consultations:team_calendar"),
    ),
    Role.SPECIALIST: (
        (_("Assigned cases"), "second_opinion:assigned"),
        (_("My sessions"), "consultations:sessions"),
    ),
    Role.SERVICE_COORDINATOR: ((_("Outbox"), "outbox:list"),),
    Role.ADMINISTRATOR: ((_("Outbox"), "outbox:list"),),
}
MEMBER_SERVICE_OF = {
    "specialists:specialists": MemberServiceCode.SECOND_OPINION,
    "second_opinion:cases": MemberServiceCode.SECOND_OPINION,
    "consultations:mine": MemberServiceCode.PSYCHOLOGIST,
}


def _may_use(user, service: MemberServiceCode) -> bool:
    try:
        eligible_cover(user, service)
    except Ineligible:
        return False
    return True


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
