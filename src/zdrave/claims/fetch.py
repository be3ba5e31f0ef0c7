"""Reads that feed the adjudication engine: a claim and the person's decided lines as the
engine's frozen dataclasses."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from zdrave.base.identity.permissions import has_role, is_signed_in, sees_all_health_data
from zdrave.base.identity.roles import Role
from zdrave.claims.models import Claim, ClaimLine
from zdrave.contracts.models import ContractMember, Cover, InsuredPerson
from zdrave.contracts.visibility import can_view_health_data
from zdrave.engine.adjudication.facts import (
    ClaimFacts,
    ContractFacts,
    CoverFacts,
    HealthCase,
    HistoryLine,
    InsuredFacts,
)
from zdrave.engine.adjudication.facts import (
    ClaimLine as ClaimLineFacts,
)


def history_for(member_id: int, *, excluding_claim: int | None = None) -> tuple[HistoryLine, ...]:
    """The person's paid lines under the contract: their limit usage (004 Чл.26)."""
    rows = ClaimLine.objects.filter(member_id=member_id, payable__gt=0)
    if excluding_claim is not None:
        rows = rows.exclude(claim_id=excluding_claim)
    return tuple(
        HistoryLine(
            date=r.date,
            service=r.service,
            form=r.claim.form,
            diagnosis=r.claim.diagnosis,
            quantity=r.paid_quantity,
            paid=r.payable,
        )
        for r in rows.select_related("claim").order_by("date", "id")
    )


def case_for(claim: Claim) -> HealthCase:
    """The facts of ``claim``. The contract model keeps no premium schedule or termination date
    yet, so the engine sees the premium as paid and the contract as not terminated."""
    contract = claim.contract
    member = claim.member
    covers = Cover.objects.filter(contract=contract, product_code="health").filter(
        member__isnull=True
    ) | Cover.objects.filter(contract=contract, product_code="health", member=member)
    lines = tuple(
        ClaimLineFacts(
            index=line.index,
            service=line.service,
            date=line.date,
            quantity=line.quantity,
            amount=line.amount,
            currency=line.currency,
            prescribed=line.prescribed,
            nhif_paid=line.nhif_paid,
            other_insurer_paid=line.other_insurer_paid,
            dose_days=line.dose_days,
        )
        for line in claim.lines.order_by("index")
    )
    return HealthCase(
        contract=ContractFacts(
            type=contract.type,
            start=contract.start,
            # The model keeps the last day of cover; the engine takes the day named as the end,
            # at 00:00 of which the insurance ends (004 Чл.24 т.3; issue 15).
            end=contract.end + dt.timedelta(days=1),
            paid_until=None,
            terminated_on=None,
            renewal_of_previous=False,
        ),
        covers={c.package: CoverFacts(c.package, c.option, c.clause) for c in covers if c.package},
        insured=InsuredFacts(
            id=str(member.person_id),
            birth_date=member.person.birth_date,
            sex=None,
            covered_from=member.covered_from,
            nhif_rights=True,
        ),
        history=history_for(member.pk, excluding_claim=claim.pk),
        claim=ClaimFacts(
            form=claim.form,
            submitted=claim.submitted,
            diagnosis=claim.diagnosis,
            documents=frozenset(claim.documents),
            lines=lines,
            circumstances=frozenset(claim.circumstances),
        ),
    )


# -- locks and access ----------------------------------------------------------------------------


def lock_claim(claim_id: int) -> Claim:
    """The claim, locked, after its insured person's membership row: the one lock order of this
    app (person, then claim). The person's limit usage is the sum of their decided lines, so
    two claims of one person are decided one after the other and a limit is never exceeded."""
    member_id = Claim.objects.values_list("member_id", flat=True).get(pk=claim_id)
    ContractMember.objects.select_for_update().filter(pk=member_id).get()
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("contract", "member__person")
        .get(pk=claim_id)
    )


def visible_claims(user) -> QuerySet[Claim]:
    """The claims ``user`` may open: the health-data roles see every claim; a member the claims
    of the people whose health data they may see (themselves, a child under 18 on the family
    contract they hold — ``contracts.visibility.can_view_health_data``)."""
    claims = Claim.objects.select_related("contract", "member__person")
    if not is_signed_in(user):
        return claims.none()
    if sees_all_health_data(user):
        return claims
    if not has_role(user, Role.MEMBER):
        return claims.none()
    people = [p.pk for p in claimable_people(user)]
    return claims.filter(member__person_id__in=people)


def claimable_people(user) -> list[InsuredPerson]:
    """The insured people ``user`` may claim for and follow claims of (docs/decisions.md)."""
    if not has_role(user, Role.MEMBER):
        return []
    people = InsuredPerson.objects.filter(
        Q(user=user) | Q(memberships__contract__holder__users=user)
    ).distinct()
    return [p for p in people if can_view_health_data(user, p)]


def access_claim(user, number: str) -> Claim:
    """The claim ``number`` if ``user`` may open it; 404 otherwise (nobody learns which
    numbers exist)."""
    claim = visible_claims(user).filter(number=number).first()
    if claim is None:
        raise Http404(number)
    return claim
