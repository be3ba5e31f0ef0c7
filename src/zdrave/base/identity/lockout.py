"""Log-in throttling (django-axes) with a limit per address + user name and one per address.

axes counts failures under each lockout parameter (``settings.AXES_LOCKOUT_PARAMETERS``) but
applies one limit to all of them; we need two: ``AXES_FAILURE_LIMIT`` for one user name from one
address (a guesser, or the owner mistyping) and ``ZDRAVE_LOGIN_FAILURES_PER_ADDRESS`` for one
address whatever the names (password spraying), which must leave room for a shared office NAT.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def username_of(request, credentials=None) -> str | None:
    """The user name axes records, cut to its column (255): Django's log-in forms do not enforce
    the user name's length before authenticating, and a longer one failed the insert on
    PostgreSQL with a server error instead of a wrong log-in."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return (
        username[: AccessAttempt._meta.get_field("username").max_length] if username else username
    )


def client_address(request) -> str:
    """REMOTE_ADDR; behind the documented proxy (``ZDRAVE_BEHIND_PROXY=1``) the last entry of
    X-Forwarded-For, which the proxy appended itself: earlier entries are whatever the client
    sent and would let anyone pick the address they are counted under."""
    if settings.ZDRAVE_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressAndUserHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """Failures as axes compares them with ``AXES_FAILURE_LIMIT``: those of this user name
        from this address, or the limit itself once the address has used up its own."""
        per_user, per_address = self.get_user_attempts(request, credentials)
        if _failures(per_address) >= settings.ZDRAVE_LOGIN_FAILURES_PER_ADDRESS:
            return max(_failures(per_user), get_failure_limit(request, credentials))
        return _failures(per_user)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful log-in clears that user's failures from this address only; the
        address's count for other names stays (a sprayer cannot reset it with an own account)."""
        per_user, _per_address = self.filter_user_attempts(request, credentials)
        count, _ = per_user.delete()
        return count


def clear_lockout(username: str) -> int:
    """Lift every lock on ``username`` (from any address), e.g. once its owner has set a new
    password through the e-mailed reset link."""
    count, _ = AccessAttempt.objects.filter(username=username).delete()
    return count
