"""Provider relations keep the network (issue 12): institutions with a valid ЕИК, prices per
002 row, doctors, locations, front-desk accounts; a change of the network e-mails the insured
people it concerns through the outbox (004 Чл.24 т.4: "ЗАСТРАХОВАТЕЛЯТ уведомява ЗАСТРАХОВАНИЯ за
всички промени, настъпили в списъка с лечебните заведения")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from base.outbox.conftest import SmtpServer, free_port
from conftest import run_worker_batch
from contracts.factories import contract_with, make_user
from providers.network.conftest import eik, institution_data
from zdrave.base.audit.models import AuditEvent
from zdrave.base.identity.models import Role
from zdrave.base.outbox.models import OutboxMessage
from zdrave.providers.network import actions
from zdrave.providers.network.emails import notify_network_change
from zdrave.providers.network.models import AgreedPrice, Institution, NetworkChange

STAFF = "/providers/staff/"


def form(**overrides) -> dict:
    data = institution_data(**overrides)
    return {
        **{k: v for k, v in data.items() if k not in ("specialties", "packages", "agreement_to")},
        "specialties": data["specialties"],
        "packages": [str(p) for p in data["packages"]],
        "agreement_from": data["agreement_from"].isoformat(),
        "agreement_to": "",
    }


def test_staff_add_an_institution_from_the_page(client, relations):
    client.force_login(relations)

    response = client.post(STAFF, form())

    institution = Institution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{STAFF}{institution.pk}/"
    assert institution.packages_of("health") == {1, 2}
    assert AuditEvent.objects.filter(verb="add_institution").count() == 1


@pytest.mark.parametrize(
    ("number", "words"),
    [
        pytest.param("131456789", "контролната цифра", id="eik-check-digit"),
        pytest.param("1314", "точно 9 цифри", id="eik-length"),
    ],
)
def test_a_bad_eik_is_refused_with_its_rule(client, relations, number, words):
    client.force_login(relations)

    response = client.post(STAFF, form(eik=number))

    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Institution.objects.exists()


def test_the_same_eik_twice_is_one_institution(client, relations):
    client.force_login(relations)
    client.post(STAFF, form())

    response = client.post(STAFF, form())

    assert "вече е в списъка" in response.content.decode()
    assert Institution.objects.count() == 1


def test_a_price_must_name_a_service_row_of_002(institution, relations):
    with pytest.raises(ValidationError) as refused:
        actions.set_price(institution, actor=relations, service="2.1", price=Decimal("10.00"))

    assert "service" in refused.value.message_dict
    assert not AgreedPrice.objects.filter(service="2.1").exists()


def test_a_price_changes_in_place(institution, relations):
    actions.set_price(institution, actor=relations, service="2.1.b", price=Decimal("65.00"))

    assert AgreedPrice.objects.get(institution=institution, service="2.1.b").price == Decimal(
        "65.00"
    )


def test_only_provider_accounts_are_linked(institution, relations):
    member = make_user("someone")

    with pytest.raises(ValidationError):
        actions.link_provider_user(member, institution, actor=relations)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        pytest.param(Role.ADMINISTRATOR, 200, id="administrator"),
        pytest.param(Role.UNDERWRITER, 200, id="underwriter"),
        pytest.param(Role.CLAIMS_ADJUSTER, 403, id="adjuster"),
        pytest.param(Role.PROVIDER, 403, id="provider"),
        pytest.param(Role.MEMBER, 403, id="member"),
    ],
)
def test_who_keeps_the_network(client, db, institution, role, status):
    client.force_login(make_user(f"u-{role}", role))

    assert client.get(STAFF).status_code == status
    assert client.get(f"{STAFF}{institution.pk}/").status_code == status


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection
def test_leaving_the_network_e_mails_the_members_it_served_over_smtp(
    db, settings, relations, institution, django_capture_on_commit_callbacks
):
    """004 Чл.24 т.4; delivered by the real worker to a real SMTP server on loopback."""
    port = free_port()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    served = make_user("served", email="served@example.bg")
    contract_with(served, number="H-1", extra_care=False)  # package 2: served by the institution
    dental = make_user("dental", email="dental@example.bg")
    dental_contract = contract_with(dental, number="H-2", extra_care=False)
    dental_contract.covers.filter(package=2).update(package=6, option="basic", clause="Б2")
    server = SmtpServer(port)
    server.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            change = actions.leave_network(
                institution,
                actor=relations,
                effective=timezone.localdate() + dt.timedelta(days=30),
                site_url="https://portal.example.bg/",
            )
        with django_capture_on_commit_callbacks(execute=True):
            run_worker_batch()  # writes the e-mails into the outbox
        run_worker_batch()  # delivers them
    finally:
        server.stop()

    change.refresh_from_db()
    assert change.notified == 1
    (message,) = OutboxMessage.objects.filter(to=["served@example.bg"])
    assert "излиза от нашата мрежа" in message.subject
    assert institution.name in message.body_text
    assert institution.phone in message.body_text
    assert "https://portal.example.bg/providers/" in message.body_text
    assert not OutboxMessage.objects.filter(to=["dental@example.bg"]).exists()
    assert [e.rcpt_tos for e in server.envelopes] == [["served@example.bg"]]


def test_a_change_is_told_once(db, relations, institution, member_user, contract, mailoutbox):
    """The member's package 2 is served: told once, however often the task runs."""
    change = NetworkChange.objects.get(institution=institution)

    assert notify_network_change(change.pk) == 1
    assert notify_network_change(change.pk) == 0
    assert [m.to for m in mailoutbox] == [["mila@example.bg"]]


