"""The kit every member-service journey shares (second opinion, psychologist consultation, and
the ones to come): a row with a ``TextChoices`` status that a member, the partner team and a
specialist move through; an event row for each change, recording from/to; and the e-mail the
partner team sends about it.

A journey's ``actions`` take the row with ``locked_for_change`` (the row locked, once
``require_member`` / ``require_partner_team`` and ``require_status`` let the change happen),
change it and write the event with ``move``, all inside the action's transaction. Its ``fetch``
filters rows with ``visible_to``, its ``emails`` send with ``send_partner_mail``, and its
entry page takes the member's Extra Care cover with ``extra_care_required``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from email.utils import formataddr
from functools import wraps
from typing import Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.permissions import has_role
from zdrave.base.identity.roles import Role
from zdrave.base.outbox.mail import Attachment, send_templated
from zdrave.contracts.eligibility import Ineligible, MemberServiceTerms
from zdrave.contracts.models import Cover

# The longest free-text note a member or a team writes on a change.
MAX_NOTE = 1000


class JourneyRow(Protocol):
    pk: int
    status: str
    member_id: int
    partner_code: str

    def get_status_display(self) -> str: ...


class JourneyEvent(models.Model):
    """One state change of a journey's row, written in the same transaction as the change. A
    concrete event adds the foreign key to its row, ``kind``, and ``from_status`` /
    ``to_status`` with the row's status choices."""

    # None: the platform itself (a worker, a sweep).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


# -- state changes -----------------------------------------------------------------------------


def locked(row: models.Model, *related: str):
    """``row`` again, locked for the rest of the transaction (``related``: the rows to join).
    Each journey calls this from one place, so its lock order is the same everywhere."""
    return type(row).objects.select_for_update(of=("self",)).select_related(*related).get(pk=row.pk)


def require_member(actor, row: JourneyRow) -> None:
    """Only the member whose row it is may act on it."""
    if row.member_id != actor.pk:
        raise PermissionDenied


def require_partner_team(actor, row: JourneyRow) -> None:
    """Only the partner team the row is assigned to may act on it."""
    if not is_partner_team(actor, row):
        raise PermissionDenied


def require_status(row: JourneyRow, allowed: set, message) -> None:
    """Refuse the change unless ``row`` is in one of ``allowed``; ``message`` is the journey's
    translated "Status: not possible while … is “%(status)s”.", shown on the ``status`` field."""
    if row.status not in allowed:
        raise ValidationError({"status": message % {"status": row.get_status_display()}})


def locked_for_change(row, actor, *, who, allowed: set, lock, require):
    """The opening of a state change, inside the action's ``transaction.atomic()``: ``row``
    locked by ``lock`` (the journey's one locking function, so its lock order is the same
    everywhere), once ``who(actor, row)`` lets ``actor`` act (``require_member``,
    ``require_partner_team``) and ``require`` (the journey's bound ``require_status``) finds
    its status in ``allowed``. Returns the locked row; the caller changes it and ``move``s it."""
    row = lock(row)
    who(actor, row)
    require(row, allowed)
    return row


def set_status(row: JourneyRow, status: str) -> str:
    """Set ``status`` (unsaved); returns the status before, for the event."""
    before = row.status
    row.status = status
    return before


def record_event(
    event_model: type[models.Model],
    subject: str,
    row: JourneyRow,
    kind: str,
    *,
    actor,
    before: str,
    note: str = "",
    at=None,
):
    """The event row of one change of ``row`` (``subject``: the event's foreign key to it)."""
    return event_model.objects.create(
        **{subject: row},
        kind=kind,
        actor=actor,
        at=at or timezone.now(),
        from_status=before,
        to_status=row.status,
        note=note,
    )


