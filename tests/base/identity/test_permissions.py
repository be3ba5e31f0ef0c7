"""The role rules of zdrave.base.identity.permissions: role_required and its class-based twin."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from contracts.factories import make_user
from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import RoleRequiredMixin, role_required

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
