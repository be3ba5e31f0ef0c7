"""Writes of the claims app."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zdrave.claims.fetch import case_for
from zdrave.claims.models import Claim, ClaimLine
from zdrave.contracts.models import ContractMember
from zdrave.engine.adjudication.health import adjudicate_health, usage_from_history
from zdrave.engine.adjudication.index import index_for
from zdrave.engine.decisions import ClaimDecision
from zdrave.engine.terms.loader import Catalog

DECISION_FIELDS = ["outcome", "eligible", "copay", "payable", "paid_quantity", "reasons"]


def adjudicate_claim(claim_id: int, *, catalog: Catalog, by: object | None = None) -> ClaimDecision:
    """Decide a health claim with the engine and store the decision on its lines.

    Locks the insured person's membership row first: their usage is the sum of their decided
    lines, so two claims of one person are decided one after the other.
    """
    with transaction.atomic():
        claim = Claim.objects.select_related("contract").get(pk=claim_id)
        ContractMember.objects.select_for_update().filter(pk=claim.member_id).get()
        claim = Claim.objects.select_related("contract", "member__person").get(pk=claim_id)
        contract = claim.contract
        index = index_for(catalog.version(contract.product_code, contract.product_version))
        case = case_for(claim)
        decision = adjudicate_health(case, index, usage_from_history(case, index))
        _store(claim, decision)
    return decision


def _store(claim: Claim, decision: ClaimDecision) -> None:
    by_index = {d.index: d for d in decision.lines}
    lines = list(claim.lines.all())
    for line in lines:
        decided = by_index[line.index]
        line.outcome = decided.outcome.value
        line.eligible = decided.eligible
        line.copay = decided.copay
        line.payable = decided.payable
        line.paid_quantity = getattr(decided, "quantity", 0)
        line.reasons = [r.to_json() for r in decided.reasons]
    ClaimLine.objects.bulk_update(lines, DECISION_FIELDS)
    claim.outcome = decision.outcome.value
    claim.payable = decision.payable
    claim.missing_documents = list(decision.missing_documents)
    claim.decided_at = timezone.now()
    claim.save(update_fields=["outcome", "payable", "missing_documents", "decided_at"])
