from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink
from zdrave.engine.terms.member_services import MemberServiceCode
from zdrave.member_services.navigation import member_may_use


class SecondOpinionConfig(AppConfig):
    """Extra Care (seed 000 а)): the second medical opinion, from the member's request through
    the partner team to the specialist's report."""

    name = "zdrave.member_services.second_opinion"
    label = "second_opinion"
    verbose_name = _("Extra Care: second medical opinion")
    # 000 а): the member's menu leads to the directory and to the cases (стъпка 10).
    navigation = (
        NavLink(
            frozenset({Role.MEMBER}),
            _("Second opinion"),
            "specialists:specialists",
            shown_to=member_may_use(MemberServiceCode.SECOND_OPINION),
        ),
        NavLink(
            frozenset({Role.MEMBER}),
            _("My cases"),
            "second_opinion:cases",
            shown_to=member_may_use(MemberServiceCode.SECOND_OPINION),
        ),
        NavLink(frozenset({Role.PARTNER}), _("Opinion requests"), "second_opinion:team"),
        NavLink(frozenset({Role.SPECIALIST}), _("Assigned cases"), "second_opinion:assigned"),
    )

    def ready(self) -> None:
        # The partner team and the assigned specialist may download a second-opinion case's
        # files (000 а) стъпки 13–17); the member owns them already.
        from zdrave.base.documents.permissions import register_access_rule
        from zdrave.member_services.second_opinion.fetch import may_download_case_file

        register_access_rule(may_download_case_file)
