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

The role rules are here; ``zdrave.contracts.visibility`` applies them to contract rows,
``zdrave.base.documents.permissions`` to medical files, ``zdrave.member_services.journey`` to
the rows of a member-service journey.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from zdrave.base.identity.roles import STAFF_ROLES, Role

CONTRACT_ROLES = STAFF_ROLES
HEALTH_DATA_ROLES = frozenset({Role.UNDERWRITER, Role.CLAIMS_ADJUSTER, Role.MEDICAL_EXPERT})


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
