"""Reads of complaints: who sees which (the rule ``can_view_complaint`` as a query), one
complaint with a 404 for anyone else, and what a complainant may complain about (the claims and
contracts they may see: ``claims.fetch.visible_claims``, ``contracts.visibility``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from zdrave.base.identity.permissions import can_handle_complaints, can_view_complaint, has_role
from zdrave.base.identity.roles import Role
from zdrave.claims.fetch import visible_claims
from zdrave.claims.models import Claim
from zdrave.contracts.models import Contract
from zdrave.contracts.visibility import visible_contracts
from zdrave.member_rights.complaints.models import ComplainantKind, Complaint
from zdrave.treatment_abroad.fetch import visible_cases
from zdrave.treatment_abroad.models import AbroadCase

RELATED = ("claim", "contract", "case", "complainant_user", "owner", "escalated_to", "answered_by")


def visible_complaints(user) -> QuerySet[Complaint]:
    """The complaints ``user`` may open (``permissions.can_view_complaint`` as a query)."""
    rows = Complaint.objects.select_related(*RELATED)
    if can_handle_complaints(user):
        return rows
    if has_role(user, Role.MEMBER):
        return rows.filter(complainant_user=user)
    if has_role(user, Role.EMPLOYER):
        return rows.filter(
            Q(complainant_user=user)
            | Q(complainant_kind=ComplainantKind.EMPLOYER, contract__holder__users=user)
        ).distinct()
    return rows.none()


def access_complaint(user, number: str) -> Complaint:
    """The complaint ``number`` if ``user`` may open it; 404 otherwise (nobody learns which
    numbers exist)."""
    complaint = visible_complaints(user).filter(number=number).first()
    if complaint is None or not can_view_complaint(user, complaint):
        raise Http404(number)
    return complaint


def claims_to_complain_about(user) -> QuerySet[Claim]:
    """A member's claims (their own and a child's under 18 they follow); nobody else's."""
    if not has_role(user, Role.MEMBER):
        return Claim.objects.none()
    return visible_claims(user).order_by("-submitted", "-id")


def cases_to_complain_about(user) -> QuerySet[AbroadCase]:
    """A member's treatment-abroad cases (their own and those they opened for someone)."""
    if not has_role(user, Role.MEMBER):
        return AbroadCase.objects.none()
    return visible_cases(user).order_by("-opened", "-id")


def contracts_to_complain_about(user) -> QuerySet[Contract]:
    """A member's contracts; an employer's group contracts."""
    if not has_role(user, Role.MEMBER, Role.EMPLOYER):
        return Contract.objects.none()
    return visible_contracts(user).order_by("number")
