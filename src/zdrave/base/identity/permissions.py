"""The one place that decides who may see what.

Health data is special-category personal data (GDPR Art. 9): every view that shows a person,
a contract or anything medical asks here (or asks an app's visibility module that asks here),
never compares roles itself.

- A member sees themselves, the contracts they are insured on or hold, and — as holder of a
  family contract — the people on it. Health data of another adult stays theirs: the holder
  sees it only for children under 18 on that contract (docs/decisions.md).
- An employer sees its group contracts and who is on them, never their health data.
- Insurer staff see by role: underwriters, claims adjusters and medical experts see health data;
  service coordinators and administrators see contracts and people but no health data.
- Partner team members and specialists see only what is assigned to them.
- A superuser is not a health-data role: ``is_superuser`` opens the back office, never health
  data; an administrator who needs health data is given a health-data role (docs/decisions.md).

One rule per kind of object, used by pages, downloads, the e-mail outbox and the admin alike:
``can_access_medical_file``, ``can_read_outbox`` / ``can_read_outbox_content``,
``can_view_therapy_theme``, the claim rules (``can_work_claims``,
``can_review_claims_medically``, ``can_approve_claim_decisions``, ``can_handle_claim_payments``)
and ``sees_all_health_data`` (``can_see_health_fields`` in the back
office). The role rules are here; ``zdrave.contracts.visibility`` applies them to contract rows,
``zdrave.base.documents.permissions`` to medical files, ``zdrave.member_services.journey`` to
the rows of a member-service journey.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from zdrave.base.identity.roles import STAFF_ROLES, Role

CONTRACT_ROLES = STAFF_ROLES
HEALTH_DATA_ROLES = frozenset(
    {Role.UNDERWRITER, Role.CLAIMS_ADJUSTER, Role.MEDICAL_EXPERT, Role.CASE_MANAGER}
)


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user, *roles: str) -> bool:
    return is_signed_in(user) and user.role in roles


def sees_every_contract(user) -> bool:
    """Insurer staff open every contract and every person on one (not their health data)."""
    return has_role(user, *CONTRACT_ROLES)


def sees_all_health_data(user) -> bool:
    """Claims, diagnoses and medical files of anyone: the health-data roles only."""
    return has_role(user, *HEALTH_DATA_ROLES)


# The back office's name for the same rule: health fields of any member, by role alone (a staff
# user is never the member in question). Superusers without a health-data role do not.
can_see_health_fields = sees_all_health_data


MedicalFileRule = Callable[[object, object], bool]
_medical_file_rules: list[MedicalFileRule] = []


def register_medical_file_rule(rule: MedicalFileRule) -> MedicalFileRule:
    """Add a rule ``rule(user, medical_file) -> bool`` from a higher layer (the holder of a
    child's family contract, the partner team and the specialist of a second-opinion case, the
    therapist of a consultation); call it from ``AppConfig.ready()``."""
    if rule not in _medical_file_rules:
        _medical_file_rules.append(rule)
    return rule


def unregister_medical_file_rule(rule: MedicalFileRule) -> None:
    if rule in _medical_file_rules:
        _medical_file_rules.remove(rule)


def can_access_medical_file(user, medical_file) -> bool:
    """A member's uploaded medical file: its owner, the health-data roles, and the rules the
    higher layers register (``zdrave.contracts`` adds the holder for a child under 18)."""
    if not is_signed_in(user):
        return False
    if medical_file.owner_id == user.pk or sees_all_health_data(user):
        return True
    return any(rule(user, medical_file) for rule in _medical_file_rules)


def can_read_outbox(user) -> bool:
    """The outbox list and each message's delivery data (to, status, attempts, errors): insurer
    staff and superusers checking that mail goes out."""
    return is_signed_in(user) and (user.is_superuser or user.role in CONTRACT_ROLES)


def can_read_outbox_content(user, message) -> bool:
    """Subject, body and attachments of an outbox message. Mail that carries health data (the
    default: ``message.health_data``) only for the health-data roles. Secrets such as sign-in
    links are masked in the stored copy for everyone."""
    if not can_read_outbox(user):
        return False
    return not message.health_data or sees_all_health_data(user)


def can_view_therapy_theme(user, consultation) -> bool:
    """000 б): the theme a member gives for a psychologist consultation is seen by the member,
    the therapist of the session and the partner team only — not by insurer staff."""
    if not is_signed_in(user):
        return False
    if consultation.member_id == user.pk:
        return True
    if user.role == Role.PARTNER:
        return bool(user.partner_code) and user.partner_code == consultation.partner_code
    if user.role == Role.SPECIALIST:
        return consultation.therapist is not None and consultation.therapist.user_id == user.pk
    return False


def can_work_claims(user) -> bool:
    """The adjusters' queue: take, refer, decide and override claims (004 Чл.29)."""
    return has_role(user, Role.CLAIMS_ADJUSTER)


