"""Provider claims and settlement tests: the network's fixtures (an institution in Sofia with
agreed prices 2.1.b 60.00 and 2.8.d 120.00, its front-desk user, a member on package 2 Пълна
Б2), the institution's bank account, and staff of each role."""

from __future__ import annotations

import pytest
from django.utils import timezone

from base.messages import compile_app_messages
from contracts.factories import compile_messages, make_user
from providers.network import conftest as network_fixtures
from zdrave.base.identity.models import Role
from zdrave.providers.settlement import actions
from zdrave.providers.settlement.models import ProviderAccount

# The network's fixtures, reused.
_fast = network_fixtures._fast
relations = network_fixtures.relations
institution = network_fixtures.institution
other_institution = network_fixtures.other_institution
clinic = network_fixtures.clinic
other_clinic = network_fixtures.other_clinic
member_user = network_fixtures.member_user
contract = network_fixtures.contract
person = network_fixtures.person

IBAN = "BG80BNBG96611020345678"
OTHER_IBAN = "BG18RZBB91550123456789"


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages():
    compile_messages()
    for app in ("claims", "providers/network", "providers/settlement"):
        compile_app_messages(app)


@pytest.fixture
def account(institution):
    return ProviderAccount.objects.create(
        institution=institution, account_name="MC Test OOD", iban=IBAN
    )


@pytest.fixture
def other_account(other_institution):
    return ProviderAccount.objects.create(
        institution=other_institution, account_name="DKC Drug EOOD", iban=OTHER_IBAN
    )


@pytest.fixture
def billing(db):
    return make_user("billing", Role.BILLING, email="billing@insurer.bg")


@pytest.fixture
def adjuster(db):
    return make_user("adjuster", Role.CLAIMS_ADJUSTER, email="adj@insurer.bg")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def execution_day(today):
    return actions.first_execution_date(today)
