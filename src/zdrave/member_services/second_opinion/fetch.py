"""Reads of the second-opinion journey: the service's terms from the Extra Care product data,
who may request it (000 а) стъпка 1) and the permission-checked lookups every view goes through:
a member sees only their own cases, a partner team only its partner's, a specialist only the
cases assigned to them (and only once the team has passed them on)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from zdrave.base.documents.models import MedicalFile
from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import has_role
from zdrave.contracts.eligibility import (
    Ineligible,
    MemberServiceTerms,
    eligible_cover,
    member_service_terms,
)
from zdrave.contracts.models import Cover
from zdrave.engine.terms.member_services import MemberServiceCode
from zdrave.member_services import journey
from zdrave.member_services.second_opinion.models import (
    OPEN_STATUSES,
    SPECIALIST_STATUSES,
    CaseFile,
    CaseStatus,
    ChatMessage,
    FilePurpose,
    OpinionCase,
)
from zdrave.member_services.specialists.fetch import access_team_member, team_members
from zdrave.member_services.specialists.models import Specialist, SpecialistKind

PRODUCT = "extra-care"


Service = MemberServiceTerms


def service(version: dt.date | None = None) -> Service:
    """The second-opinion service of Extra Care ``version`` (default: the one sold today)."""
    return member_service_terms(MemberServiceCode.SECOND_OPINION, version, cls=Service)


def service_of(case: OpinionCase) -> Service:
    return service(case.product_version)


# -- eligibility (000 а) стъпка 1) ------------------------------------------------------------


def extra_care_cover(user, *, today: dt.date | None = None) -> Cover:
    """The cover that lets ``user`` ask for a second opinion (000 а) стъпка 1: "Ако имате
    активиран пакет Extra Care"): a cover of one of the service's ``requires_cover`` products on
    a contract in force today, for the whole contract or the user's own person, who is covered
    from today. Raises ``Ineligible``."""
    return eligible_cover(user, MemberServiceCode.SECOND_OPINION, today=today)


def check_account_access(user) -> None:
    """The member's account page and its chat (000 а) стъпка 9): open to a member with Extra
    Care, and to one who no longer has it but still has cases to follow. Raises ``Ineligible``."""
    try:
        extra_care_cover(user)
    except Ineligible:
        if not visible_cases(user).exists():
            raise


def specialists(partner_code: str) -> QuerySet[Specialist]:
    return team_members(SpecialistKind.SPECIALIST, partner_code)


def access_specialist(pk: int) -> Specialist:
    """An active specialist of the service's partner (000 а) стъпка 4), else 404."""
    return access_team_member(SpecialistKind.SPECIALIST, service().partner.code, pk)


# -- who sees which cases --------------------------------------------------------------------


def visible_cases(user) -> QuerySet[OpinionCase]:
    found = OpinionCase.objects.select_related("member", "specialist", "requested_specialist")
    return journey.visible_to(user, found, specialist="specialist", status__in=SPECIALIST_STATUSES)


def access_case(user, pk: int) -> OpinionCase:
    """Case ``pk`` if ``user`` may see it; 404 otherwise, so nobody learns which cases exist."""
    case = visible_cases(user).filter(pk=pk).first()
    if case is None:
        raise Http404(pk)
    return case


is_team_of = journey.is_partner_team


def is_specialist_of(user, case: OpinionCase) -> bool:
    return (
        has_role(user, Role.SPECIALIST)
        and case.specialist is not None
        and case.specialist.user_id == user.pk
        and case.status in SPECIALIST_STATUSES
    )


def open_cases(user) -> QuerySet[OpinionCase]:
    """000 а) стъпка 10: "всичките си неприключени случаи"."""
    return visible_cases(user).filter(status__in=OPEN_STATUSES).order_by("created_at", "pk")


def team_requests(user) -> QuerySet[OpinionCase]:
    """000 а) стъпка 6: new requests waiting to be forwarded."""
    return visible_cases(user).filter(status=CaseStatus.REQUESTED).order_by("created_at", "pk")


def team_work(user) -> QuerySet[OpinionCase]:
    """Opened cases the team follows, oldest first."""
    return (
        visible_cases(user)
        .exclude(status__in=[CaseStatus.REQUESTED, CaseStatus.CLOSED, CaseStatus.DECLINED])
        .order_by("created_at", "pk")
    )


def chat_messages(member, partner_code: str) -> QuerySet[ChatMessage]:
    return ChatMessage.objects.filter(member=member, partner_code=partner_code).select_related(
        "author"
    )


def chat_partner_code(user) -> str:
    """The partner team a member chats with: the one of their latest case, else the service's."""
    latest = OpinionCase.objects.filter(member=user).order_by("-created_at").first()
    return latest.partner_code if latest else service().partner.code


def files_for_specialist(case: OpinionCase) -> QuerySet[CaseFile]:
    return case.documents().filter(send_to_specialist=True)


# -- the documents app asks here who may download a case file ---------------------------------


def may_download_case_file(user, medical_file: MedicalFile) -> bool:
    """Access rule registered with ``zdrave.base.documents.permissions``: the partner team sees the
    files of its cases; the assigned specialist sees the documents the member chose to send
    (000 а) стъпка 14) and the report."""
    case_file = (
        CaseFile.objects.filter(file=medical_file).select_related("case__specialist").first()
    )
    if case_file is None:
        return False
    case = case_file.case
    if is_team_of(user, case):
        return True
    if is_specialist_of(user, case):
        return case_file.purpose != FilePurpose.DOCUMENT or case_file.send_to_specialist
    return False


def open_request(member, specialist: Specialist) -> OpinionCase | None:
    """The member's case with ``specialist`` that is still open, if any."""
    return (
        OpinionCase.objects.filter(
            member=member, requested_specialist=specialist, status__in=OPEN_STATUSES
        )
        .order_by("created_at")
        .first()
    )