def test_leaving_twice_is_refused(relations, institution):
    actions.leave_network(institution, actor=relations, effective=timezone.localdate())

    with pytest.raises(ValidationError):
        actions.leave_network(institution, actor=relations, effective=timezone.localdate())
    assert NetworkChange.objects.filter(institution=institution, kind="left").count() == 1


def test_another_institution_eik(relations):
    found = actions.add_institution(actor=relations, **institution_data(eik=eik("20312345")))

    assert found.eik == eik("20312345")


def test_the_institution_page_forms(client, relations, institution):
    client.force_login(relations)
    page = f"{STAFF}{institution.pk}/"
    desk = make_user("desk9", Role.PROVIDER)

    client.post(page + "price/", {"service": "2.8.c", "price": "35.00"})
    client.post(page + "location/", {"name": "Филиал", "address": "ул. 1", "city": "Перник"})
    client.post(page + "doctor/", {"name": "Д-р Тест", "specialty": "neurology"})
    client.post(page + "account/", {"user": desk.pk})
    edited = client.post(page + "edit/", {**form(city="Бургас"), "eik": ""})

    assert edited.status_code == 302
    institution.refresh_from_db()
    assert institution.city == "Бургас"
    assert institution.prices.get(service="2.8.c").price == Decimal("35.00")
    assert institution.locations.get().city == "Перник"
    assert institution.doctors.get().specialty == "neurology"
    assert desk.provider_link.institution == institution
    shown = client.get(page).content.decode()
    assert "Д-р Тест" in shown
    assert "Филиал" in shown


def test_a_refused_form_shows_its_rule_on_the_page(client, relations, institution):
    client.force_login(relations)
    page = f"{STAFF}{institution.pk}/"

    early = client.post(page + "leave/", {"effective": "2000-01-01"})
    heading = client.post(page + "price/", {"service": "2.1", "price": "10.00"})

    assert early.status_code == 400
    assert "трябва да е след първия ден на договора" in early.content.decode()
    assert heading.status_code == 400
    assert "не е ред с услуга от 002" in heading.content.decode()
    institution.refresh_from_db()
    assert institution.status == "active"
