"""The complaints rules of ``base.identity.permissions`` as every role: a member sees only their
own complaints, an employer only those it filed for its group, the complaints staff (complaints
officer, administrator) all; staff roles without the complaints role are refused — on the
rules, the pages (403 / 404, nothing leaked) and the letter."""

from __future__ import annotations

import pytest

from contracts.factories import make_user
from member_rights.complaints.conftest import member_complaint
from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import (
    can_answer_complaint,
    can_file_complaint,
    can_handle_complaints,
    can_view_complaint,
)
from zdrave.member_rights.complaints import actions
from zdrave.member_rights.complaints.fetch import visible_complaints
from zdrave.member_rights.complaints.models import ComplainantKind, Outcome

pytestmark = pytest.mark.django_db

HANDLERS = {Role.COMPLAINTS_OFFICER, Role.ADMINISTRATOR}
STAFF_WITHOUT = [r for r in Role.values if r not in HANDLERS | {Role.MEMBER, Role.EMPLOYER}]


@pytest.fixture
def complaint(member_user, contract):
    return member_complaint(member_user, contract=contract, text="Моята жалба за здравето ми.")


@pytest.mark.parametrize("role", Role.values)
def test_every_role_on_a_members_complaint(role, complaint, member_user):
    user = make_user(f"u-{role}", role)
    expected = role in HANDLERS
    assert can_view_complaint(user, complaint) is expected
    assert can_handle_complaints(user) is expected
    assert can_answer_complaint(user, complaint) is expected
    assert visible_complaints(user).filter(pk=complaint.pk).exists() is expected
    assert can_file_complaint(user) is (role in (Role.MEMBER, Role.EMPLOYER))


def test_the_member_sees_their_own_complaint_only(complaint, member_user, other_user):
    assert can_view_complaint(member_user, complaint)
    assert not can_view_complaint(other_user, complaint)
    assert list(visible_complaints(other_user)) == []


def test_an_employer_sees_its_groups_complaints_not_an_employees(world):
    employer_complaint = actions.file_complaint(
        actions.ComplaintInput(
            category="contract",
            text="Картите на служителите закъсняха.",
            complainant_kind=ComplainantKind.EMPLOYER,
            complainant_name="Акме ООД",
            contract=world.group,
            idempotency_key="employer-1",
        ),
        actor=world.employer,
    )
    maria_complaint = member_complaint(world.maria, contract=world.individual, key="maria-1")
    assert can_view_complaint(world.employer, employer_complaint)
    assert not can_view_complaint(world.employer, maria_complaint)
    assert not can_view_complaint(world.maria, employer_complaint)
    assert list(visible_complaints(world.employer)) == [employer_complaint]


def test_an_employer_cannot_complain_about_a_contract_it_does_not_hold(world):
    with pytest.raises(actions.ValidationError):
        actions.file_complaint(
            actions.ComplaintInput(
                category="contract",
                text="Чужд договор.",
                complainant_kind=ComplainantKind.EMPLOYER,
                complainant_name="Акме ООД",
                contract=world.individual,
                idempotency_key="employer-2",
            ),
            actor=world.employer,
        )


def _client(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", STAFF_WITHOUT)
def test_staff_without_the_complaints_role_get_403_on_the_queue(role, client, complaint):
    user = make_user(f"s-{role}", role)
    c = _client(client, user)
    assert c.get("/complaints/queue/").status_code == 403
    assert c.get(f"/complaints/queue/{complaint.number}/").status_code == 403
    assert c.get("/complaints/queue/register.csv").status_code == 403
    assert c.get(f"/complaints/{complaint.number}/").status_code == 404
    assert c.post(f"/complaints/queue/{complaint.number}/take/").status_code == 403


@pytest.mark.parametrize("role", sorted(HANDLERS))
def test_the_complaints_staff_open_the_queue_and_the_complaint(role, client, complaint):
    c = _client(client, make_user(f"h-{role}", role))
    page = c.get("/complaints/queue/")
    assert page.status_code == 200
    assert complaint.number in page.content.decode()
    review = c.get(f"/complaints/queue/{complaint.number}/")
    assert "Моята жалба за здравето ми." in review.content.decode()


def test_another_member_gets_404_on_the_complaint_and_its_letter(
    client, complaint, other_user, officer
):
    actions.answer(complaint, actor=officer, outcome=Outcome.NOT_UPHELD, reasons="Мотиви.")
    c = _client(client, other_user)
    for path in ("", "letter/", "letter.pdf"):
        response = c.get(f"/complaints/{complaint.number}/{path}")
        assert response.status_code == 404
        assert "Моята жалба" not in response.content.decode(errors="ignore")


def test_anonymous_users_go_to_log_in(client, complaint):
    for path in ("/complaints/", "/complaints/queue/", f"/complaints/{complaint.number}/letter/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
