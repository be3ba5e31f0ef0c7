"""Demo renewal (issue 11), so the renewal pages have something to show:

- maria's contract ZH-DEMO-I001 has its renewal offer (made ahead of the daily run, which
  offers 45 days before the end): the tariff at the new start, e-mailed with its letter; she
  accepts or declines on "Offers for my contracts";
- the group ZH-DEMO-G002 (Бета Логистик ООД, loss ratio over 100 %): the underwriter proposed
  a higher premium (004 Чл.25 т.8), the company's HR account (``betahr``, not a printed log-in)
  refused it, and the refusal waits on the renewal desk for the underwriter to terminate with
  the letter or keep the contract.

Built through the real actions; idempotent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from zdrave.base.identity.models import Role
from zdrave.contracts.models import Contract
from zdrave.policy_admin.billing.actions.tasks import propose_repricing
from zdrave.policy_admin.billing.models import BillingTask, TaskKind, TaskStatus
from zdrave.policy_admin.renewal.actions import answer_repricing, offer_renewal
from zdrave.policy_admin.renewal.models import AnswerKind, PremiumAnswer, RenewalOffer
from zdrave.policy_admin.renewal.pricing import NoRenewal


def build_demo_renewal(users, today: dt.date) -> None:
    maria_contract = Contract.objects.filter(number="ZH-DEMO-I001").first()
    if (
        maria_contract is not None
        and maria_contract.end >= today
        and not RenewalOffer.objects.filter(contract=maria_contract).exists()
    ):
        with contextlib.suppress(NoRenewal):
            offer_renewal(maria_contract, on=today)
    _refused_repricing(users["underwriter"])


def _refused_repricing(underwriter) -> None:
    task = BillingTask.objects.filter(
        kind=TaskKind.REPRICING, contract__number="ZH-DEMO-G002"
    ).first()
    if task is None or PremiumAnswer.objects.filter(task=task).exists():
        return
    holder = task.contract.holder
    account = _hr_account()
    holder.users.add(account)
    if task.status != TaskStatus.PROPOSED:
        current = sum((i.amount for i in task.contract.instalments.all()), start=Decimal(0))
        propose_repricing(task, actor=underwriter, premium=current * 3)
        task.refresh_from_db()
    answer_repricing(task, actor=account, answer=AnswerKind.REFUSED)


def _hr_account():
    user_model = get_user_model()
    user = user_model.objects.filter(username="betahr").first()
    if user is None:
        user = user_model(
            username="betahr",
            role=Role.EMPLOYER,
            first_name="Валя",
            last_name="Бетова",
            email="hr@beta.demo.zdrave.example",
        )
        user.set_unusable_password()
        user.save()
    return user
