"""A provider bills a service given on an eligibility check: a subscription-form claim decided
by the engine at the agreed price or the reasonable and customary cost (004 Чл.29 т.11); the
co-payment stays the member's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from contracts.factories import make_user
from providers.settlement.helpers import bill, check
from zdrave.base.identity.models import Role
from zdrave.claims.models import Claim, ClaimForm, ClaimLine, ClaimStatus, Payment
from zdrave.providers.preauth import actions as preauth
from zdrave.providers.preauth.models import LetterStatus
from zdrave.providers.settlement import actions, batch
from zdrave.providers.settlement.models import Channel, ProviderClaim
from zdrave.providers.settlement.pricing import Price, customary_price, price_for


def test_claim_at_agreed_price_is_decided_and_waits_for_the_statement(clinic, institution, person):
    billed = bill(clinic, institution, person, amount="60.00")

    claim = billed.claim
    assert claim.form == ClaimForm.SUBSCRIPTION
    assert claim.status == ClaimStatus.APPROVED
    assert claim.payable == Decimal("60.00")
    assert (billed.price_basis, billed.price) == ("agreed", Decimal("60.00"))
    assert billed.eligibility_check.person == person
    assert not Payment.objects.exists()  # 004 Чл.29 т.12: paid in the monthly statement


def test_004_chl29_t11_billed_above_the_agreed_price_is_paid_at_it(clinic, institution, person):
    billed = bill(clinic, institution, person, amount="95.00")

    line = billed.claim.lines.get()
    assert billed.claim.payable == Decimal("60.00")
    assert line.eligible == Decimal("60.00")
    assert [r["code"] for r in line.reasons] == ["reasonable-cost-cap"]


def test_004_chl29_t11_customary_cost_is_the_mean_of_paid_network_prices(
    clinic, institution, person, contract
):
    # Given two paid subscription lines of 2.3.a (no agreed price) at 40.00 and 50.00
    day = dt.date.today()
    for amount, ref in (("40.00", "A"), ("50.00", "B")):
        billed = bill(clinic, institution, person, amount=amount, reference=ref, service="2.3.a")
        Claim.objects.filter(pk=billed.claim_id).update(status=ClaimStatus.PAID)
        billed.claim.lines.update(date=day - dt.timedelta(days=3), eligible=Decimal(amount))

    # Then the reasonable and customary cost is their arithmetic mean, the price of a new claim
    assert customary_price("2.3.a", day) == Decimal("45.00")
    version = contract.product_version
    assert price_for(institution, "2.3.a", day, version) == Price("customary", Decimal("45.00"))
    # and nothing older than twelve months counts
    Claim.objects.update(submitted=day)
    ClaimLine.objects.update(date=day - dt.timedelta(days=370))
    assert customary_price("2.3.a", day) is None


def test_same_idempotency_key_gives_one_claim(clinic, institution, person):
    first = bill(clinic, institution, person, key="k-1")
    again = actions.submit_provider_claim(
        actions.ProviderClaimInput(
            check_id=first.eligibility_check_id,
            reference="INV-1",
            amount=Decimal("60.00"),
            diagnosis="J06.9",
            idempotency_key="k-1",
        ),
        actor=clinic,
        institution=institution,
    )
    assert again == first
    assert ProviderClaim.objects.count() == 1
    assert Claim.objects.count() == 1


def test_a_check_is_billed_once_and_a_reference_once(clinic, institution, person):
    first = bill(clinic, institution, person)
    with pytest.raises(ValidationError) as refused:
        actions.submit_provider_claim(
            actions.ProviderClaimInput(
                check_id=first.eligibility_check_id,
                reference="INV-1",
                amount=Decimal("60.00"),
                diagnosis="J06.9",
            ),
            actor=clinic,
            institution=institution,
        )
    assert set(refused.value.message_dict) == {"check", "reference"}
    assert Claim.objects.count() == 1


def test_bad_input_names_each_field_and_writes_nothing(clinic, institution, person):
    found = check(clinic, institution, person)
    with pytest.raises(ValidationError) as refused:
        actions.submit_provider_claim(
            actions.ProviderClaimInput(
                check_id=found.pk, reference="", amount=Decimal("-1"), diagnosis="1234", quantity=0
            ),
            actor=clinic,
            institution=institution,
        )
    assert set(refused.value.message_dict) == {"reference", "amount", "diagnosis", "quantity"}
    assert refused.value.message_dict["diagnosis"][0].startswith("Код на диагнозата")
    assert not Claim.objects.exists()


def test_a_check_needing_preauthorisation_is_not_billed_without_a_letter(
    clinic, institution, person
):
    found = check(clinic, institution, person, service="2.8.d")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        actions.check_provider_claim(
            actions.ProviderClaimInput(
                check_id=found.pk, reference="X", amount=Decimal("120.00"), diagnosis="J06.9"
            ),
            institution,
        )
    assert "pre-authorisation" in refused.value.message_dict["letter"][0]
    with translation.override("en"), pytest.raises(ValidationError) as unknown:
        actions.check_provider_claim(
            actions.ProviderClaimInput(
                check_id=found.pk,
                reference="X",
                amount=Decimal("120.00"),
                diagnosis="J06.9",
                letter="GL-NONE",
            ),
            institution,
        )
    assert "GL-NONE" in unknown.value.message_dict["letter"][0]


def test_a_guarantee_letter_is_billed_and_used_by_the_claim(clinic, institution, person, contract):
    # Given the expert approved 100.00 of an MRI (2.8.d, agreed price 120.00, needs approval)
    expert = make_user("doctor", Role.MEDICAL_EXPERT)
    request = preauth.submit_request(
        actor=clinic,
        member=contract.members.get(),
        institution=institution,
        service="2.8.d",
        planned_date=dt.date.today(),
        estimated_amount=Decimal("120.00"),
        diagnosis="M51.1",
    )
    letter = preauth.approve_request(
        request, actor=expert, amount=Decimal("100.00"), reason_code="limit", reasons="Part."
    )
    found = check(clinic, institution, person, service="2.8.d")

    # When the clinic bills 120.00 on the check with the letter
    billed = actions.submit_provider_claim(
        actions.ProviderClaimInput(
            check_id=found.pk,
            reference="MRI-1",
            amount=Decimal("120.00"),
            diagnosis="M51.1",
            letter=letter.number,
        ),
        actor=clinic,
        institution=institution,
    )

    # Then the insurer pays what the letter guarantees, and the letter is used
    letter.refresh_from_db()
    assert billed.guarantee_letter == letter
    assert (billed.price_basis, billed.price) == ("guarantee", Decimal("100.00"))
    assert billed.claim.payable == Decimal("100.00")
    assert letter.status == LetterStatus.USED
    assert letter.used_amount == Decimal("100.00")
    assert [u.reference for u in letter.uses.all()] == [billed.claim.number]


def test_another_institutions_check_cannot_be_billed(
    clinic, other_clinic, institution, other_institution, person
):
    found = check(clinic, institution, person)
    with pytest.raises(ValidationError) as refused:
        actions.submit_provider_claim(
            actions.ProviderClaimInput(
                check_id=found.pk, reference="X", amount=Decimal("60.00"), diagnosis="J06.9"
            ),
            actor=other_clinic,
            institution=other_institution,
        )
    assert "check" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        bill(clinic, other_institution, person)


# -- the batch file ----------------------------------------------------------------------------


def test_batch_file_all_rows_billed(clinic, institution, person):
    a = check(clinic, institution, person)
    b = check(clinic, institution, person, service="2.3.a")
    raw = f"check;reference;amount;diagnosis\n{a.pk};B-1;60.00;J06.9\n{b.pk};B-2;30,00;J06.9\n"
    rows, errors = batch.parse(raw.encode())
    outcome = actions.submit_batch(rows, actor=clinic, institution=institution)

    assert errors == []
    assert outcome.errors == []
    assert [c.channel for c in outcome.claims] == [Channel.BATCH, Channel.BATCH]
    assert ProviderClaim.objects.count() == 2


def test_batch_file_with_a_bad_row_bills_nothing_and_names_the_row(clinic, institution, person):
    a = check(clinic, institution, person)
    raw = f"check,reference,amount,diagnosis\n{a.pk},B-1,60.00,J06.9\n{a.pk},B-2,abc,J06.9\n"
    rows, errors = batch.parse(raw.encode())
    outcome = actions.submit_batch(rows, actor=clinic, institution=institution)

    assert errors == []
    assert {(e.row, e.field) for e in outcome.errors} == {(3, "check"), (3, "amount")}
    assert not ProviderClaim.objects.exists()
    assert not Claim.objects.exists()


def test_batch_header_missing_columns_is_row_1():
    rows, errors = batch.parse(b"reference;amount\nX;1\n")
    assert rows == []
    assert [(e.row, e.field) for e in errors] == [(1, "file")]
