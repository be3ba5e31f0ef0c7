"""Every move of the claim's transition table (claims/states.py) works for those it names and
is refused, with nothing changed, for everyone else; moves the table does not list are refused
for all. Each move records who, when, from and to (the claim's history)."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError

from zdrave.claims import states
from zdrave.claims.models import Claim, ClaimEvent, ClaimStatus
from zdrave.claims.states import TRANSITIONS, By

S = ClaimStatus
ALLOWED = sorted(
    (source, target, by) for (source, target), who in TRANSITIONS.items() for by in who
)
NOT_LISTED = [
    (source, target)
    for source, target in itertools.product(S.values, S.values)
    if (source, target) not in TRANSITIONS and source != target
]


@pytest.fixture
def claim(member):
    return Claim.objects.create(
        contract=member.contract,
        member=member,
        form="reimbursement",
        submitted=member.contract.start,
        diagnosis="M54.5",
    )


def _at(claim, status):
    Claim.objects.filter(pk=claim.pk).update(status=status)
    claim.refresh_from_db()
    return claim


@pytest.mark.parametrize(("source", "target", "by"), ALLOWED, ids=lambda v: str(v))
def test_every_listed_move_is_made_and_recorded(claim, member_user, source, target, by):
    claim = _at(claim, source)
    event = states.move(claim, target, "step", by=by, actor=member_user, note="  why  ")
    claim.refresh_from_db()
    assert claim.status == target
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        source,
        target,
        member_user,
        "why",
    )


@pytest.mark.parametrize(("source", "target", "by"), ALLOWED, ids=lambda v: str(v))
def test_the_same_move_is_refused_to_everyone_the_table_does_not_name(claim, source, target, by):
    others = [b for b in By if b not in TRANSITIONS[(source, target)]]
    claim = _at(claim, source)
    for other in others:
        with pytest.raises(ValidationError) as refused:
            states.move(claim, target, "step", by=other, actor=None)
        assert "status" in refused.value.message_dict
        claim.refresh_from_db()
        assert claim.status == source
    assert ClaimEvent.objects.filter(claim=claim).count() == 0


def test_a_move_the_table_does_not_list_is_refused_for_all(claim):
    for source, target in NOT_LISTED:
        claim = _at(claim, source)
        for by in By:
            with pytest.raises(ValidationError):
                states.move(claim, target, "step", by=by, actor=None)
        claim.refresh_from_db()
        assert claim.status == source, (source, target)
    assert ClaimEvent.objects.filter(claim=claim).count() == 0


def test_a_withdrawn_or_paid_claim_moves_only_as_the_table_says():
    assert not any(source == S.WITHDRAWN for source, _target in TRANSITIONS)
    assert {t for s, t in TRANSITIONS if s == S.PAID} <= {S.REOPENED, S.PAYMENT_FAILED}
