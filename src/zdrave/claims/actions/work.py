"""Staff taking a claim from the queue: the claim is assigned to them, so the others see who
works it ("assigned to me" in the queue). Taking does not change the claim's status; the
decision, a referral or a reopening are their own actions (``actions.decide``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.identity.permissions import can_review_claims_medically, can_work_claims
from zdrave.claims import states
from zdrave.claims.fetch import lock_claim
from zdrave.claims.models import Claim, ClaimStatus

S = ClaimStatus
# A claim nobody works any more (decided and paid, withdrawn) is not taken.
TAKEABLE = (*states.OPEN, S.AWAITING_APPROVAL, S.PAYMENT_FAILED)


def assign(claim: Claim, *, actor) -> Claim:
    """Assign ``claim`` to ``actor``: a claims adjuster any open claim, the medical expert a
    claim referred to the medical expert. Taking a claim one already holds changes nothing."""
    if not (can_work_claims(actor) or can_review_claims_medically(actor)):
        raise PermissionDenied
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        if can_review_claims_medically(actor) and claim.status != S.REFERRED_MEDICAL:
            raise PermissionDenied
        if claim.status not in TAKEABLE:
            message = _("Status: a claim that is “%(status)s” is not taken from the queue.")
            raise ValidationError({"status": message % {"status": claim.get_status_display()}})
        if claim.assigned_to_id == actor.pk:
            return claim
        previous = claim.assigned_to
        claim.assigned_to = actor
        claim.save(update_fields=["assigned_to"])
        states.note(
            claim,
            "assigned",
            actor=actor,
            text=previous.get_username() if previous is not None else "",
        )
        record(
            actor=actor,
            verb="claim_assigned",
            obj=claim,
            previous=previous.get_username() if previous is not None else "",
        )
    return claim
