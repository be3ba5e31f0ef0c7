"""Who may download a medical file.

Health data is special-category personal data: the default is no. The member who owns the file
and insurer staff may; the journeys add their own rules (the partner team and the specialist
assigned to a second-opinion case, the therapist of a consultation) with
``register_access_rule``.
"""

from __future__ import annotations

from collections.abc import Callable

from zdrave.base.documents.models import MedicalFile

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
    if not (user.is_authenticated and user.is_active):
        return False
    if medical_file.owner_id == user.pk:
        return True
    if user.is_superuser or user.is_insurer_staff:
        return True
    return any(rule(user, medical_file) for rule in _rules)
