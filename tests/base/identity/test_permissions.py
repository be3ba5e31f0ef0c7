"""The role rules of zdrave.base.identity.permissions: role_required and its class-based twin,
and the one rule for medical files."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from base.documents.files import pdf_bytes, upload
from contracts.factories import make_user
from zdrave.base.documents.actions import upload_medical_file
from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import (
    RoleRequiredMixin,
    can_access_medical_file,
    role_required,
)

pytestmark = pytest.mark.django_db


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
