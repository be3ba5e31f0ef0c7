"""Reads for renewal's pages: a holder's offers and proposals (only those of contracts whose
holder the user acts for), the desk's lists, and ``access_*`` with a 404 so nobody learns what
exists."""

from __future__ import annotations

from django.http import Http404

from zdrave.base.identity.permissions import can_answer_contract_offers, can_see_renewals
from zdrave.contracts.models import Option
from zdrave.policy_admin.billing.models import BillingTask, TaskKind, TaskStatus
from zdrave.policy_admin.renewal.models import AnswerOutcome, PremiumAnswer, RenewalOffer


def holder_offers(user):
    if not can_answer_contract_offers(user):
        return RenewalOffer.objects.none()
    return (
        RenewalOffer.objects.filter(contract__holder__users=user)
        .select_related("contract", "new_contract")
        .distinct()
    )


def holder_proposals(user):
    """Repricing tasks with a proposal sent to a holder the user acts for (open or answered)."""
    if not can_answer_contract_offers(user):
        return BillingTask.objects.none()
    return (
        BillingTask.objects.filter(
            kind=TaskKind.REPRICING,
            contract__holder__users=user,
            proposed_premium__isnull=False,
        )
        .select_related("contract")
        .distinct()
    )


def access_offer(user, pk: int) -> RenewalOffer:
    if can_see_renewals(user):
        found = RenewalOffer.objects.select_related("contract__holder", "new_contract")
        found = found.filter(pk=pk).first()
    else:
        found = holder_offers(user).filter(pk=pk).first()
    if found is None:
        raise Http404(pk)
    return found


def access_proposal(user, pk: int) -> BillingTask:
    found = holder_proposals(user).filter(pk=pk).first()
    if found is None:
        raise Http404(pk)
    return found


def answer_of(task: BillingTask) -> PremiumAnswer | None:
    return PremiumAnswer.objects.filter(task=task).first()


def desk_offers():
    return RenewalOffer.objects.select_related("contract__holder", "new_contract").order_by(
        "status", "answer_by", "pk"
    )


def waiting_answers():
    return PremiumAnswer.objects.filter(outcome=AnswerOutcome.WAITING).select_related(
        "task__contract__holder"
    )


def access_answer(pk: int) -> PremiumAnswer:
    found = PremiumAnswer.objects.select_related("task__contract__holder").filter(pk=pk).first()
    if found is None:
        raise Http404(pk)
    return found


def open_proposal(task: BillingTask) -> bool:
    return task.status == TaskStatus.PROPOSED and answer_of(task) is None


def offered_persons(offer: RenewalOffer) -> list[dict]:
    """The offer's persons with their packages in words (package · option · clause)."""
    return [
        {
            **person,
            "packages": "; ".join(
                f"{c['package']} · {Option(c['option']).label} · {c['clause']}"
                for c in person["choices"]
            ),
        }
        for person in offer.persons
    ]
