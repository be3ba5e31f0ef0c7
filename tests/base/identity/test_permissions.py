"""Who may see what (zdrave.base.identity.permissions), asserted through the pages and directly."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from base.documents.files import pdf_bytes, upload
from contracts.factories import make_user
from zdrave.base.documents.actions import upload_medical_file
from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import can_access_medical_file, role_required
from zdrave.contracts.visibility import (
    can_view_contract,
    can_view_health_data,
    can_view_person,
    visible_contracts,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def test_member_cannot_open_another_persons_contract(client, world):
    client.force_login(world.maria)
    assert client.get("/policies/I-1/").status_code == 200
    response = client.get("/policies/F-1/")
    assert response.status_code == 404
    assert "Иван" not in response.content.decode()
    assert client.get("/policies/G-1/").status_code == 404


def test_unknown_and_forbidden_contracts_look_the_same(client, world):
    client.force_login(world.maria)
    assert client.get("/policies/NO-SUCH/").status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get("/policies/I-1/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/policies/I-1/"


def test_family_holder_sees_the_family_on_the_contract(client, world):
    client.force_login(world.ivan)
    page = client.get("/policies/F-1/").content.decode()
    for name in ("Иван Димитров", "Елена Димитрова", "Ния Димитрова", "Александър Димитров"):
        assert name in page
    assert (
        "Пакет 2 — Извънболнична медицинска помощ · опция Луксозна · Клауза Б2 (без самоучастие)"
        in page
    )


def test_spouse_sees_the_contract_but_only_herself_on_it(client, world):
    client.force_login(world.elena)
    page = client.get("/policies/F-1/").content.decode()
    assert "Елена Димитрова" in page
    assert "Ния Димитрова" not in page
    assert "Александър Димитров" not in page


def test_health_data_of_family_members(world):
    """The holder sees a minor child's health data, not that of an adult spouse or a student."""
    elena_person = world.elena.insured_person
    assert can_view_health_data(world.ivan, world.child, today=TODAY)
    assert not can_view_health_data(world.ivan, elena_person, today=TODAY)
    assert not can_view_health_data(world.ivan, world.student, today=TODAY)
    assert can_view_health_data(world.elena, elena_person, today=TODAY)
    assert not can_view_health_data(world.elena, world.child, today=TODAY)  # not the holder
    assert can_view_person(world.ivan, elena_person)
    assert not can_view_person(world.maria, elena_person)


def test_employer_sees_group_people_but_not_their_health_data(client, world):
    assert list(visible_contracts(world.employer).values_list("number", flat=True)) == ["G-1"]
    assert can_view_person(world.employer, world.employee)
    assert not can_view_health_data(world.employer, world.employee)
    assert not can_view_person(world.employer, world.child)
    client.force_login(world.employer)
    assert client.get("/policies/G-1/").status_code == 200
    assert client.get("/policies/F-1/").status_code == 404


@pytest.mark.parametrize(
    ("role", "contracts", "health"),
    [
        (Role.UNDERWRITER, True, True),
        (Role.CLAIMS_ADJUSTER, True, True),
        (Role.MEDICAL_EXPERT, True, True),
        (Role.SERVICE_COORDINATOR, True, False),
        (Role.ADMINISTRATOR, True, False),
        (Role.PARTNER, False, False),
        (Role.SPECIALIST, False, False),
    ],
)
def test_insurer_staff_by_role(world, role, contracts, health):
    user = make_user(f"u-{role}", role)
    assert can_view_contract(user, world.family) is contracts
    assert can_view_person(user, world.child) is contracts
    assert can_view_health_data(user, world.child) is health


def test_inactive_user_sees_nothing(world):
    world.maria.is_active = False
    world.maria.save()
    assert not can_view_contract(world.maria, world.individual)


def test_role_required_refuses_other_roles_with_a_translated_403(client, world):
    client.force_login(world.maria)
    response = client.get("/policies/people/new/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Достъпът е отказан" in page
    client.post("/accounts/language/", {"language": "en", "next": "/"})
    assert "Access denied" in client.get("/policies/people/new/").content.decode()
    underwriter = make_user("uw", Role.UNDERWRITER)
    client.force_login(underwriter)
    assert client.get("/policies/people/new/").status_code == 200


def test_role_required_decorator_directly():
    @role_required(Role.MEDICAL_EXPERT)
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/x/")
    request.user = make_user("medic", Role.MEDICAL_EXPERT)
    assert view(request).content == b"ok"
    request.user = make_user("adjuster", Role.CLAIMS_ADJUSTER)
    with pytest.raises(PermissionDenied):
        view(request)


def test_role_required_mixin_for_class_based_views(client):
    from django.views import View

    from zdrave.base.identity.permissions import RoleRequiredMixin

    class Dashboard(RoleRequiredMixin, View):
        roles = (Role.CLAIMS_ADJUSTER,)

        def get(self, request):
            return HttpResponse("queue")

    view = Dashboard.as_view()
    request = RequestFactory().get("/queue/")
    request.user = make_user("adjuster", Role.CLAIMS_ADJUSTER)
    assert view(request).content == b"queue"
    request.user = make_user("maria")
    with pytest.raises(PermissionDenied):
        view(request)


def test_a_medical_file_follows_the_health_data_rule(world, settings, tmp_path):
    """Issue 8: ``can_access_medical_file`` is ``can_view_health_data`` for files: the owner and
    the health-data roles, not the holder of an adult spouse's contract, an employer, the
    coordinator, the administrator or a superuser."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    medical_file = upload_medical_file(
        upload("епикриза.pdf", pdf_bytes(1)), uploaded_by=world.elena
    )
    staff = {
        role: make_user(f"staff-{role}", role)
        for role in (
            Role.UNDERWRITER,
            Role.CLAIMS_ADJUSTER,
            Role.MEDICAL_EXPERT,
            Role.SERVICE_COORDINATOR,
            Role.ADMINISTRATOR,
            Role.PARTNER,
            Role.SPECIALIST,
        )
    }
    superuser = make_user("root", Role.ADMINISTRATOR, is_superuser=True, is_staff=True)

    allowed = {
        "elena": can_access_medical_file(world.elena, medical_file),
        "ivan-holder": can_access_medical_file(world.ivan, medical_file),
        "maria": can_access_medical_file(world.maria, medical_file),
        "employer": can_access_medical_file(world.employer, medical_file),
        "superuser": can_access_medical_file(superuser, medical_file),
        **{role: can_access_medical_file(user, medical_file) for role, user in staff.items()},
    }

    assert allowed == {
        "elena": True,
        "ivan-holder": False,
        "maria": False,
        "employer": False,
        "superuser": False,
        Role.UNDERWRITER: True,
        Role.CLAIMS_ADJUSTER: True,
        Role.MEDICAL_EXPERT: True,
        Role.SERVICE_COORDINATOR: False,
        Role.ADMINISTRATOR: False,
        Role.PARTNER: False,
        Role.SPECIALIST: False,
    }
