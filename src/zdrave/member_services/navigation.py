"""Menu links of the Extra Care services shown only to members who may use the service (issue
8: the menu led members without Extra Care to a 403; the home page says what they would need).
Imported by the apps' configs, so the models are imported only when a menu is built."""

from __future__ import annotations

from collections.abc import Callable

from zdrave.engine.terms.member_services import MemberServiceCode


def member_may_use(service: MemberServiceCode) -> Callable[[object], bool]:
    """``NavLink.shown_to`` for a link to ``service``: the member has a cover that includes it."""

    def shown_to(user) -> bool:
        from zdrave.contracts.eligibility import Ineligible, eligible_cover

        try:
            eligible_cover(user, service)
        except Ineligible:
            return False
        return True

    return shown_to
