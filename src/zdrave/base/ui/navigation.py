"""What an app adds to the menu. Each app's ``AppConfig`` lists its links in ``navigation``;
the portal builds the menu from the installed apps, in their order, so no low layer keeps a
list of the apps above it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavLink:
    """A menu entry for users with one of ``roles``: ``label`` leading to URL name ``url``."""

    roles: frozenset[str]
    label: str
    url: str


def links_for(role: str, app_configs) -> list[NavLink]:
    """The links every app in ``app_configs`` registered for ``role``, in app order."""
    return [
        link
        for config in app_configs
        for link in getattr(config, "navigation", ())
        if role in link.roles
    ]
