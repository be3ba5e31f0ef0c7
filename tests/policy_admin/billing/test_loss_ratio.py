"""004 Чл.25 т.8: the gross loss ratio of a group contract (claims paid over premium earned);
at 100 % an underwriter gets a task, proposes a higher premium with a letter, and may terminate
if it is refused — refunding the premium paid for after the termination."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from claims.builders import submit
from policy_admin.billing.conftest import billed_contract
from zdrave.claims.models import ClaimStatus
from zdrave.contracts.models import ContractMember, ContractType
from zdrave.engine.premiums import earned_premium
from zdrave.policy_admin.billing.actions import tasks
from zdrave.policy_admin.billing.actions.termination import terminate
from zdrave.policy_admin.billing.fetch import loss_ratios
from zdrave.policy_admin.billing.models import BillingTask, TaskKind, TaskStatus

TODAY = timezone.localdate


@pytest.fixture
def group(holder_user):
    contract = billed_contract(
        "G-300", kind=ContractType.GROUP, instalments=12, amount="10.00", paid=4, user=holder_user
    )
    member = ContractMember.objects.get(contract=contract, person__user=holder_user)
    claim = submit(member, holder_user, days_ago=3)
    assert claim.status == ClaimStatus.PAYMENT_SCHEDULED
    return contract


def test_004_chl25_t8_loss_ratio_is_claims_paid_over_premium_earned(group):
    [row] = loss_ratios(TODAY())
    earned = earned_premium(group.start, group.end, Decimal("120.00"), TODAY())
    assert (row.premium, row.earned, row.claims_paid) == (
        Decimal("120.00"),
        earned,
        Decimal("120.00"),
    )
    assert row.ratio == (Decimal("12000") / earned).quantize(Decimal("0.01"))
    assert row.may_reprice


def test_004_chl25_t8_task_proposal_letter_and_termination_on_refusal(group, underwriter):
    assert tasks.open_repricing_tasks() == 1
    assert tasks.open_repricing_tasks() == 0
    task = BillingTask.objects.get(kind=TaskKind.REPRICING)
    with pytest.raises(ValidationError):
        tasks.propose_repricing(task, actor=underwriter, premium=Decimal("100.00"))
    tasks.propose_repricing(task, actor=underwriter, premium=Decimal("480.00"))
    [sent] = mail.outbox
    text = PdfReader(io.BytesIO(sent.attachments[0][1])).pages[0].extract_text()
    assert "480,00" in text
    assert "Чл.25 т.8" in text
    done = terminate(
        group, kind="repricing-refused", effective_on=TODAY(), actor=underwriter, task=task
    )
    # Paid for four months of twelve; the rest of the fourth month's instalment comes back.
    assert done.clause == "004 Чл.25 т.8"
    assert done.refund > Decimal("0.00")
    task.refresh_from_db()
    assert task.status == TaskStatus.TERMINATED


def test_individual_contracts_are_not_on_the_dashboard(contract):
    assert loss_ratios(TODAY()) == []
