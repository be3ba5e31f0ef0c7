"""The pages: the front desk asks from its eligibility check, the member asks, the medical
expert's queue and decision, the PDF; who may open what (one rule,
``can_view_preauth_request``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contracts.factories import make_user
from providers.preauth.conftest import ask
from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import can_view_preauth_request
from zdrave.providers.network import actions as network
from zdrave.providers.preauth import actions
from zdrave.providers.preauth.models import GuaranteeLetter, PreauthRequest, RequestStatus

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_front_desk_asks_from_its_check(clinic, person, institution):
    day = timezone.localdate() + dt.timedelta(days=2)
    network.check_eligibility(actor=clinic, institution=institution, service="2.8.d", day=day,
                              egn=person.id_number)  # fmt: skip
    client = client_for(clinic)
    page = client.get(reverse("preauth:ask"))
    assert page.status_code == 200
    form = page.context["form"]
    check_id = form.initial["check_id"]
    data = {
        "check_id": check_id,
        "planned_date": day.isoformat(),
        "estimated_amount": "120.00",
        "diagnosis": "M51.1",
        "notes": "Radiculopathy, 6 weeks",
        "form_key": form.initial["form_key"],
    }
    answer = client.post(reverse("preauth:ask"), data)
    assert answer.status_code == 302
    again = client.post(reverse("preauth:ask"), data)
    assert again.status_code == 302
    assert PreauthRequest.objects.count() == 1
    found = PreauthRequest.objects.get()
    assert (found.service, found.estimated_amount) == ("2.8.d", Decimal("120.00"))
    listing = client.get(reverse("preauth:mine"))
    assert found.number in listing.content.decode()


def test_bad_diagnosis_is_named_not_a_500(clinic, person, institution):
    day = timezone.localdate() + dt.timedelta(days=2)
    network.check_eligibility(actor=clinic, institution=institution, service="2.8.d", day=day,
                              egn=person.id_number)  # fmt: skip
    client = client_for(clinic)
    form = client.get(reverse("preauth:ask")).context["form"]
    answer = client.post(
        reverse("preauth:ask"),
        {"check_id": form.initial["check_id"], "planned_date": day.isoformat(),
         "estimated_amount": "120", "diagnosis": "hello"},
    )  # fmt: skip
    assert answer.status_code == 400
    assert "K80.2" in answer.content.decode()  # the message names the rule with an example
    assert not PreauthRequest.objects.exists()


def test_member_asks_for_a_service_at_an_institution(member_user, contract, institution):
    client = client_for(member_user)
    assert client.get(reverse("preauth:ask")).status_code == 200
    answer = client.post(
        reverse("preauth:ask"),
        {
            "institution": institution.pk,
            "service": "2.8.d",
            "planned_date": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            "estimated_amount": "150.00",
            "diagnosis": "M51.1",
        },
    )
    assert answer.status_code == 302, answer.context["form"].errors
    assert PreauthRequest.objects.get().asked_via == "member"


def test_expert_queue_shows_the_clock_and_decides(request_, expert):
    client = client_for(expert)
    queue = client.get(reverse("preauth:queue"))
    assert queue.status_code == 200
    assert request_.number in queue.content.decode()
    answer = client.post(
        reverse("preauth:decide", args=[request_.number]),
        {"outcome": "approve", "amount": "300.00"},
    )
    assert answer.status_code == 302
    request_.refresh_from_db()
    assert request_.status == RequestStatus.APPROVED
    pdf = client.get(reverse("preauth:letter_pdf", args=[request_.number]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_refusal_without_a_reason_is_named(request_, expert):
    answer = client_for(expert).post(
        reverse("preauth:decide", args=[request_.number]), {"outcome": "refuse"}
    )
    assert answer.status_code == 400
    request_.refresh_from_db()
    assert request_.status == RequestStatus.SUBMITTED


def test_release_page(request_, expert):
    actions.approve_request(request_, actor=expert, amount=Decimal("300.00"))
    client = client_for(expert)
    answer = client.post(reverse("preauth:release", args=[request_.number]), {"why": "Cancelled"})
    assert answer.status_code == 302
    assert GuaranteeLetter.objects.get().status == "released"


# -- who may open what: every role --------------------------------------------------------------

OTHER_ROLES = [r for r in Role.values if r not in (Role.MEDICAL_EXPERT, Role.PROVIDER, Role.MEMBER)]


def test_rule_medical_expert_sees_all(request_, expert):
    assert can_view_preauth_request(expert, request_)
    assert (
        client_for(expert).get(reverse("preauth:detail", args=[request_.number])).status_code == 200
    )


def test_rule_provider_sees_only_own_institution(request_, clinic, other_clinic):
    assert can_view_preauth_request(clinic, request_)
    assert not can_view_preauth_request(other_clinic, request_)
    url = reverse("preauth:detail", args=[request_.number])
    assert client_for(clinic).get(url).status_code == 200
    assert client_for(other_clinic).get(url).status_code == 404
    assert (
        request_.number
        not in client_for(other_clinic).get(reverse("preauth:mine")).content.decode()
    )
    assert client_for(other_clinic).get(reverse("preauth:queue")).status_code == 403


def test_rule_member_sees_only_own(request_, member_user):
    stranger = make_user("ivo", email="ivo@example.bg")
    assert can_view_preauth_request(member_user, request_)
    assert not can_view_preauth_request(stranger, request_)
    url = reverse("preauth:detail", args=[request_.number])
    assert client_for(member_user).get(url).status_code == 200
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(member_user).get(reverse("preauth:queue")).status_code == 403


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_rule_every_other_role_is_refused(request_, role):
    user = make_user(f"u-{role}", role, email=f"{role}@insurer.bg")
    assert not can_view_preauth_request(user, request_)
    assert client_for(user).get(reverse("preauth:detail", args=[request_.number])).status_code in (
        403,
        404,
    )
    assert client_for(user).get(reverse("preauth:queue")).status_code == 403
    assert client_for(user).get(reverse("preauth:mine")).status_code == 403


def test_anonymous_goes_to_log_in(request_):
    answer = Client().get(reverse("preauth:detail", args=[request_.number]))
    assert answer.status_code == 302
    assert "login" in answer["Location"]


def test_second_request_of_the_member_from_the_desk_is_visible_to_the_member(
    clinic, member, institution, member_user
):
    found = ask(clinic, member, institution)
    assert found.number in client_for(member_user).get(reverse("preauth:mine")).content.decode()