def can_review_claims_medically(user) -> bool:
    """The medical questions of a claim: diagnosis coding, medical necessity, pre-existing
    conditions. The medical expert sees those, not the payment side."""
    return has_role(user, Role.MEDICAL_EXPERT)


def can_approve_claim_decisions(user, version) -> bool:
    """Four eyes: a second claims adjuster approves a proposed decision, never the person who
    proposed it."""
    return can_work_claims(user) and version.decided_by_id != user.pk


def can_handle_claim_payments(user) -> bool:
    """Payment batches, bank files and returned payments: claims adjusters and administrators
    (names, IBANs and amounts; no diagnosis is in a payment file)."""
    return has_role(user, Role.CLAIMS_ADJUSTER, Role.ADMINISTRATOR)


def access_required(rule: Callable[[object], bool]):
    """View decorator: anonymous users go to log-in; signed-in users for whom ``rule(user)`` (one
    of the rules above) is false get 403 (the translated ``403.html``)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def role_required(*roles: str):
    """``access_required`` for users with one of ``roles``."""
    return access_required(lambda user: has_role(user, *roles))


class RoleRequiredMixin(AccessMixin):
    """Class-based twin of ``role_required``: set ``roles = (Role.UNDERWRITER, …)``."""

    roles: tuple[str, ...] = ()
    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, *self.roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# -- policy_admin.billing (issue 11): premiums, bank statements, arrears, terminations --------


def can_handle_billing(user) -> bool:
    """The billing desk: premium schedules and payments, bank statements, arrears tasks and
    terminations with their refunds (004 Чл.25, Чл.28). Names and amounts, no health data."""
    return has_role(user, Role.BILLING, Role.ADMINISTRATOR)


def can_review_loss_ratios(user) -> bool:
    """The loss ratio of group contracts and the repricing right of 004 Чл.25 т.8: underwriters
    decide; administrators look on."""
    return has_role(user, Role.UNDERWRITER, Role.ADMINISTRATOR)


def can_answer_contract_offers(user) -> bool:
    """The policyholder answers a renewal offer or a proposal of a higher premium (004 Чл.25
    т.8): a member or an employer acting for the holder; which contracts is applied to rows by
    the holder's accounts (``PolicyHolder.users``)."""
    return has_role(user, Role.MEMBER, Role.EMPLOYER)


def can_see_renewals(user) -> bool:
    """The renewal desk: offers made, their answers, the answers to higher premiums."""
    return has_role(user, Role.UNDERWRITER, Role.BILLING, Role.ADMINISTRATOR)


def can_decide_repricing(user) -> bool:
    """Propose a higher premium, record the answer, terminate on refusal (004 Чл.25 т.8)."""
    return has_role(user, Role.UNDERWRITER)


# -- complaints (zdrave.member_rights.complaints, issue 14) -------------------------------------
# Complaint rows are read by attribute (``complainant_user_id``, ``complainant_kind``,
# ``contract``, ``status``, ``escalated_to_id``), so this module names no model of a higher layer.

COMPLAINTS_ROLES = frozenset({Role.COMPLAINTS_OFFICER, Role.ADMINISTRATOR})


def can_file_complaint(user) -> bool:
    """The portal's complaint form: a member (about their own claims and contracts) and an
    employer (about its group contracts). Staff record complaints received otherwise."""
    return has_role(user, Role.MEMBER, Role.EMPLOYER)


def can_handle_complaints(user) -> bool:
    """The complaints queue: record, take, escalate, answer, reopen the claim a complaint is
    about, and the monthly register. Complaints officers and administrators."""
    return has_role(user, *COMPLAINTS_ROLES)


def can_view_complaint(user, complaint) -> bool:
    """A complaint and its answer: the complaints staff; the member whose complaint it is; an
    employer the complaints filed as employer about a group contract its company holds (never
    an employee's own complaint, which may speak of their health)."""
    if not is_signed_in(user):
        return False
    if can_handle_complaints(user):
        return True
    if user.role == Role.MEMBER:
        return complaint.complainant_user_id == user.pk
    if user.role == Role.EMPLOYER:
        if complaint.complainant_user_id == user.pk:
            return True
        contract = complaint.contract
        return (
            complaint.complainant_kind == Role.EMPLOYER
            and contract is not None
            and contract.holder.users.filter(pk=user.pk).exists()
        )
    return False


