"""The one place that decides who may see what.

Health data is special-category personal data (GDPR Art. 9): every view that shows a person,
a contract or anything medical asks here, never compares roles itself.

- A member sees themselves, the contracts they are insured on or hold, and — as holder of a
  family contract — the people on it. Health data of another adult stays theirs: the holder
  sees it only for children under 18 on that contract (docs/decisions.md).
- An employer sees its group contracts and who is on them, never their health data.
- Insurer staff see by role: underwriters, claims adjusters and medical experts see health data;
  service coordinators and administrators see contracts and people but no health data.
- Partner team members and specialists see only what is assigned to them (later issues).
- A superuser is not a health-data role: ``is_superuser`` opens the back office, never health
  data; an administrator who needs health data is given a health-data role (docs/decisions.md).

One rule per kind of object, used by pages, downloads, the e-mail outbox and the admin alike:
``can_view_health_data`` (a person's claims and files), ``can_access_medical_file``,
``can_read_outbox`` / ``can_read_outbox_content``, ``can_view_therapy_theme`` and
``can_see_health_fields`` (the back office).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zdrave.base.identity.models import Role
from zdrave.contracts.models import Contract, ContractType, InsuredPerson, MemberRole
from zdrave.engine.calendar import age_in_years

CONTRACT_ROLES = frozenset(
    {
        Role.UNDERWRITER,
        Role.CLAIMS_ADJUSTER,
        Role.MEDICAL_EXPERT,
        Role.SERVICE_COORDINATOR,
        Role.ADMINISTRATOR,
    }
)
HEALTH_DATA_ROLES = frozenset({Role.UNDERWRITER, Role.CLAIMS_ADJUSTER, Role.MEDICAL_EXPERT})
FAMILY_ROLES = frozenset(
    {MemberRole.SPOUSE, MemberRole.COHABITANT, MemberRole.CHILD, MemberRole.HOLDER}
)
ADULT_AGE = 18


def has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def visible_contracts(user) -> QuerySet[Contract]:
    """The contracts ``user`` may open."""
    contracts = Contract.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return contracts.none()
    if user.role in CONTRACT_ROLES:
        return contracts
    if user.role == Role.EMPLOYER:
        return contracts.filter(type=ContractType.GROUP, holder__users=user).distinct()
    if user.role == Role.MEMBER:
        return contracts.filter(Q(holder__users=user) | Q(members__person__user=user)).distinct()
    return contracts.none()


def can_view_contract(user, contract: Contract) -> bool:
    return visible_contracts(user).filter(pk=contract.pk).exists()


def contract_for(user, number: str) -> Contract:
    """The contract ``number`` if ``user`` may open it; 404 otherwise, so a member cannot learn
    which contract numbers exist."""
    contract = visible_contracts(user).filter(number=number).first()
    if contract is None:
        raise Http404(number)
    return contract


def can_view_person(user, person: InsuredPerson) -> bool:
    """Name, identity, contracts and covers of ``person`` (not their health data)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.role in CONTRACT_ROLES:
        return True
    if person.user_id == user.pk:
        return True
    if user.role == Role.EMPLOYER:
        return person.memberships.filter(
            contract__type=ContractType.GROUP, contract__holder__users=user
        ).exists()
    if user.role == Role.MEMBER:
        return person.memberships.filter(
            contract__type=ContractType.FAMILY, contract__holder__users=user, role__in=FAMILY_ROLES
        ).exists()
    return False


def can_view_health_data(user, person: InsuredPerson, *, today: dt.date | None = None) -> bool:
    """Claims, diagnoses, medical files of ``person``."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.role in HEALTH_DATA_ROLES:
        return True
    if user.role != Role.MEMBER:
        return False
    if person.user_id == user.pk:
        return True
    return (
        _is_minor(person, today)
        and person.memberships.filter(
            contract__type=ContractType.FAMILY, contract__holder__users=user, role=MemberRole.CHILD
        ).exists()
    )


def can_see_health_fields(user) -> bool:
    """Back office and staff pages: health data of any member, by role alone (a staff user is
    never the member in question). Superusers without a health-data role do not."""
    return has_role(user, *HEALTH_DATA_ROLES)


MedicalFileRule = Callable[[object, object], bool]
_medical_file_rules: list[MedicalFileRule] = []


def register_medical_file_rule(rule: MedicalFileRule) -> MedicalFileRule:
    """Add a journey's rule ``rule(user, medical_file) -> bool`` (the partner team and the
    specialist of a second-opinion case); call it from ``AppConfig.ready()``."""
    if rule not in _medical_file_rules:
        _medical_file_rules.append(rule)
    return rule


def unregister_medical_file_rule(rule: MedicalFileRule) -> None:
    if rule in _medical_file_rules:
        _medical_file_rules.remove(rule)


def can_access_medical_file(user, medical_file) -> bool:
    """A member's uploaded medical file: its owner, whoever may see the owner's health data
    (health-data roles; the holder for a child under 18), and the journeys' registered rules."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if medical_file.owner_id == user.pk or can_see_health_fields(user):
        return True
    if user.role == Role.MEMBER:
        owner = InsuredPerson.objects.filter(user_id=medical_file.owner_id).first()
        if owner is not None and can_view_health_data(user, owner):
            return True
    return any(rule(user, medical_file) for rule in _medical_file_rules)


def can_read_outbox(user) -> bool:
    """The outbox list and each message's delivery data (to, status, attempts, errors): insurer
    staff and superusers checking that mail goes out."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in CONTRACT_ROLES)
    )


def can_read_outbox_content(user, message) -> bool:
    """Subject, body and attachments of an outbox message. Mail that carries health data (the
    default: ``message.health_data``) only for the health-data roles. Secrets such as sign-in
    links are masked in the stored copy for everyone."""
    if not can_read_outbox(user):
        return False
    return not message.health_data or can_see_health_fields(user)


def can_view_therapy_theme(user, consultation) -> bool:
    """000 б): the theme a member gives for a psychologist consultation is seen by the member,
    the therapist of the session and the partner team only — not by insurer staff."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if consultation.member_id == user.pk:
        return True
    if user.role == Role.PARTNER:
        return bool(user.partner_code) and user.partner_code == consultation.partner_code
    if user.role == Role.SPECIALIST:
        return consultation.therapist is not None and consultation.therapist.user_id == user.pk
    return False


def _is_minor(person: InsuredPerson, today: dt.date | None) -> bool:
    return age_in_years(person.birth_date, today or timezone.localdate()) < ADULT_AGE


def visible_people(user, contract: Contract) -> list[InsuredPerson]:
    """The people on ``contract`` that ``user`` may see, in contract order."""
    people = [m.person for m in contract.members.select_related("person")]
    return [p for p in people if can_view_person(user, p)]


def role_required(*roles: str):
    """View decorator: anonymous users go to log-in; signed-in users without one of ``roles``
    get 403 (the translated ``403.html``)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


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
