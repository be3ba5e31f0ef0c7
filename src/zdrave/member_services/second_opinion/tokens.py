"""The one-time registration / sign-in link of 000 а) стъпки 7–8.

The e-mailed token is ``signing.dumps({"id": link id, "s": secret})``: signed with the site's
secret key (a forged or altered token fails the signature) and time-stamped (older than
``LINK_VALID_FOR`` fails ``max_age``). The database keeps only a SHA-256 of the secret and
``used_at``; a link works once (an atomic compare-and-set on ``used_at``), and only the newest
link of a case works: issuing one ends every earlier unused one (docs/decisions.md, issue 8).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from zdrave.member_services.second_opinion.models import OpinionCase, SignInLink

SALT = "zdrave.opinions.sign-in-link"
# Seed 000 gives no validity. The link is a bearer secret sent by e-mail: two days cover a
# weekend-free reading of the mail and keep a forwarded or leaked one from working for long; the
# team sends a new link on request (docs/decisions.md, issue 8).
LINK_VALID_FOR = timedelta(hours=48)


class LinkRefused(Exception):
    """Why a link does not sign anyone in: ``reason`` is ``invalid``, ``expired`` or ``used``."""

    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IssuedLink:
    link: SignInLink
    token: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(case: OpinionCase) -> IssuedLink:
    """A new link for the case's member, ending every earlier unused link of the case (one live
    link per case); call inside the action's transaction."""
    secret = secrets.token_urlsafe(24)
    now = timezone.now()
    SignInLink.objects.filter(case=case, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    link = SignInLink.objects.create(
        member=case.member,
        case=case,
        secret_hash=_digest(secret),
        created_at=now,
        expires_at=now + LINK_VALID_FOR,
    )
    token = signing.dumps({"id": link.pk, "s": secret}, salt=SALT, compress=True)
    return IssuedLink(link=link, token=token)


def peek(token: str) -> SignInLink:
    """The link ``token`` stands for, if it could still be used; raises ``LinkRefused``."""
    link = _verified(token)
    if link.used_at is not None:
        raise LinkRefused(LinkRefused.USED)
    if link.expires_at <= timezone.now():
        raise LinkRefused(LinkRefused.EXPIRED)
    return link


def consume(token: str) -> SignInLink:
    """Use the link: it works once. Raises ``LinkRefused``."""
    link = peek(token)
    now = timezone.now()
    claimed = SignInLink.objects.filter(
        pk=link.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not claimed:
        raise LinkRefused(LinkRefused.USED)
    link.used_at = now
    return link


def _verified(token: str) -> SignInLink:
    try:
        payload = signing.loads(token, salt=SALT, max_age=LINK_VALID_FOR.total_seconds())
    except signing.SignatureExpired:
        raise LinkRefused(LinkRefused.EXPIRED) from None
    except signing.BadSignature:
        raise LinkRefused(LinkRefused.INVALID) from None
    if not isinstance(payload, dict):
        raise LinkRefused(LinkRefused.INVALID)
    link = SignInLink.objects.select_related("member").filter(pk=payload.get("id")).first()
    secret = str(payload.get("s", ""))
    if link is None or not secrets.compare_digest(link.secret_hash, _digest(secret)):
        raise LinkRefused(LinkRefused.INVALID)
    return link


# Guessing a token is hopeless (a 192-bit secret under a signature), but a client that keeps
# sending bad ones is probing: after FAILURES_ALLOWED in FAILURE_WINDOW from one address, every
# link from that address is refused until the window passes (docs/decisions.md, issue 8).
THROTTLED = "throttled"
FAILURES_ALLOWED = 10
FAILURE_WINDOW = timedelta(minutes=15)


def _failure_key(address: str) -> str:
    return f"zdrave:sign-in-link-failures:{address}"


def is_throttled(address: str) -> bool:
    return cache.get(_failure_key(address), 0) >= FAILURES_ALLOWED


def note_failure(address: str) -> None:
    key = _failure_key(address)
    if not cache.add(key, 1, timeout=int(FAILURE_WINDOW.total_seconds())):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=int(FAILURE_WINDOW.total_seconds()))
