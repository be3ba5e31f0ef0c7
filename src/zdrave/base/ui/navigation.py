"""What an app adds to the menu. Each app's ``AppConfig`` lists its links in ``navigation``;
the portal builds the menu from the installed apps, in their order, so no low layer keeps a
list of the apps above it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavLink:
    """A menu entry for users with one of ``roles``: ``label`` leading to URL name ``url``;
    ``shown_to(user)``, when given, hides it from users who could not use the page (a member
    without the Extra Care service it belongs to)."""

    roles: frozenset[str]
    label: str
    url: str
    shown_to: Callable[[object], bool] | None = None


def links_for(user, app_configs) -> list[NavLink]:
    """The links every app in ``app_configs`` registered for ``user``'s role and shows to
    ``user``, in app order."""
    return [
        link
        for config in app_configs
        for link in getattr(config, "navigation", ())
        if user.role in link.roles and (link.shown_to is None or link.shown_to(user))
    ]
