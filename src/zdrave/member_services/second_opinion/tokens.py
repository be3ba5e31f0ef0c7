"""The one-time registration / sign-in link of 000 а) стъпки 7–8.

The e-mailed token is ``signing.dumps({"id": link id, "s": secret})``: signed with the site's
secret key (a forged or altered token fails the signature) and time-stamped (older than
``LINK_VALID_FOR`` fails ``max_age``). The database keeps only a SHA-256 of the secret and
``used_at``; a link works once (an atomic compare-and-set on ``used_at``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils import timezone

from zdrave.member_services.second_opinion.models import OpinionCase, SignInLink

SALT = "zdrave.opinions.sign-in-link"
# Seed 000 gives no validity; an invitation e-mail read within a week is the common case and a
# week keeps a forwarded or leaked mail from working for long (docs/decisions.md).
LINK_VALID_FOR = timedelta(days=7)


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
    """A new link for the case's member; call inside the action's transaction."""
    secret = secrets.token_urlsafe(24)
    now = timezone.now()
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
