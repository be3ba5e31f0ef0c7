"""The rules of base.identity.permissions for this app, and every page of it, as every role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from member_rights.privacy.conftest import ALL_ROLES
from zdrave.base.identity import permissions
from zdrave.base.identity.models import Role
from zdrave.member_rights.privacy import actions

pytestmark = pytest.mark.django_db

RULES = {
    permissions.can_use_my_data: {Role.MEMBER},
    permissions.can_handle_data_requests: {Role.DATA_PROTECTION_OFFICER},
    permissions.can_read_audit_trail: {Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR},
}


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("rule", list(RULES), ids=lambda rule: rule.__name__)
def test_each_rule_as_every_role(staff, rule, role):
    assert rule(staff[role]) is (role in RULES[rule])


@pytest.mark.parametrize("rule", list(RULES), ids=lambda rule: rule.__name__)
def test_nobody_signed_out_and_no_inactive_user(rule, staff):
    from django.contrib.auth.models import AnonymousUser

    assert rule(AnonymousUser()) is False
    for user in staff.values():
        user.is_active = False
        assert rule(user) is False


MEMBER_PAGES = ["privacy:mine", "privacy:correction", "privacy:erasure", "privacy:accesses"]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_pages_as_every_role(client, staff, role):
    user = staff[role]
    request = actions.request_correction(staff[Role.MEMBER], text="Грешен имейл.")
    client.force_login(user)
    expected = {
        **dict.fromkeys(MEMBER_PAGES, 200 if role == Role.MEMBER else 403),
        "privacy:queue": 200 if role == Role.DATA_PROTECTION_OFFICER else 403,
        "privacy:audit": 200 if role in RULES[permissions.can_read_audit_trail] else 403,
    }
    for name, status in expected.items():
        assert client.get(reverse(name)).status_code == status, name
    detail = client.get(reverse("privacy:request", args=[request.pk]))
    assert detail.status_code == (200 if role == Role.DATA_PROTECTION_OFFICER else 403)
    download = client.get(reverse("privacy:download"))
    assert download.status_code == (200 if role == Role.MEMBER else 403)


def test_the_officer_cannot_answer_a_request_that_does_not_exist(client, dpo):
    client.force_login(dpo)
    assert client.get(reverse("privacy:request", args=[999])).status_code == 404


def test_signed_out_visitors_go_to_log_in(client):
    for name in [*MEMBER_PAGES, "privacy:queue", "privacy:audit", "privacy:download"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_consent_and_requests_refuse_staff(client, staff):
    client.force_login(staff[Role.ADMINISTRATOR])
    assert client.post(reverse("privacy:consent"), {"given": "yes"}).status_code == 403
    assert client.post(reverse("privacy:correction"), {"text": "x"}).status_code == 403
