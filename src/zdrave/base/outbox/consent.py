"""Marketing mail goes only to people who agreed to receive it (GDPR Art. 6(1)(a), Art. 7(3);
004 Чл.33). Who agreed is known higher up (``member_rights.privacy`` registers the rule from
its ``ready()``); without a registered rule no marketing message goes to anybody."""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

MarketingRule = Callable[[str], bool]
_rules: list[MarketingRule] = []


def register_marketing_rule(rule: MarketingRule) -> MarketingRule:
    """Add ``rule(address) -> bool``: True when the owner of ``address`` consents to marketing."""
    if rule not in _rules:
        _rules.append(rule)
    return rule


def marketing_allowed(address: str) -> bool:
    return bool(_rules) and all(rule(address) for rule in _rules)


def drop_unconsented(email) -> bool:
    """For a message marked ``outbox_marketing``: remove every recipient without consent from
    to / cc / bcc. Returns True when somebody is left to send it to."""
    if not getattr(email, "outbox_marketing", False):
        return True
    before = len(email.recipients())
    email.to = [a for a in email.to if marketing_allowed(a)]
    email.cc = [a for a in email.cc if marketing_allowed(a)]
    email.bcc = [a for a in email.bcc if marketing_allowed(a)]
    dropped = before - len(email.recipients())
    if dropped:
        # No addresses in the log: it is read by more people than the outbox is.
        logger.info("marketing message: %s recipient(s) without consent left out", dropped)
    return bool(email.recipients())
