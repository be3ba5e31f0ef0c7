"""The duplicate check at intake (docs/decisions.md, "Claims workflow"): a line another live
claim already holds is flagged, the claim goes to an adjuster and nothing is paid without a
person. Two rules: the same invoice number from the same provider; the same person, date of
service and amount."""

from __future__ import annotations

from claims.builders import submit
from zdrave.claims.actions.intake import withdraw
from zdrave.claims.models import ClaimStatus, Payment


def _flags(claim):
    return [(f["line"], f["rule"]) for f in claim.duplicate_flags]


def test_the_same_invoice_from_the_same_provider_is_flagged(member, member_user):
    first = submit(member, member_user, key="a", amount="150.00", days_ago=3)
    second = submit(member, member_user, key="b", amount="90.00", days_ago=5)
    assert _flags(second) == [(0, "same_invoice")]
    assert second.duplicate_flags[0]["claim"] == first.number
    assert second.status == ClaimStatus.REFERRED_ADJUSTER
    assert not Payment.objects.filter(claim=second).exists()


def test_the_same_person_day_and_amount_is_flagged_whatever_the_invoice(member, member_user):
    submit(member, member_user, key="a", invoice="111")
    second = submit(member, member_user, key="b", invoice="222")
    assert _flags(second) == [(0, "same_person_date_amount")]
    assert second.status == ClaimStatus.REFERRED_ADJUSTER


def test_the_same_invoice_number_from_another_provider_is_not_a_duplicate(member, member_user):
    submit(member, member_user, key="a", amount="60.00", days_ago=3)
    other = submit(
        member, member_user, key="b", amount="70.00", days_ago=4, provider="Друга клиника"
    )
    assert other.duplicate_flags == []


def test_a_withdrawn_claim_does_not_make_a_duplicate(member, member_user):
    first = submit(member, member_user, key="a", diagnosis="")
    withdraw(first, actor=member_user)
    again = submit(member, member_user, key="b")
    assert again.duplicate_flags == []


def test_a_line_matching_both_rules_is_flagged_once_case_aside(member, member_user):
    # The same invoice (other case), the same provider (other case), person, day and amount:
    # the earlier line is one duplicate, flagged by the first rule — on PostgreSQL the
    # after-lock read finds it by both conditions and must return it once.
    first = submit(member, member_user, key="a", invoice="inv-77")
    second = submit(member, member_user, key="b", invoice="INV-77", provider="мц здраве")
    assert _flags(second) == [(0, "same_invoice")]
    assert second.duplicate_flags[0]["claim"] == first.number
