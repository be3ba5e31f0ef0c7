"""Reads that feed the adjudication engine: a claim and the person's decided lines as the
engine's frozen dataclasses."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from zdrave.base.identity.permissions import has_role, is_signed_in, sees_all_health_data
from zdrave.base.identity.roles import Role
from zdrave.claims.models import Claim, ClaimLine, DecisionVersion
from zdrave.contracts.models import (
    Contract,
    ContractMember,
    ContractStatus,
    Cover,
    InsuredPerson,
    PremiumInstalment,
    Sex,
    SpecialConditions,
)
from zdrave.contracts.visibility import can_view_health_data
from zdrave.engine.adjudication.facts import (
    ClaimFacts,
    ContractFacts,
    CoverFacts,
    HealthCase,
    HistoryLine,
    Instalment,
    InsuredFacts,
    SpecialWaiting,
)
from zdrave.engine.adjudication.facts import (
    ClaimLine as ClaimLineFacts,
)
from zdrave.engine.adjudication.facts import (
    SpecialConditions as SpecialConditionsFacts,
)

DAY = dt.timedelta(days=1)
SEX = {Sex.FEMALE: "F", Sex.MALE: "M"}


def history_for(
    member_id: int,
    *,
    excluding_claim: int | None = None,
    decided_by: dt.datetime | None = None,
) -> tuple[HistoryLine, ...]:
    """The person's paid lines under the contract: their limit usage (004 Чл.26). With
    ``decided_by``, only the lines of claims decided by then (what a decision letter counts as
    used "after this claim")."""
    rows = ClaimLine.objects.filter(member_id=member_id, payable__gt=0)
    if excluding_claim is not None:
        rows = rows.exclude(claim_id=excluding_claim)
    if decided_by is not None:
        rows = rows.filter(claim__decided_at__lte=decided_by)
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


def case_for(claim: Claim, *, member: ContractMember | None = None, lines=None) -> HealthCase:
    """The facts of ``claim`` as the engine reads them, in five queries whatever the caller
    loaded: the insured person with their contract, НЗОК rights and special conditions; the
    covers; the premium schedule; the claim's lines; the person's decided lines (history).
    A caller that holds the membership row (loaded with ``contract``, ``person`` and
    ``special_conditions``) and the claim's line rows passes them and saves two.

    The claim's own fields (form, dates, diagnosis, documents, circumstances) are taken from
    ``claim`` as given."""
    if member is None:
        member = ContractMember.objects.select_related(
            "person", "contract", "special_conditions"
        ).get(pk=claim.member_id)
    contract = member.contract
    covers = Cover.objects.filter(contract_id=contract.pk, product_code=contract.product_code)
    covers = covers.filter(Q(member__isnull=True) | Q(member_id=member.pk)).exclude(package=None)
    instalments = PremiumInstalment.objects.filter(contract_id=contract.pk).order_by("due")
    if lines is None:
        lines = ClaimLine.objects.filter(claim_id=claim.pk).order_by("index")
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
        for line in lines
    )
    person = member.person
    return HealthCase(
        contract=contract_facts(contract, tuple(instalment_facts(i) for i in instalments)),
        covers={c.package: CoverFacts(c.package, c.option, c.clause) for c in covers},
        insured=InsuredFacts(
            id=str(person.pk),
            birth_date=person.birth_date,
            sex=SEX.get(person.sex),
            covered_from=member.covered_from,
            nhif_rights=person.nhif_rights,
            special=special_facts(_special_conditions(member)),
        ),
        history=history_for(member.pk, excluding_claim=claim.pk),
        claim=ClaimFacts(
            form=claim.form,
            submitted=claim.submitted,
            diagnosis=claim.diagnosis,
            documents=frozenset(claim.documents),
            lines=lines,
            circumstances=frozenset(claim.circumstances or ()),
        ),
    )


# -- locks and access ----------------------------------------------------------------------------


def lock_member(member_id: int) -> ContractMember:
    """The insured person's membership row, locked, with what ``case_for`` reads of it: the
    first lock of every claim decision (person, then claim)."""
    return (
        ContractMember.objects.select_for_update(of=("self",))
        .select_related("contract", "person", "special_conditions")
        .get(pk=member_id)
    )


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


def final_versions(claim: Claim) -> list[DecisionVersion]:
    """The claim's final decisions, oldest first (a version waiting for its second approval is
    not one yet): the last is the decision in force."""
    return [v for v in claim.versions.order_by("number") if v.final]


def may_claim_for(user, person_id: int) -> bool:
    """Whether ``user`` may claim for the insured person ``person_id`` and act on their claims."""
    return person_id in {p.pk for p in claimable_people(user)}


def lock_claim_of(user, claim_id: int) -> Claim:
    """``lock_claim`` for a member acting on a claim: ``PermissionDenied`` unless ``user`` may
    claim for its insured person."""
    claim = lock_claim(claim_id)
    if not may_claim_for(user, claim.member.person_id):
        raise PermissionDenied
    return claim


def access_claim(user, number: str) -> Claim:
    """The claim ``number`` if ``user`` may open it; 404 otherwise (nobody learns which
    numbers exist)."""
    claim = visible_claims(user).filter(number=number).first()
    if claim is None:
        raise Http404(number)
    return claim


def contract_facts(contract: Contract, instalments: tuple[Instalment, ...]) -> ContractFacts:
    """The contract as the engine reads it. ``paid_until`` stays None: the schedule itself
    (``instalments``) tells the engine when cover started (004 Чл.25 т.3), which instalment is
    overdue (т.5) and what falls due with a claim (т.6); a contract without a schedule is read
    as paid (docs/decisions.md, "Claims see the real contract")."""
    return ContractFacts(
        type=contract.type,
        start=contract.start,
        # The model keeps the last day of cover; the engine takes the day named as the end,
        # at 00:00 of which the insurance ends (004 Чл.24 т.3; issue 15).
        end=contract.end + DAY,
        paid_until=None,
        terminated_on=contract.terminated_on,
        renewal_of_previous=False,
        aggregate_limit=contract.aggregate_limit,
        instalments=instalments,
    )


def instalment_facts(row: PremiumInstalment) -> Instalment:
    """Paid means paid in full: a part-paid instalment is still unpaid (004 Чл.25 т.5, т.6)."""
    return Instalment(due=row.due, amount=row.amount, paid=row.paid_on)


def special_facts(row: SpecialConditions | None) -> SpecialConditionsFacts | None:
    if row is None:
        return None
    return SpecialConditionsFacts(
        excluded_icd10=tuple(row.excluded_icd10),
        excluded_services=tuple(row.excluded_services),
        waiting=tuple(
            SpecialWaiting(
                months=item["months"],
                icd10=tuple(item.get("icd10", ())),
                services=tuple(item.get("services", ())),
            )
            for item in row.waiting
        ),
        limit=row.limit,
        loading_percent=row.loading_percent,
    )


def _special_conditions(member: ContractMember) -> SpecialConditions | None:
    try:
        return member.special_conditions
    except SpecialConditions.DoesNotExist:
        return None


def memberships_in_force(people_ids, product: str, today: dt.date) -> QuerySet[ContractMember]:
    """The memberships of ``people_ids`` on a contract of ``product`` in force on ``today``
    (the people a member may claim for on that product)."""
    return (
        ContractMember.objects.filter(
            person_id__in=people_ids,
            contract__product_code=product,
            contract__status=ContractStatus.IN_FORCE,
            contract__start__lte=today,
            contract__end__gte=today,
            covered_from__lte=today,
        )
        .exclude(covered_until__lt=today)  # removed by annex (004 Чл.27 т.2)
        .select_related("contract__holder", "person")
        .order_by("contract__number", "id")
    )
