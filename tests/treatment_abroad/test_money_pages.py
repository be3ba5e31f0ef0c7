"""The money forms of the case page: the case manager's bill names the provider and its IBAN
(001 т.72.3), the member asks for the post-operative medicines (001 т.53 / 003 т.49); bad input
is a message on the field, never a payment; each role only its own forms (403 otherwise)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from treatment_abroad.test_pages import client_for
from treatment_abroad.test_paid_through_claims import HOSPITAL_IBAN, _in_hospital, days_ago
from zdrave.claims.models import Claim, Payee

KEY = "5d2f7f1e0a8b4c3d9e6f1a2b3c4d5e6f"


def _bill(**fields):
    data = {
        "benefit": "repatriation",
        "amount": "800.00",
        "date": days_ago(2).isoformat(),
        "paid_to": "Air Ambulance",
        "iban": HOSPITAL_IBAN,
        "form_key": KEY,
    }
    data.update(fields)
    return data


def test_bill_with_a_wrong_iban_is_explained_and_pays_nothing(member, manager):
    case = _in_hospital(member, manager)
    before = Claim.objects.count()
    url = reverse("treatment_abroad:act", args=[case.number, "bill"])
    response = client_for(manager).post(url, _bill(iban="DE00 1234"))
    assert response.status_code == 200
    assert "IBAN" in response.content.decode()
    assert Claim.objects.count() == before


def test_bill_sent_twice_is_one_provider_claim(member, manager):
    case = _in_hospital(member, manager)
    client = client_for(manager)
    url = reverse("treatment_abroad:act", args=[case.number, "bill"])
    assert client.post(url, _bill()).status_code == 302
    assert client.post(url, _bill()).status_code == 302
    claims = Claim.objects.filter(member=member, payee=Payee.PROVIDER, iban=HOSPITAL_IBAN)
    assert claims.count() == 1
    page = client.get(reverse("treatment_abroad:detail", args=[case.number])).content.decode()
    assert claims.get().number in page


def test_a_member_may_not_record_a_bill_nor_a_manager_ask_for_medicines(member, manager):
    case = _in_hospital(member, manager)
    bill = reverse("treatment_abroad:act", args=[case.number, "bill"])
    medicines = reverse("treatment_abroad:act", args=[case.number, "medicines"])
    assert client_for(member.person.user).post(bill, _bill()).status_code == 403
    data = {"amount": "50", "purchased": days_ago(3).isoformat(), "iban": HOSPITAL_IBAN}
    assert client_for(manager).post(medicines, data).status_code == 403
    assert not Claim.objects.filter(iban=HOSPITAL_IBAN).exists()


def test_member_asks_for_post_operative_medicines_on_the_case(member, manager, version):
    case = _in_hospital(member, manager)
    url = reverse("treatment_abroad:act", args=[case.number, "medicines"])
    data = {
        "amount": "95.50",
        "purchased": days_ago(3).isoformat(),
        "country": "de",
        "iban": "BG80 BNBG 9661 1020 3456 78",
        "form_key": KEY,
    }
    response = client_for(member.person.user).post(url, data)
    assert response.status_code == 302
    claim = Claim.objects.get(member=member, payee=Payee.INSURED)
    assert (claim.payable, claim.iban) == (Decimal("95.50"), "BG80BNBG96611020345678")
    bad = client_for(member.person.user).post(url, {**data, "country": "DEU", "form_key": ""})
    assert bad.status_code == 200
    assert Claim.objects.filter(member=member, payee=Payee.INSURED).count() == 1
