"""The public landing page and each role's home page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.models import Role
from zdrave.contracts.eligibility import Ineligible, eligible_cover, member_service_terms
from zdrave.contracts.fetch import describe_contract
from zdrave.contracts.models import Contract, ContractStatus, ContractType, InsuredPerson
from zdrave.contracts.visibility import visible_contracts
from zdrave.engine.terms.member_services import MemberServiceCode
from zdrave.products import terms as product_terms


@dataclass(frozen=True)
class Duty:
    title: str
    text: str


# What each insurer role will do on the platform; the work queues arrive with later issues.
STAFF_DUTIES = {
    Role.UNDERWRITER: [
        Duty(
            _("Applications"),
            _("Check applications and health declarations and accept, load or refuse each person."),
        ),
        Duty(
            _("Contracts"),
            _("Issue individual, family and group contracts and keep group lists up to date."),
        ),
    ],
    Role.CLAIMS_ADJUSTER: [
        Duty(
            _("Claims"),
            _(
                "Check claims and their documents, ask for what is missing and decide within the deadlines."
            ),
        ),
        Duty(
            _("Payments"),
            _("Approve reimbursements and direct-billing invoices from medical providers."),
        ),
    ],
    Role.MEDICAL_EXPERT: [
        Duty(
            _("Medical review"),
            _(
                "Review diagnoses, exclusions and pre-existing conditions on claims and applications."
            ),
        ),
        Duty(_("Precertificates"), _("Assess requests for planned treatment, at home and abroad.")),
    ],
    Role.SERVICE_COORDINATOR: [
        Duty(
            _("Member services"),
            _("Run second medical opinions and psychologist consultations with the partner team."),
        ),
        Duty(
            _("Treatment abroad"),
            _("Coordinate travel, hospitals and follow-up care for treatment abroad."),
        ),
    ],
    Role.BILLING: [
        Duty(
            _("Premiums"),
            _("Record premium payments, match bank statements and follow up overdue instalments."),
        ),
    ],
    Role.CASE_MANAGER: [
        Duty(
            _("Treatment abroad"),
            _("Run each treatment-abroad case from the first call to the follow-up, on time."),
        ),
    ],
    Role.COMPLAINTS_OFFICER: [
        Duty(
            _("Complaints"),
            _("Register complaints, answer each one within its deadline and keep the register."),
        ),
    ],
    Role.DATA_PROTECTION_OFFICER: [
        Duty(
            _("Personal data"),
            _("Handle access, correction and erasure requests and review the audit trail."),
        ),
    ],
}

PARTNER_DUTIES = {
    Role.PROVIDER: [
        Duty(
            _("Front desk"),
            _("Check a patient's cover and send your institution's claims to the insurer."),
        ),
    ],
    Role.PARTNER: [
        Duty(
            _("Requests"),
            _(
                "Requests for a second medical opinion or a consultation assigned to your team appear here."
            ),
        ),
    ],
    Role.SPECIALIST: [
        Duty(
            _("My cases"),
            _(
                "Cases and consultations assigned to you appear here, with the documents the member shared."
            ),
        ),
    ],
}


def index(request):
    return render(request, "portal/index.html")


@login_required
def home(request):
    role = request.user.role
    if role in (Role.MEMBER, Role.EMPLOYER):
        return _contracts_home(request, role)
    if role == Role.ADMINISTRATOR:
        return render(request, "portal/home_administrator.html", _staff_counts())
    if role in STAFF_DUTIES:
        context = {"duties": STAFF_DUTIES[role], **_staff_counts()}
        return render(request, "portal/home_staff.html", context)
    context = {"duties": PARTNER_DUTIES.get(role, []), "partner_name": _partner_name(request.user)}
    return render(request, "portal/home_partner.html", context)


def _partner_name(user) -> str:
    """The partner's name as the Extra Care product names it, not its code."""
    for service in MemberServiceCode:
        try:
            terms = member_service_terms(service)
        except product_terms.UnknownTerms:
            continue
        if terms.partner.code == user.partner_code:
            return terms.partner_name
    return ""


def _contracts_home(request, role: str):
    contracts = visible_contracts(request.user).select_related("holder").order_by("start", "number")
    if role == Role.EMPLOYER:
        contracts = contracts.filter(type=ContractType.GROUP)
    views = [describe_contract(c, request.user) for c in contracts]
    template = "portal/home_employer.html" if role == Role.EMPLOYER else "portal/home_member.html"
    context = {"contracts": views}
    if role == Role.MEMBER:
        context["extra_care_needed"] = _extra_care_needed(request.user)
    return render(request, template, context)


def _extra_care_needed(user) -> list[str]:
    """The names of the products that would give a member without Extra Care its services
    (000: "Ако имате активиран пакет Extra Care"); empty when the member has them."""
    try:
        eligible_cover(user, MemberServiceCode.SECOND_OPINION)
    except Ineligible as exc:
        if exc.reason == Ineligible.NOT_SOLD:
            return []
        service = member_service_terms(MemberServiceCode.SECOND_OPINION)
        language = get_language() or "bg"
        names = []
        for code in service.terms.eligibility.requires_cover:
            try:
                names.append(
                    product_terms.version_in_force(code, timezone.localdate()).name.get(language)
                )
            except product_terms.UnknownTerms:
                continue
        return names
    return []


def _staff_counts() -> dict:
    return {
        "contracts_in_force": Contract.objects.filter(status=ContractStatus.IN_FORCE).count(),
        "insured_people": InsuredPerson.objects.count(),
    }
