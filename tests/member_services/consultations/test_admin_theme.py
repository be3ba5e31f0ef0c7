"""Issue 8: members are told only their therapist and the partner team see the theme of a
psychologist consultation; no back-office screen shows it, to any insurer role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from contracts.factories import make_user
from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import can_view_therapy_theme

THEME = "Тревожност преди изпити"


@pytest.mark.parametrize(
    ("role", "superuser"),
    [
        (Role.UNDERWRITER, False),
        (Role.CLAIMS_ADJUSTER, False),
        (Role.MEDICAL_EXPERT, False),
        (Role.SERVICE_COORDINATOR, False),
        (Role.ADMINISTRATOR, True),
    ],
    ids=["underwriter", "adjuster", "medic", "coordinator", "superuser"],
)
def test_the_admin_shows_no_therapy_theme_to_any_insurer_role(client, booked, role, superuser):
    user = make_user(f"staff-{role}", role=role, is_staff=True, is_superuser=superuser)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="consultations", codename__startswith="view_"
        )
    )
    client.force_login(user)

    listing = client.get(reverse("admin:consultations_consultation_changelist"))
    detail = client.get(reverse("admin:consultations_consultation_change", args=[booked.pk]))

    assert (listing.status_code, detail.status_code) == (200, 200)
    assert THEME not in listing.text
    assert THEME not in detail.text


def test_the_theme_rule_allows_the_member_the_therapist_and_the_partner_team_only(
    booked, member, other_member, therapist_user, partner, other_partner
):
    allowed = {
        user.username: can_view_therapy_theme(user, booked)
        for user in (member, other_member, therapist_user, partner, other_partner)
    }

    assert allowed == {
        member.username: True,
        other_member.username: False,
        therapist_user.username: True,
        partner.username: True,
        other_partner.username: False,
    }
