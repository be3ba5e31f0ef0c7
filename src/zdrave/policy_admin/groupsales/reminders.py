"""Reminders for the group declarations not filled in (004 Чл.23 т.1: in a group of up to 20,
ten or more by Чл.24 т.2, every person fills in their own health declaration through the link
e-mailed to them).

The rule (docs/decisions.md, "Group declaration reminders"): a link whose declarations are still
awaited ``REMIND_AFTER`` Bulgarian working days after it was last e-mailed is e-mailed again, at
most ``MAX_REMINDERS`` times by the daily run (``zdrave groupsales_daily``); sales staff may
re-send it by hand at any time. Only a SHA-256 of a link's secret is kept, so a reminder issues
a NEW secret on the same link row: the older link stops working at once and the new one is only
in the e-mail (masked in the outbox copy staff read), never on a page."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.identity.permissions import can_resend_declaration_links
from zdrave.engine.calendar import add_working_days
from zdrave.policy_admin.groupsales import emails
from zdrave.policy_admin.groupsales.actions import LINK_SALT, _digest
from zdrave.policy_admin.groupsales.models import DeclarationLink, GroupSale
from zdrave.policy_admin.sales.actions import awaits_declaration
from zdrave.policy_admin.sales.models import ApplicationStatus

REMIND_AFTER = 3  # working days after the link was last e-mailed
MAX_REMINDERS = 2  # by the daily run; staff may re-send by hand beyond it


@dataclass(frozen=True)
class Missing:
    """A link with declarations still awaited: what the employer and staff see (names and
    counts only — never an answer or a decision, which are health data)."""

    link: DeclarationLink
    persons: list
    next_reminder: dt.date | None  # None: no automatic reminder is left

    @property
    def reminders(self) -> int:
        return self.link.reminders


def _waiting(link: DeclarationLink) -> list:
    return [p for p in link.persons.all() if awaits_declaration(p)]


def due_on(link: DeclarationLink) -> dt.date | None:
    """The day the daily run reminds this link: ``REMIND_AFTER`` working days after it was last
    sent (Bulgarian calendar, ``engine.calendar``), while reminders are left."""
    if link.reminders >= MAX_REMINDERS:
        return None
    return add_working_days(timezone.localdate(link.sent_at), REMIND_AFTER)


def missing(sale: GroupSale) -> list[Missing]:
    """The group's links whose declarations are still awaited, in census order."""
    if sale.application.status != ApplicationStatus.REFERRED:
        return []
    links = sale.links.prefetch_related("persons__application").order_by("pk")
    found = []
    for link in links:
        waiting = [p for p in link.persons.all() if awaits_declaration(p)]
        if waiting:
            found.append(Missing(link=link, persons=waiting, next_reminder=due_on(link)))
    return found


def _resend(link: DeclarationLink, waiting: list, *, actor, automatic: bool) -> DeclarationLink:
    """Inside the caller's transaction, ``link`` locked: a new secret (the old link is void),
    the count, the e-mail and the audit row."""
    secret = secrets.token_urlsafe(24)
    link.secret_hash = _digest(secret)
    link.sent_at = timezone.now()
    link.reminders += 1
    link.save(update_fields=["secret_hash", "sent_at", "reminders"])
    token = signing.dumps({"id": link.pk, "s": secret}, salt=LINK_SALT, compress=True)
    sale = link.group_sale
    emails.send_declaration_link(sale, link, waiting, token, reminder=True)
    record(
        actor=actor,
        verb="group_application.declaration_link_resent",
        obj=sale.application,
        link=link.pk,
        reminders=link.reminders,
        automatic=automatic,
    )
    return link


def resend_link(link: DeclarationLink, *, actor, seen_reminders: int) -> DeclarationLink:
    """Sales staff re-send a link by hand (004 Чл.23 т.1). ``seen_reminders`` is the count the
    page showed: a second submit of the same page re-sends nothing (one e-mail, one count)."""
    if not can_resend_declaration_links(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            DeclarationLink.objects.select_for_update()
            .select_related("group_sale__application")
            .get(pk=link.pk)
        )
        if locked.reminders != seen_reminders:
            return locked  # already re-sent from this page
        waiting = _waiting(locked)
        if not waiting:
            raise ValidationError(
                _("Every declaration of this link is already signed: nothing to re-send.")
            )
        return _resend(locked, waiting, actor=actor, automatic=False)


def send_due_reminders(on: dt.date | None = None) -> dict[str, int]:
    """The daily run: each link of a group still with the underwriter whose declarations are
    awaited and whose reminder day has come is e-mailed again, each in its own transaction;
    running twice on a day sends once (the link's ``sent_at`` moves)."""
    on = on or timezone.localdate()
    done = {"reminded": 0, "exhausted": 0}
    candidates = DeclarationLink.objects.filter(
        group_sale__declarations_needed=True,
        group_sale__application__status=ApplicationStatus.REFERRED,
    ).order_by("pk")
    for link in candidates.iterator():
        with transaction.atomic():
            locked = (
                DeclarationLink.objects.select_for_update()
                .select_related("group_sale__application")
                .get(pk=link.pk)
            )
            waiting = _waiting(locked)
            if not waiting:
                continue
            day = due_on(locked)
            if day is None:
                done["exhausted"] += 1
                continue
            if day > on:
                continue
            _resend(locked, waiting, actor=None, automatic=True)
            done["reminded"] += 1
    return done
