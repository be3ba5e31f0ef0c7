"""The sales pages for every role that may use them, and the refusals (403 / 404, nothing
leaked); the documents opened as a person would: PDF text with pypdf, the card image's size."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from contracts.factories import make_user
from policy_admin.sales.helpers import sign
from zdrave.base.identity.models import Role
from zdrave.policy_admin.sales import actions
from zdrave.policy_admin.sales.models import Decision


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(page.extract_text() for page in reader.pages)


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def issued(family, buyer, underwriter, billing):
    application, mother, father, child = family
    sign(mother, actor=buyer)
    sign(father, actor=buyer, chronic_disease=True)
    sign(child, actor=buyer, by="parent")
    actions.submit_application(application, actor=buyer)
    actions.decide_person(
        father, actor=underwriter, decision=Decision.SPECIAL, excluded_icd10=["M50-M54"]
    )
    application.refresh_from_db()
    actions.conclude_contract(application, actor=buyer)
    application.refresh_from_db()
    return application


def test_the_quote_is_public_and_shows_the_assumption_and_the_total(client):
    start = timezone.localdate().replace(day=1).isoformat()
    response = client.get(
        "/sales/quote/",
        {
            "start": start,
            "instalments": "4",
            "p1_birth": "1990-01-01",
            "p1_pkg2": "full/Б1",
            "p1_pkg6": "basic/Б1",
            "p2_birth": "2016-01-01",
            "p2_pkg2": "basic/A",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Illustrative tariff" in body
    assert "/products/health/2022-11-01/#package-2" in body
    assert 'data-testid="yearly-total"' in body


def test_004_chl17_the_quote_refuses_dental_alone(client):
    response = client.get(
        "/sales/quote/",
        {
            "start": timezone.localdate().isoformat(),
            "instalments": "1",
            "p1_birth": "1990-01-01",
            "p1_pkg6": "basic/Б1",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "004 Чл.17" in response.content.decode()


def test_the_owner_sees_the_application_others_get_404(client, family, db):
    application, *_ = family
    stranger = make_user("stranger")
    url = f"/sales/{application.reference}/"
    assert client_for(client, stranger).get(url).status_code == 404
    client.logout()
    assert client_for(client, application.owner).get(url).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.UNDERWRITER, 200),
        (Role.BILLING, 403),
        (Role.MEMBER, 403),
        (Role.CLAIMS_ADJUSTER, 403),
    ],
)
def test_only_underwriters_open_the_queue(client, db, role, status):
    user = make_user(f"u-{role}", role)
    assert client_for(client, user).get("/sales/underwriting/").status_code == status


def test_declaration_views_are_logged_as_health_data(client, family, buyer):
    from zdrave.base.audit.models import AuditEvent

    application, mother, *_ = family
    response = client_for(client, buyer).get(f"/sales/persons/{mother.pk}/declaration/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(verb="declaration_viewed").count() == 1


def test_the_policy_and_cards_open_as_a_person_reads_them(client, issued, buyer):
    c = client_for(client, buyer)
    ref = issued.reference
    policy = pdf_text(c.get(f"/sales/{ref}/policy.pdf?lang=en"))
    assert issued.contract.number in policy
    assert "Мария Петрова" in policy
    assert "M50-M54" in policy
    assert "00:00" in policy
    father = issued.persons.get(first_name="Петър")
    card = pdf_text(c.get(f"/sales/persons/{father.pk}/card.pdf?lang=en"))
    assert father.card_number in card
    assert "Петър Петров" in card
    png = c.get(f"/sales/persons/{father.pk}/card.png")
    assert png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (1011, 638)
    letter = pdf_text(c.get(f"/sales/persons/{father.pk}/letter.pdf?lang=en"))
    assert "special conditions" in letter
    assert "M50-M54" in letter


def test_the_card_check_is_for_providers_and_says_not_covered_before_payment(client, issued, db):
    father = issued.persons.get(first_name="Петър")
    url = f"/sales/cards/{father.card_number}/"
    member = make_user("nosy")
    assert client_for(client, member).get(url).status_code == 403
    client.logout()
    provider = make_user("clinic1", Role.PROVIDER)
    response = client_for(client, provider).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Няма покритие днес" in response.content.decode()


def test_billing_records_the_first_payment_on_the_application_page(client, issued, billing):
    first = issued.contract.instalments.order_by("due").first()
    c = client_for(client, billing)
    page = c.get(f"/sales/{issued.reference}/")
    assert "payment" in page.content.decode()
    response = c.post(
        f"/sales/{issued.reference}/payment/",
        {"paid_on": timezone.localdate().isoformat(), "amount": str(first.amount)},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.paid_on == timezone.localdate()


def test_the_buyer_cannot_record_a_payment(client, issued, buyer):
    response = client_for(client, buyer).post(
        f"/sales/{issued.reference}/payment/", {"paid_on": "2026-01-01", "amount": "1"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "application", "declaration", "review"),
    [
        (Role.UNDERWRITER, 200, 200, 200),
        (Role.BILLING, 200, 404, 403),
        (Role.ADMINISTRATOR, 200, 404, 403),
        (Role.MEMBER, 404, 404, 403),
        (Role.EMPLOYER, 404, 404, 403),
        (Role.CLAIMS_ADJUSTER, 404, 404, 403),
        (Role.PROVIDER, 404, 404, 403),
    ],
)
def test_who_opens_an_application_its_declarations_and_the_review(
    client, family, buyer, role, application, declaration, review
):
    app, mother, father, child = family
    sign(mother, actor=buyer)
    sign(father, actor=buyer, chronic_disease=True)
    sign(child, actor=buyer, by="parent")
    actions.submit_application(app, actor=buyer)
    c = client_for(client, make_user(f"r-{role}", role))
    assert c.get(f"/sales/{app.reference}/").status_code == application
    assert c.get(f"/sales/persons/{father.pk}/declaration/").status_code == declaration
    response = c.get(f"/sales/underwriting/{father.pk}/")
    assert response.status_code == review
    if review == 200:
        assert "Хронични заболявания" in response.content.decode()


def test_a_referred_person_has_no_letter_until_decided(client, family, buyer):
    app, mother, father, child = family
    sign(mother, actor=buyer)
    sign(father, actor=buyer, chronic_disease=True)
    sign(child, actor=buyer, by="parent")
    actions.submit_application(app, actor=buyer)
    c = client_for(client, buyer)
    assert c.get(f"/sales/persons/{father.pk}/letter/").status_code == 404
    assert c.get(f"/sales/persons/{mother.pk}/letter/").status_code == 200
    assert c.get(f"/sales/persons/{mother.pk}/card.pdf").status_code == 404
