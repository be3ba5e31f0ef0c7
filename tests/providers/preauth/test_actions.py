"""Asking, deciding, holding, using, releasing and expiring (issue 12; 004 Чл.26 т.1, Чл.29
т.11)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from providers.preauth.conftest import ask
from zdrave.claims.fetch import history_for
from zdrave.providers.network.front_desk import answer_for
from zdrave.providers.preauth import actions
from zdrave.providers.preauth.fetch import without_hold
from zdrave.providers.preauth.letters import guarantee_pdf
from zdrave.providers.preauth.models import (
    GuaranteeLetter,
    LetterStatus,
    PreauthRequest,
    RequestStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def capped(contract):
    """004 Чл.26 т.1: an aggregate limit of 1 000 EUR for the person."""
    contract.aggregate_limit = Decimal("1000.00")
    contract.save(update_fields=["aggregate_limit"])
    return contract


def test_provider_asks_for_a_marked_service_and_the_clock_starts(request_, clinic):
    assert request_.status == RequestStatus.SUBMITTED
    assert request_.number.startswith("PA-")
    assert request_.asked_by == clinic
    assert request_.due_at > request_.submitted_at


def test_same_form_twice_makes_one_request(clinic, member, institution):
    first = ask(clinic, member, institution, form_key="k1")
    again = ask(clinic, member, institution, form_key="k1")
    assert first.pk == again.pk
    assert PreauthRequest.objects.count() == 1


def test_a_service_without_prior_approval_is_refused_at_the_form(clinic, member, institution):
    # 2.1.b is not marked by the agreement and not hospital care (002 III): billed directly.
    with pytest.raises(ValidationError) as caught:
        ask(clinic, member, institution, service="2.1.b")
    assert "004 Чл.29 т.11" in str(caught.value.message_dict["service"])
    assert PreauthRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("diagnosis", {"diagnosis": "XYZ"}),
        ("estimated_amount", {"estimated_amount": Decimal("0")}),
        ("planned_date", {"planned_date": dt.date(2000, 1, 1)}),
        ("service", {"service": "9.9.z"}),
    ],
)
def test_bad_input_names_the_field(clinic, member, institution, field, overrides):
    with pytest.raises(ValidationError) as caught:
        ask(clinic, member, institution, **overrides)
    assert field in caught.value.message_dict
    assert PreauthRequest.objects.count() == 0


def test_another_institution_cannot_ask_for_this_one(other_clinic, member, institution):
    with pytest.raises(PermissionDenied):
        ask(other_clinic, member, institution)


def test_approval_issues_a_letter_that_holds_the_amount_against_the_limit(
    capped, request_, expert, member, institution
):
    """004 Чл.26 т.1: the held 300 EUR counts as used until the letter is used or released."""
    letter = actions.approve_request(request_, actor=expert, amount=Decimal("300.00"))
    request_.refresh_from_db()
    assert request_.status == RequestStatus.APPROVED
    assert letter.number == "GL-" + request_.number.removeprefix("PA-")
    assert letter.held == Decimal("300.00")
    held = [line for line in history_for(member.pk) if line.service == "2.8.d"]
    assert [line.paid for line in held] == [Decimal("300.00")]
    # The front desk sees the aggregate limit with the guarantee held.
    answer = answer_for(institution, "2.8.d", request_.planned_date, person=member.person,
                        member=member)  # fmt: skip
    aggregate = [line for line in answer.limits if line.clause == "004 Чл.26 т.1"]
    assert aggregate[0].used == Decimal("300.00")
    assert aggregate[0].left == Decimal("700.00")


def test_decision_mails_the_member_and_the_desk_with_the_letter(
    request_, expert, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        letter = actions.approve_request(request_, actor=expert, amount=Decimal("300.00"))
    assert sorted(m.to[0] for m in mail.outbox) == ["desk@clinic.bg", "mila@example.bg"]
    for message in mail.outbox:
        assert request_.number in message.subject
        assert message.attachments[0][0] == f"{letter.number}.pdf"
        assert message.attachments[0][1].startswith(b"%PDF")


def test_approval_beyond_what_the_limit_leaves_is_refused(capped, clinic, member, institution,
                                                          expert):  # fmt: skip
    first = ask(clinic, member, institution, amount="800.00")
    second = ask(clinic, member, institution, amount="400.00")
    actions.approve_request(first, actor=expert, amount=Decimal("800.00"))
    with pytest.raises(ValidationError) as caught:
        actions.approve_request(second, actor=expert, amount=Decimal("400.00"))
    assert "200,00 €" in str(caught.value.message_dict["amount"])
    second.refresh_from_db()
    assert second.status == RequestStatus.SUBMITTED
    assert GuaranteeLetter.objects.count() == 1


def test_partial_approval_needs_a_reason_with_its_clause(capped, request_, expert):
    with pytest.raises(ValidationError) as caught:
        actions.approve_request(request_, actor=expert, amount=Decimal("200.00"))
    assert "reasons" in caught.value.message_dict
    letter = actions.approve_request(
        request_, actor=expert, amount=Decimal("200.00"), reason_code="limit",
        reasons="Only the MRI of the lumbar spine.",
    )  # fmt: skip
    request_.refresh_from_db()
    assert request_.status == RequestStatus.PARTLY_APPROVED
    assert request_.clause == "004 Чл.26 т.1"
    assert letter.amount == Decimal("200.00")


def test_refusal_cites_the_clause_and_holds_nothing(request_, expert, member):
    actions.refuse_request(request_, actor=expert, reason_code="excluded", reasons="Cosmetic.")
    request_.refresh_from_db()
    assert request_.status == RequestStatus.REFUSED
    assert request_.clause == "004 Чл.21(1)"
    assert not GuaranteeLetter.objects.exists()
    assert [line for line in history_for(member.pk) if line.service == "2.8.d"] == []


def test_a_decided_request_is_not_decided_again(request_, expert):
    actions.refuse_request(request_, actor=expert, reason_code="excluded", reasons="Cosmetic.")
    with pytest.raises(ValidationError):
        actions.approve_request(request_, actor=expert, amount=Decimal("300.00"))
    assert not GuaranteeLetter.objects.exists()


def test_only_the_medical_expert_decides(request_, clinic, relations):
    for user in (clinic, relations):
        with pytest.raises(PermissionDenied):
            actions.approve_request(request_, actor=user, amount=Decimal("300.00"))
    assert not GuaranteeLetter.objects.exists()


def test_use_by_a_provider_claim_turns_the_hold_into_use(capped, request_, expert, member):
    letter = actions.approve_request(request_, actor=expert, amount=Decimal("300.00"))
    with without_hold(letter):
        assert [line for line in history_for(member.pk) if line.service == "2.8.d"] == []
    use = actions.use_guarantee(letter, Decimal("250.00"), reference="PC-1",
                                used_on=request_.planned_date)  # fmt: skip
    again = actions.use_guarantee(letter, Decimal("250.00"), reference="PC-1",
                                  used_on=request_.planned_date)  # fmt: skip
    assert use.pk == again.pk
    letter.refresh_from_db()
    assert letter.status == LetterStatus.USED
    assert letter.used_amount == Decimal("250.00")
    assert letter.held == Decimal("0.00")
    assert [line for line in history_for(member.pk) if line.service == "2.8.d"] == []


def test_use_beyond_the_letter_or_outside_its_validity_is_refused(request_, expert):
    letter = actions.approve_request(request_, actor=expert, amount=Decimal("300.00"))
    with pytest.raises(ValidationError) as caught:
        actions.use_guarantee(letter, Decimal("300.01"), reference="PC-1",
                              used_on=request_.planned_date)  # fmt: skip
    assert "amount" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.use_guarantee(letter, Decimal("10"), reference="PC-1",
                              used_on=letter.valid_until + dt.timedelta(days=1))  # fmt: skip
    assert "used_on" in caught.value.message_dict
    letter.refresh_from_db()
    assert letter.used_amount == Decimal("0.00")


def test_release_frees_the_limit(request_, expert, member):
    letter = actions.approve_request(request_, actor=expert, amount=Decimal("300.00"))
    actions.release_guarantee(letter, actor=expert, why="Stay cancelled by the patient.")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RELEASED
    assert [line for line in history_for(member.pk) if line.service == "2.8.d"] == []


def test_expiry_command_closes_letters_past_their_validity(request_, expert):
    letter = actions.approve_request(request_, actor=expert, amount=Decimal("300.00"))
    call_command("preauth_expiry", "--on", str(letter.valid_until), "--no-schedule", verbosity=0)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.HELD
    later = letter.valid_until + dt.timedelta(days=1)
    call_command("preauth_expiry", "--on", str(later), "--no-schedule", verbosity=0)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.EXPIRED
    assert letter.held == Decimal("0.00")


def test_guarantee_letter_is_a_real_pdf(request_, expert):
    letter = actions.approve_request(request_, actor=expert, amount=Decimal("300.00"))
    pdf = guarantee_pdf(letter, "bg")
    assert pdf.startswith(b"%PDF")
    assert timezone.localdate() <= letter.valid_until


def test_a_submission_reads_the_same_holds_as_history_for(
    request_, expert, member, clinic, institution
):
    """004 Чл.26 т.1: the held amounts a member's submission reads with the person's paid lines
    (``claims.fetch.read_after_lock``: one statement on PostgreSQL, through
    ``preauth.fetch.held_query``) are the ones ``history_for`` counts — a letter held in full,
    one partly used, and none of a letter inside ``without_hold``."""
    from zdrave.claims.fetch import lock_for_intake, read_after_lock
    from zdrave.claims.models import Claim, ClaimLine

    letter = actions.approve_request(request_, actor=expert, amount=Decimal("300.00"))
    other = ask(clinic, member, institution, amount="200.00")
    used = actions.approve_request(other, actor=expert, amount=Decimal("200.00"))
    GuaranteeLetter.objects.filter(pk=used.pk).update(used_amount=Decimal("50.00"))

    def read() -> tuple:
        loaded = lock_for_intake(member.pk, actor_id=clinic.pk, form_key="")
        line = ClaimLine(member=member, index=0, service="2.1.a",
                         date=timezone.localdate(), amount=Decimal("10.00"))  # fmt: skip
        read_after_lock(loaded, Claim(provider=""), [line])
        return loaded.history

    from zdrave.providers.preauth.fetch import _held_lines_orm, held_lines

    assert read() == history_for(member.pk)
    assert held_lines(member.pk) == _held_lines_orm(member.pk)  # PostgreSQL reads it in SQL
    assert sorted(line.paid for line in read()) == [Decimal("150.00"), Decimal("300.00")]
    with without_hold(letter):
        assert read() == history_for(member.pk)
        assert held_lines(member.pk) == _held_lines_orm(member.pk)
        assert [line.paid for line in read()] == [Decimal("150.00")]