def can_answer_complaint(user, complaint) -> bool:
    """The answer: the complaints staff while the complaint is open; once escalated, only the
    second-level person it was escalated to."""
    if not can_handle_complaints(user) or complaint.status == "answered":
        return False
    if complaint.status == "escalated":
        return complaint.escalated_to_id == user.pk
    return True


def can_escalate_complaint(user, complaint, second) -> bool:
    """Escalation to a second level: a second complaints person, never the one escalating."""
    return (
        can_handle_complaints(user)
        and can_handle_complaints(second)
        and second.pk != user.pk
        and complaint.status in ("registered", "in_review")
    )


def can_reopen_claim_on_complaint(user) -> bool:
    """A complaint upheld about a claim may reopen it (the claims workflow's "reopened"): the
    complaints officer's decision, recorded on the complaint and the claim."""
    return can_handle_complaints(user)


# -- the provider network (zdrave.providers.network, issue 12) -----------------------------------


def can_manage_provider_network(user) -> bool:
    """Provider relations: institutions, their agreements, prices, doctors and front-desk
    accounts, and the network changes members are told of (004 Чл.24 т.4). Administrators and
    underwriters; no health data is on these pages."""
    return has_role(user, Role.ADMINISTRATOR, Role.UNDERWRITER)


def can_act_for_institution(user, institution) -> bool:
    """A provider user sees and acts for one institution only: the one their account is linked
    to (``providers.network.models.ProviderUser``, reached as ``user.provider_link``) — its
    front desk, its price list, its checks and its API keys. Nobody else acts for an
    institution; staff manage it (``can_manage_provider_network``)."""
    if institution is None or not has_role(user, Role.PROVIDER):
        return False
    # A missing reverse one-to-one raises an AttributeError subclass: getattr gives None.
    link = getattr(user, "provider_link", None)
    return link is not None and link.institution_id == institution.pk


def can_access_provider_settlement(user, institution=None) -> bool:
    """Provider claims, monthly statements, settlement batches and recoveries (issue 12,
    ``providers.settlement``): the billing desk, claims adjusters and administrators see and
    settle every institution's; a provider user sees and bills only for its own
    ``institution`` and never the insurer's side (``institution`` None: closing a month,
    paying, recovering)."""
    if has_role(user, Role.BILLING, Role.CLAIMS_ADJUSTER, Role.ADMINISTRATOR):
        return True
    return institution is not None and can_act_for_institution(user, institution)


# ---- policy_admin.sales (issue 11): applications, underwriting, cards ------------------------


def can_underwrite_applications(user) -> bool:
    """The underwriter decides the persons the engine referred (004 Чл.10): accept, decline or
    accept on special conditions."""
    return has_role(user, Role.UNDERWRITER)


def can_see_sales_applications(user) -> bool:
    """Staff who open any application sold online: underwriters, billing, administrators."""
    return has_role(user, Role.UNDERWRITER, Role.BILLING, Role.ADMINISTRATOR)


def can_open_sales_application(user, application) -> bool:
    """The account that applied, and the staff above."""
    return is_signed_in(user) and (
        application.owner_id == user.pk or can_see_sales_applications(user)
    )


def can_issue_group_contracts(user) -> bool:
    """Concluding a group contract applied for online by an employer (004 Чл.22 т.1, Чл.24
    т.1): the underwriter, once every person is decided; the administrator."""
    return has_role(user, Role.UNDERWRITER, Role.ADMINISTRATOR)


def can_resend_declaration_links(user) -> bool:
    """Re-sending a group declaration link by hand (004 Чл.23 т.1): the sales staff who follow
    a group application — underwriters and administrators; the link itself only in the e-mail."""
    return has_role(user, Role.UNDERWRITER, Role.ADMINISTRATOR)


def can_check_card_eligibility(user) -> bool:
    """Scanning a legitimation card (004 Чл.24 т.4): a provider's staff and the insurer's staff
    who answer providers."""
    return has_role(
        user,
        Role.PROVIDER,
        Role.CLAIMS_ADJUSTER,
        Role.UNDERWRITER,
        Role.SERVICE_COORDINATOR,
        Role.ADMINISTRATOR,
    )


