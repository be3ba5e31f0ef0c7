"""Marketing consent (004 Чл.33): the text a member agrees to, by version, and the rule the
outbox asks before it queues a marketing message.

004 Чл.33 т.1 reads acceptance of the general conditions as consent to advertising; a consent
bundled with a contract is not freely given (GDPR Art. 7(4), recital 43), so the platform
presumes none: marketing goes only to members who said yes here (docs/decisions.md).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from zdrave.base.outbox.consent import register_marketing_rule
from zdrave.member_rights.privacy.models import ConsentEvent, ConsentPurpose

# The consent text in force and the earlier ones: the history names the version agreed to.
TEXT_VERSION = "2026-12"
TEXTS = {
    "2026-12": _(
        "I agree to receive by e-mail news of the insurer's new insurance products and "
        "surveys of my satisfaction with the products I use (004 Чл.33 т.2). I can withdraw "
        "this consent here at any time; withdrawing it changes nothing in my insurance."
    ),
}


def current(member, purpose: str = ConsentPurpose.MARKETING) -> ConsentEvent | None:
    """The last giving or withdrawal, or None when the member never answered."""
    return ConsentEvent.objects.filter(member=member, purpose=purpose).first()


def has_marketing_consent(member) -> bool:
    event = current(member)
    return event is not None and event.given


def address_consents(address: str) -> bool:
    """The outbox's rule: every active account with this e-mail address consents (an address
    shared by two accounts needs both)."""
    users = list(get_user_model().objects.filter(email__iexact=address.strip(), is_active=True))
    return bool(users) and all(has_marketing_consent(user) for user in users)


def register_outbox_guard() -> None:
    register_marketing_rule(address_consents)
