"""Renewal offers before the end date: the daily run (45 days before the end), the re-priced
premium (the tariff at the new start, each person's age then), who is left out (004 Чл.24
т.2–3), the holder's answer, and the next contract linked to the previous one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from contracts.factories import make_person
from policy_admin.renewal.conftest import ending_contract, group_contract
from zdrave.contracts import actions as contracts
from zdrave.contracts.continuity import continues_previous
from zdrave.contracts.models import Contract, ContractStatus, MemberRole, TerminationReason
from zdrave.engine.calendar import add_months, age_in_years
from zdrave.engine.tariff import Choice, PersonRequest, QuoteRequest, price_quote
from zdrave.policy_admin.renewal import actions
from zdrave.policy_admin.renewal.models import OfferStatus, RenewalOffer
from zdrave.policy_admin.renewal.pricing import LEAD_DAYS
from zdrave.policy_admin.sales import tariff as tariffs

TODAY = timezone.localdate


@pytest.mark.parametrize(
    ("days_before_end", "offered"),
    [
        pytest.param(46, 0, id="renewal-46-days-before-the-end-not-yet"),
        pytest.param(45, 1, id="renewal-45-days-before-the-end-offered"),
        pytest.param(0, 1, id="renewal-on-the-last-day-offered"),
    ],
)
def test_renewal_offer_is_made_45_days_before_the_end(holder_user, days_before_end, offered):
    contract = ending_contract("R-1", user=holder_user)
    on = contract.end - dt.timedelta(days=days_before_end)
    assert actions.open_renewal_offers(on)["offered"] == offered
    assert RenewalOffer.objects.count() == offered
    assert LEAD_DAYS == 45


def test_renewal_no_offer_after_the_end(holder_user):
    contract = ending_contract("R-1", user=holder_user)
    assert actions.open_renewal_offers(contract.end + dt.timedelta(days=1))["offered"] == 0


def test_renewal_offer_is_priced_by_the_tariff_at_the_new_start(holder_user):
    contract = ending_contract("R-1", user=holder_user)
    actions.open_renewal_offers(TODAY())
    actions.open_renewal_offers(TODAY())  # the same day again offers nothing more
    offer = RenewalOffer.objects.get()
    start = contract.end + dt.timedelta(days=1)
    assert (offer.start, offer.end, offer.answer_by) == (
        start,
        add_months(start, 12) - dt.timedelta(days=1),
        contract.end,
    )
    version = tariffs.product_for(start)
    tariff = tariffs.tariff_for("health", version.effective_from, start)
    person = contract.members.get().person
    expected = price_quote(
        tariff,
        QuoteRequest(
            start=start,
            persons=(PersonRequest("x", person.birth_date, (Choice(2, "full", "Б1"),)),),
            instalments=4,
        ),
        tariffs.packages_of(version),
    )
    assert offer.premium == expected.payable
    assert [Decimal(a) for a in offer.instalments] == list(expected.instalments)
    assert offer.previous_premium == Decimal("600.00")
    assert offer.persons[0]["age"] == age_in_years(person.birth_date, start)
    [sent] = mail.outbox
    assert sent.to == ["mila@example.bg"]
    assert "R-1" in sent.subject
    assert sent.attachments[0][1].startswith(b"%PDF")
    assert offer.emailed


def _end_of_offer(contract):
    return add_months(contract.end + dt.timedelta(days=1), 12) - dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("years_at_new_end", "left_out"),
    [
        pytest.param(65, False, id="004-chl24-t3-65-at-the-end-offered"),
        pytest.param(66, True, id="004-chl24-t3-66-at-the-end-left-out"),
    ],
)
def test_004_chl24_t3_older_than_65_at_the_new_end_is_not_offered(
    holder_user, years_at_new_end, left_out
):
    end = TODAY() + dt.timedelta(days=30)
    new_end = add_months(end + dt.timedelta(days=1), 12) - dt.timedelta(days=1)
    # Born the day after the new end, years_at_new_end + 1 years before: that many completed.
    colleague_birth = add_months(new_end + dt.timedelta(days=1), -12 * (years_at_new_end + 1))
    contract = ending_contract(
        "R-2",
        user=holder_user,
        end=end,
        kind="family",
        others=(("Иван", "Стар", colleague_birth, MemberRole.SPOUSE, False),),
    )
    assert age_in_years(colleague_birth, new_end) == years_at_new_end
    offer = actions.offer_renewal(contract)
    assert len(offer.left_out) == int(left_out)
    if left_out:
        assert "004 Чл.24 т.3" in offer.left_out[0]["reason"]


@pytest.mark.parametrize(
    ("student", "offered"),
    [
        pytest.param(False, False, id="004-chl24-t2-child-18-not-student-left-out"),
        pytest.param(True, True, id="004-chl24-t2-student-18-offered"),
    ],
)
def test_004_chl24_t2_a_child_of_18_stays_only_as_a_student(holder_user, student, offered):
    end = TODAY() + dt.timedelta(days=30)
    birth = add_months(end + dt.timedelta(days=1), -12 * 18)  # 18 on the new start
    contract = ending_contract(
        "R-3",
        user=holder_user,
        end=end,
        kind="family",
        others=(("Ива", "Млада", birth, MemberRole.CHILD, student),),
    )
    offer = actions.offer_renewal(contract)
    assert [p["name"] for p in offer.persons if "Ива" in p["name"]] == (
        ["Ива Млада"] if offered else []
    )


def test_renewal_accepted_is_the_next_contract_linked_to_the_previous(holder_user):
    contract = ending_contract("R-1", user=holder_user)
    member = contract.members.get()
    contracts.set_special_conditions(
        member, agreed_on=contract.start, by=None, excluded_icd10=["K80"], loading_percent=10
    )
    offer = actions.offer_renewal(contract)
    mail.outbox.clear()
    accepted = actions.accept_offer(offer, actor=holder_user)
    again = actions.accept_offer(offer, actor=holder_user)  # a double submit
    new = accepted.new_contract
    assert again.new_contract == new
    assert (new.previous, new.start, new.end, new.status) == (
        contract,
        offer.start,
        offer.end,
        ContractStatus.IN_FORCE,
    )
    assert new.holder == contract.holder
    renewed = new.members.get()
    assert renewed.person == member.person
    assert renewed.special_conditions.excluded_icd10 == ["K80"]
    assert [(c.package, c.option, c.clause) for c in new.covers.all()] == [(2, "full", "Б1")]
    dues = [i.due for i in new.instalments.order_by("due")]
    assert dues == [add_months(offer.start, 3 * i) for i in range(4)]
    assert sum(i.amount for i in new.instalments.all()) == offer.premium
    # 001 т.25 / 003 т.23: no new waiting period once the first instalment is paid on time.
    first = new.instalments.order_by("due").first()
    contracts.record_premium_payment(first, TODAY(), first.amount, by=None)
    assert continues_previous(renewed) is True
    [sent] = mail.outbox
    assert new.number in sent.body or "renewed" in sent.subject


def test_renewal_declined_the_contract_runs_out(holder_user):
    contract = ending_contract("R-1", user=holder_user)
    offer = actions.offer_renewal(contract)
    actions.decline_offer(offer, actor=holder_user)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    with pytest.raises(ValidationError, match="already answered"):
        actions.accept_offer(offer, actor=holder_user)
    assert not Contract.objects.filter(previous=contract).exists()


@pytest.mark.parametrize(
    ("days_after_end", "accepted"),
    [
        pytest.param(0, True, id="renewal-accepted-on-the-last-day"),
        pytest.param(1, False, id="renewal-not-accepted-the-day-after"),
    ],
)
def test_renewal_offer_is_answered_by_the_last_day_of_cover(holder_user, days_after_end, accepted):
    contract = ending_contract(
        "R-1", user=holder_user, end=TODAY() - dt.timedelta(days=days_after_end)
    )
    offer = actions.offer_renewal(contract, on=contract.end - dt.timedelta(days=45))
    if accepted:
        assert actions.accept_offer(offer, actor=holder_user).status == OfferStatus.ACCEPTED
    else:
        with pytest.raises(ValidationError, match="could be accepted until"):
            actions.accept_offer(offer, actor=holder_user)
        assert actions.expire_offers(TODAY()) == 1
        offer.refresh_from_db()
        assert offer.status == OfferStatus.EXPIRED


def test_renewal_only_the_holder_answers(holder_user, stranger, underwriter):
    contract = ending_contract("R-1", user=holder_user)
    offer = actions.offer_renewal(contract)
    for user in (stranger, underwriter):
        with pytest.raises(PermissionDenied):
            actions.accept_offer(offer, actor=user)
        with pytest.raises(PermissionDenied):
            actions.decline_offer(offer, actor=user)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OFFERED


def test_004_chl28_no_offer_for_a_terminated_contract(holder_user):
    contract = ending_contract("R-1", user=holder_user)
    contracts.terminate_contract(contract, on=TODAY(), reason=TerminationReason.MUTUAL, by=None)
    assert actions.open_renewal_offers(TODAY())["offered"] == 0


def test_renewal_group_is_priced_with_its_size(employer):
    contract = group_contract("G-1", user=employer)
    offer = actions.offer_renewal(contract)
    assert len(offer.persons) == 10
    accepted = actions.accept_offer(offer, actor=employer)
    assert accepted.new_contract.members.count() == 10


def test_renewal_daily_command_makes_the_offers(holder_user):
    ending_contract("R-1", user=holder_user)
    call_command("renewal_daily", "--on", TODAY().isoformat(), "--no-schedule", verbosity=0)
    assert RenewalOffer.objects.count() == 1


def test_renewal_person_added_later_to_the_new_contract_waits(holder_user):
    contract = ending_contract("R-1", user=holder_user, kind="family")
    offer = actions.offer_renewal(contract)
    new = actions.accept_offer(offer, actor=holder_user).new_contract
    baby = make_person("Бебо", "Нов", TODAY() - dt.timedelta(days=200))
    member = contracts.add_member(
        new, baby, MemberRole.CHILD, actor=None, covered_from=new.start + dt.timedelta(days=10)
    )
    assert continues_previous(member) is False


def test_004_chl28_an_offer_of_a_contract_terminated_since_cannot_be_accepted(holder_user):
    contract = ending_contract("R-1", user=holder_user)
    offer = actions.offer_renewal(contract)
    contracts.terminate_contract(contract, on=TODAY(), reason=TerminationReason.MUTUAL, by=None)
    with pytest.raises(ValidationError, match="was terminated"):
        actions.accept_offer(offer, actor=holder_user)
    offer.refresh_from_db()
    assert (offer.status, offer.new_contract) == (OfferStatus.OFFERED, None)
