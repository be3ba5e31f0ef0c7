"""The member sees who opened their medical documents: the role, when, and which document —
never the staff member's name (CJEU C‑579/21; docs/decisions.md)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zdrave.base.identity.models import Role

pytestmark = pytest.mark.django_db


def test_the_member_sees_the_adjusters_download_by_role_not_by_name(client, world, adjuster, mila):
    adjuster.first_name, adjuster.last_name = "Надежда", "Колева"
    adjuster.save()
    document = world.claim.files.first().file
    client.force_login(adjuster)
    client.get(reverse("documents:download", args=[document.public_id]))
    client.get(reverse("claims:review", args=[world.claim.number]))

    client.force_login(mila)
    page = client.get(reverse("privacy:accesses")).content.decode()

    assert "Ликвидатор на щети · Медицински документ: " + document.original_name in page
    assert "Ликвидатор на щети · Претенция: " + world.claim.number in page
    assert "Колева" not in page
    assert adjuster.username not in page


def test_the_members_own_views_are_not_listed(client, world, mila):
    client.force_login(mila)
    client.get(reverse("claims:detail", args=[world.claim.number]))
    client.get(reverse("documents:download", args=[world.own_file.public_id]))

    page = client.get(reverse("privacy:accesses")).content.decode()

    assert "Никой друг не е отварял медицинските Ви документи." in page


def test_a_partner_is_shown_with_the_partner(client, world, staff, mila):
    therapist = world.consultation.therapist.user
    client.force_login(therapist)
    client.get(reverse("consultations:detail", args=[world.consultation.pk]))

    client.force_login(mila)
    page = client.get(reverse("privacy:accesses")).content.decode()

    assert "(diagnose-me) · Консултация с психолог" in page


def test_another_members_access_log_is_not_shown(client, world, adjuster, staff):
    client.force_login(adjuster)
    client.get(reverse("documents:download", args=[world.claim.files.first().file.public_id]))

    client.force_login(staff[Role.MEMBER])
    page = client.get(reverse("privacy:accesses")).content.decode()

    assert "Никой друг не е отварял медицинските Ви документи." in page