def move(row, status: str, kind: str, *, event, actor, note: str = ""):
    """Set ``row`` to ``status``, save it and write its ``kind`` event through ``event`` (the
    journey's bound ``record_event``): the last step of every state change. The note is
    stored trimmed, at most ``MAX_NOTE`` characters."""
    before = set_status(row, status)
    row.save()
    return event(row, kind, actor=actor, before=before, note=note.strip()[:MAX_NOTE])


# -- who sees which rows -----------------------------------------------------------------------


def staff_page(user, *, team: str, specialist: str) -> str | None:
    """Where a partner-team (``team``) or specialist (``specialist``) user goes instead of a
    member's page of the journey (URL names); None for everybody else."""
    if has_role(user, Role.PARTNER):
        return team
    if has_role(user, Role.SPECIALIST):
        return specialist
    return None


def is_partner_team(user, row: JourneyRow) -> bool:
    """``user`` belongs to the partner team the row is assigned to."""
    return has_role(user, Role.PARTNER) and user.partner_code == row.partner_code


def visible_to(user, rows: QuerySet, *, specialist: str, **specialist_filter) -> QuerySet:
    """The rows of a journey ``user`` may see: a member their own, a partner team its partner's,
    a specialist those assigned to them (``specialist``: the path to the assigned ``Specialist``;
    ``specialist_filter``: what else must hold for the specialist to see a row)."""
    if has_role(user, Role.MEMBER):
        return rows.filter(member=user)
    if has_role(user, Role.PARTNER) and user.partner_code:
        return rows.filter(partner_code=user.partner_code)
    if has_role(user, Role.SPECIALIST):
        return rows.filter(**{f"{specialist}__user": user}, **specialist_filter)
    return rows.none()


# -- who may start a journey, 000 а) and б) стъпка 1 ------------------------------------------


def not_eligible(request, refusal: Ineligible, *, template: str):
    """ "Ако имате активиран пакет Extra Care": only members whose contract includes the service
    may use it; everyone else gets the journey's ``template`` saying why (``reason``, a code of
    ``Ineligible``), with status 403."""
    return render(request, template, {"reason": refusal.reason}, status=403)


def extra_care_required(cover_of: Callable[..., Cover], *, template: str):
    """Decorates the view that starts a journey: it runs with ``cover=`` the Extra Care cover
    ``cover_of(request.user)`` finds (the journey's ``fetch.extra_care_cover``), which its
    action needs; a user refused with ``Ineligible`` gets ``not_eligible`` with ``template``
    instead. Put it under ``login_required`` and the method check, so those answer first."""

    def decorate(view):
        @wraps(view)
        def with_cover(request, *args, **kwargs):
            try:
                cover = cover_of(request.user)
            except Ineligible as refusal:
                return not_eligible(request, refusal, template=template)
            return view(request, *args, cover=cover, **kwargs)

        return with_cover

    return decorate


# -- e-mail from the partner team --------------------------------------------------------------


def member_language(row) -> str:
    return row.member.language or "bg"


def absolute(site_url: str, path: str) -> str:
    """``path`` on the site the member used (the row's ``site_url``), else as it is."""
    return f"{site_url.rstrip('/')}{path}" if site_url else path


def send_partner_mail(
    to: str,
    subject: str,
    template: str,
    context: dict,
    *,
    service: MemberServiceTerms,
    language: str,
    from_partner: bool = True,
    attachments: list[Attachment] | tuple = (),
    secrets: Sequence[str] = (),
) -> None:
    """Write one templated e-mail to the outbox, sent "from address @diagnose.me" (000 а)
    стъпка 7, 000 б) стъпка 5) when the product data gives the partner's address and
    ``from_partner``; replies go to the partner team. Called inside the action's transaction."""
    partner, partner_name = service.partner, service.partner_name_in(language)
    sender = formataddr((partner_name, partner.email)) if from_partner and partner.email else None
    send_templated(
        to,
        subject,
        template,
        {"partner_name": partner_name, **context},
        attachments=attachments,
        language=language,
        from_email=sender,
        reply_to=[partner.email] if partner.email else [],
        secrets=secrets,
    )
