"""The case pages as each role sees them: the member opens a case and acts on it, the case
manager works it from the queue; anyone else learns nothing (404 / 403). Every view of a case
is logged (health data)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from contracts.factories import make_user
from treatment_abroad.conftest import scan
from zdrave.base.audit.models import AuditEvent
from zdrave.base.identity.models import Role
from zdrave.treatment_abroad.models import AbroadCase, CaseStatus


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_by_form(client, member, **fields):
    page = client.get(reverse("treatment_abroad:new"))
    key = page.context["form"]["form_key"].value()
    data = {
        "member": str(member.pk),
        "condition": "cancer",
        "diagnosis": "C50.4",
        "treating_doctor": "Д-р Иванова",
        "form_key": key,
        "file": scan(),
    }
    data.update(fields)
    return client.post(reverse("treatment_abroad:new"), data)


def test_member_opens_a_case_once_and_sees_the_timeline(member, manager):
    client = client_for(member.person.user)
    response = open_by_form(client, member)
    case = AbroadCase.objects.get()
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert case.number in text
    assert AuditEvent.objects.filter(verb="view_abroad_case", object_id=str(case.pk)).exists()
    # the same form again: still one case
    again = client.post(
        reverse("treatment_abroad:new"),
        {
            "member": str(member.pk),
            "condition": "cancer",
            "diagnosis": "C50.4",
            "treating_doctor": "x",
            "form_key": case.idempotency_key,
        },
    )
    assert again.status_code == 302
    assert AbroadCase.objects.count() == 1


def test_diagnosis_not_covered_is_shown_on_the_form(member, manager, version):
    client = client_for(member.person.user)
    response = open_by_form(client, member, diagnosis="I10")
    assert response.status_code == 200
    clause = "001 т.42" if version == "001" else "003 т.38"
    assert clause in response.content.decode()
    assert AbroadCase.objects.count() == 0


def test_case_manager_works_the_case_from_the_queue(member, manager):
    open_by_form(client_for(member.person.user), member)
    case = AbroadCase.objects.get()
    client = client_for(manager)
    queue = client.get(reverse("treatment_abroad:queue"))
    assert case.number in queue.content.decode()
    response = client.post(reverse("treatment_abroad:act", args=[case.number, "file_complete"]), {})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.FILE_COMPLETE
    # a member's action is not the case manager's
    refused = client.post(
        reverse("treatment_abroad:act", args=[case.number, "choose"]), {"choice": "bulgaria"}
    )
    assert refused.status_code == 403


def test_others_learn_nothing(member, manager):
    open_by_form(client_for(member.person.user), member)
    case = AbroadCase.objects.get()
    url = reverse("treatment_abroad:detail", args=[case.number])
    for username, role in (
        ("other", Role.MEMBER),
        ("adj", Role.CLAIMS_ADJUSTER),
        ("medx", Role.MEDICAL_EXPERT),
        ("coord", Role.SERVICE_COORDINATOR),
    ):
        response = client_for(make_user(username, role)).get(url)
        assert response.status_code == 404, username
    assert (
        client_for(make_user("adj2", Role.CLAIMS_ADJUSTER))
        .get(reverse("treatment_abroad:queue"))
        .status_code
        == 403
    )
    assert Client().get(url).status_code == 302


def test_precertificate_pdf_reads_as_the_hospital_would(member, manager, version):
    import io
    from decimal import Decimal

    from pypdf import PdfReader

    from treatment_abroad.test_case_path import opened, to_hospital_chosen
    from zdrave.treatment_abroad.actions import money

    case = to_hospital_chosen(opened(member), manager, member.person.user)
    money.issue_precertificate(case, actor=manager, amount=Decimal("40000.00"))
    case.refresh_from_db()
    response = client_for(manager).get(
        reverse("treatment_abroad:precertificate", args=[case.number])
    )
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Charité Berlin" in text
    assert case.precertificate_number in text
    assert "40 000,00" in text.replace("\u202f", " ")
    assert ("001 т.72.1" in text) == (version == "001")
    assert AuditEvent.objects.filter(verb="view_abroad_precertificate").count() == 1
    stranger = client_for(make_user("nosy"))
    assert (
        stranger.get(reverse("treatment_abroad:precertificate", args=[case.number])).status_code
        == 404
    )
