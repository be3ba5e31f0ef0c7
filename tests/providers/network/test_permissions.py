"""The two rules of the network in ``base.identity.permissions``, as every role: provider
relations keep the network; a provider user acts for their own institution and no other."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from contracts.factories import make_user
from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import (
    can_act_for_institution,
    can_manage_provider_network,
)

KEEPERS = {Role.ADMINISTRATOR, Role.UNDERWRITER}


@pytest.mark.parametrize("role", list(Role))
def test_who_keeps_the_network(db, role):
    user = make_user(f"u-{role}", role)

    assert can_manage_provider_network(user) is (role in KEEPERS)


@pytest.mark.parametrize("role", list(Role))
def test_nobody_but_the_linked_provider_acts_for_an_institution(db, role, institution):
    user = make_user(f"u-{role}", role)

    assert can_act_for_institution(user, institution) is False


def test_the_linked_provider_acts_for_own_institution_only(clinic, institution, other_institution):
    assert can_act_for_institution(clinic, institution) is True
    assert can_act_for_institution(clinic, other_institution) is False
    assert can_act_for_institution(clinic, None) is False


def test_a_deactivated_or_anonymous_user_acts_for_none(clinic, institution):
    clinic.is_active = False

    assert can_act_for_institution(clinic, institution) is False
    assert can_act_for_institution(AnonymousUser(), institution) is False
    assert can_manage_provider_network(AnonymousUser()) is False
