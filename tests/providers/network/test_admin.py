"""The network in the back office: provider relations read and correct listings there; other
staff do not see it."""

from __future__ import annotations

import pytest

from contracts.factories import make_user
from zdrave.base.identity.models import Role


@pytest.mark.parametrize(
    ("role", "status"),
    [
        pytest.param(Role.ADMINISTRATOR, 200, id="administrator"),
        pytest.param(Role.UNDERWRITER, 200, id="underwriter"),
        pytest.param(Role.CLAIMS_ADJUSTER, 403, id="adjuster"),
    ],
)
def test_institutions_in_the_back_office(client, db, institution, role, status):
    client.force_login(make_user(f"u-{role}", role, is_staff=True))

    listing = client.get("/admin/network/institution/")
    page = client.get(f"/admin/network/institution/{institution.pk}/change/")

    assert (listing.status_code, page.status_code) == (status, status)
    if status == 200:
        assert institution.name in listing.content.decode()


def test_the_check_log_is_read_only(client, db, institution):
    client.force_login(make_user("rel2", Role.ADMINISTRATOR, is_staff=True))

    assert client.get("/admin/network/eligibilitycheck/").status_code == 200
    assert client.get("/admin/network/eligibilitycheck/add/").status_code == 403
