"""``zdrave demo`` shows the feature: the demo employer's group has a census and one annex,
and Georgi has a preventive-examination date."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from zdrave.policy_admin.groups.fetch import member_slots
from zdrave.policy_admin.groups.models import Annex, CensusUpload


@pytest.mark.django_db
def test_demo_group_has_a_census_an_annex_and_slots():
    quiet = io.StringIO()
    call_command("products", "load", stdout=quiet)
    call_command("demo", stdout=quiet)
    call_command("demo", stdout=quiet)  # idempotent
    annex = Annex.objects.get()
    assert annex.number == "ZH-DEMO-G001-A001"
    assert annex.lines.count() == 2
    assert CensusUpload.objects.get().annex == annex
    georgi = get_user_model().objects.get(username="georgi")
    assert len(member_slots(georgi)) == 2
