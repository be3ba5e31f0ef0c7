from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.navigation import NavLink
from zdrave.engine.terms.member_services import MemberServiceCode
from zdrave.member_services.navigation import member_may_use


class ConsultationsConfig(AppConfig):
    """Extra Care (seed 000 б)): the psychologist consultation, booked with a therapist of the
    partner's directory and arranged by the partner team."""

    name = "zdrave.member_services.consultations"
    label = "consultations"
    verbose_name = _("Extra Care: psychologist consultations")
    navigation = (
        NavLink(
            frozenset({Role.MEMBER}),
            _("Psychologist"),
            "consultations:mine",
            shown_to=member_may_use(MemberServiceCode.PSYCHOLOGIST),
        ),
        NavLink(frozenset({Role.PARTNER}), _("Consultations"), "consultations:team"),
        NavLink(frozenset({Role.PARTNER}), _("Calendar"), "consultations:team_calendar"),
        NavLink(frozenset({Role.SPECIALIST}), _("My sessions"), "consultations:sessions"),
    )