# -- treatment_abroad (issue 13): Best Doctors treatment-abroad cases ---------------------------


def can_work_abroad_cases(user) -> bool:
    """The case managers' queue and every step the insurer takes on a case (001 т.68–74)."""
    return has_role(user, Role.CASE_MANAGER)


def can_act_on_abroad_case(user, case) -> bool:
    """The member's side of a case: the insured person, or the member who opened it for them
    (001 т.68: "или всяко друго лице, действащо законно от негово име")."""
    if not has_role(user, Role.MEMBER):
        return False
    return case.member.person.user_id == user.pk or case.opened_by_id == user.pk


def can_enter_provider_bills(user) -> bool:
    """A bill the insurer pays the provider directly (001 т.72.3: the hospital of the
    pre-certificate, the partner's travel agency), entered as a claim with the provider as
    payee: the case managers who arranged it; never a member."""
    return has_role(user, Role.CASE_MANAGER)


def can_view_abroad_case(user, case) -> bool:
    """The case with its diagnosis, documents and messages: the member's side and the case
    managers, nobody else (health data)."""
    return can_work_abroad_cases(user) or can_act_on_abroad_case(user, case)


# --- member_rights.privacy (issue 14): the member's data, requests, the audit trail ----------


def can_use_my_data(user) -> bool:
    """ "My data": the data archive, consents, requests and who opened one's documents — for the
    insured person themselves (004 Чл.32 т.4; GDPR Art. 15–21)."""
    return has_role(user, Role.MEMBER)


def can_handle_data_requests(user) -> bool:
    """Correction and erasure requests: the data protection officer answers them."""
    return has_role(user, Role.DATA_PROTECTION_OFFICER)


def can_read_audit_trail(user) -> bool:
    """Search who did and saw what (GDPR Art. 5(2), 30): the data protection officer and the
    administrator. Health-data values in the change history stay for ``sees_all_health_data``."""
    return has_role(user, Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR)


# -- group administration (zdrave.policy_admin.groups, issue 11) ----------------------------------
# Which group contracts a user may administer is applied to rows by ``contracts.visibility``
# (the employer: only its own group); these rules say which roles act at all.


def can_change_group(user) -> bool:
    """Make annexes and upload a census: the underwriter and the administrator for any group
    contract, the employer for its own (004 Чл.27 т.2, Чл.24 т.4)."""
    return has_role(user, Role.UNDERWRITER, Role.ADMINISTRATOR, Role.EMPLOYER)


def can_change_family_contract(user) -> bool:
    """Add or remove a spouse or child by annex online (004 Чл.27 т.2): a member, on a family
    contract they hold (``groups.fetch.family_contracts`` applies it to the rows)."""
    return has_role(user, Role.MEMBER)


def can_open_family_request(user, request) -> bool:
    """A family member referred to the underwriter (004 Чл.9–10, Чл.27 т.2): the underwriter who
    decides it, and the member holding the family contract — nobody else."""
    return can_underwrite_applications(user) or (
        can_change_family_contract(user)
        and request.contract.holder.users.filter(pk=user.pk).exists()
    )


def can_request_examinations(user) -> bool:
    """The policyholder asks for preventive examinations (004 Чл.30 т.3): the employer."""
    return has_role(user, Role.EMPLOYER)


def can_schedule_examinations(user) -> bool:
    """The insurer organises preventive examinations (004 Чл.30 т.3): the service coordinator
    and the underwriter."""
    return has_role(user, Role.SERVICE_COORDINATOR, Role.UNDERWRITER)


# ---- pre-authorisation and guarantee letters (zdrave.providers.preauth, issue 12) --------------


def can_decide_preauth_requests(user) -> bool:
    """The medical expert works the pre-authorisation queue: approves, partly approves or
    refuses (medical necessity is theirs, as in ``can_review_claims_medically``)."""
    return has_role(user, Role.MEDICAL_EXPERT)


def can_view_preauth_request(user, request) -> bool:
    """One pre-authorisation request (diagnosis: health data) and its guarantee letter: the
    medical expert sees all; a provider user only those of the institution they act for
    (``can_act_for_institution``); a member only their own. Everyone else is refused."""
    if can_decide_preauth_requests(user):
        return True
    if has_role(user, Role.PROVIDER):
        return can_act_for_institution(user, request.institution)
    if has_role(user, Role.MEMBER):
        return request.member.person.user_id == user.pk
    return False
