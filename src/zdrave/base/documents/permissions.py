"""Who may download a medical file.

Health data is special-category personal data: the default is no. The member who owns the file
and the health-data roles (``zdrave.base.identity.permissions``) may; the journeys add their own rules (the partner team and the specialist
assigned to a second-opinion case, the therapist of a consultation) with
``register_access_rule``.
"""

from __future__ import annotations

from collections.abc import Callable

from zdrave.base.documents.models import MedicalFile
from zdrave.base.identity.permissions import is_signed_in, sees_all_health_data

AccessRule = Callable[[object, MedicalFile], bool]
_rules: list[AccessRule] = []


def register_access_rule(rule: AccessRule) -> AccessRule:
    """Add a rule ``rule(user, medical_file) -> bool``; usable as a decorator. Call it from an
    app's ``AppConfig.ready()`` so it is in place before the first request."""
    if rule not in _rules:
        _rules.append(rule)
    return rule


def unregister_access_rule(rule: AccessRule) -> None:
    if rule in _rules:
        _rules.remove(rule)


def can_access(user, medical_file: MedicalFile) -> bool:
    if not is_signed_in(user):
        return False
    if medical_file.owner_id == user.pk:
        return True
    if sees_all_health_data(user):
        return True
    return any(rule(user, medical_file) for rule in _rules)
