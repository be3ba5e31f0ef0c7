"""Pre-authorisation tests: the network's fixtures (an institution serving packages 1 and 2
whose agreement marks MRI, 2.8.d, for pre-authorisation; its front desk; a member with package
2) and a medical expert."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from base.messages import compile_app_messages
from contracts.factories import compile_messages, make_user
from providers.network import conftest as network
from zdrave.base.identity.models import Role
from zdrave.providers.preauth import actions

# The network's fixtures, shared (a conftest's fixtures reach only its own folder).
_fast = network._fast
relations = network.relations
institution = network.institution
other_institution = network.other_institution
clinic = network.clinic
other_clinic = network.other_clinic
member_user = network.member_user
contract = network.contract
person = network.person


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()
    for app in ("claims", "providers/network", "providers/preauth"):
        compile_app_messages(app)


@pytest.fixture
def expert(db):
    return make_user("doctor", Role.MEDICAL_EXPERT, email="expert@insurer.bg")


@pytest.fixture
def member(contract):
    return contract.members.select_related("person", "contract").get()


def ask(clinic, member, institution, amount="300.00", **overrides):
    data = {
        "actor": clinic,
        "member": member,
        "institution": institution,
        "service": "2.8.d",
        "planned_date": timezone.localdate() + dt.timedelta(days=3),
        "estimated_amount": Decimal(amount),
        "diagnosis": "M51.1",
    }
    return actions.submit_request(**{**data, **overrides})


@pytest.fixture
def request_(clinic, member, institution):
    return ask(clinic, member, institution)
