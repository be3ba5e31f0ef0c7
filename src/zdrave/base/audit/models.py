"""Platform-wide models: the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from zdrave.base.audit.system import SYSTEM_ACTOR, current_system_actor


class AuditEvent(models.Model):
    """One state change, written by an action in the same transaction as the change itself, so
    the trail can never say something happened that was rolled back (or miss what was kept)."""

    # No foreign-key constraint in the database: the trail is append-only and written by every
    # action; the database's check locked the acting user's row at each write (FOR KEY SHARE),
    # and two workers' locks on one row become multixacts. Django's PROTECT still keeps a user
    # with audit rows from deletion (issue 12, performance; docs/decisions.md).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    verb = models.CharField(_("verb"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.object_type}#{self.object_id}"


def record(*, actor, verb: str, obj: models.Model, **details) -> AuditEvent:
    """Write one audit row for ``obj``. Call inside the action's ``transaction.atomic()``."""
    row = audit_row(actor=actor, verb=verb, obj=obj, **details)
    row.save(force_insert=True)
    return row


def audit_row(*, actor, verb: str, obj: models.Model, **details) -> AuditEvent:
    """``record``'s row, not yet saved: for an action that writes its rows together (the claims
    submission, ``zdrave.claims.actions.together``), in the same transaction. With no user, a
    command or task running names itself (``system.current_system_actor``)."""
    return AuditEvent(**audit_values(actor=actor, verb=verb, obj=obj, **details))


def audit_values(*, actor, verb: str, obj: models.Model, **details) -> dict:
    """``audit_row``'s fields by name (for a writer that builds no model instance: the front
    desk's log, ``providers.network.actions.log_record``)."""
    actor = actor if actor is not None and actor.is_authenticated else None
    if actor is None and current_system_actor():
        details = {SYSTEM_ACTOR: current_system_actor(), **details}
    return {
        "actor": actor,
        "verb": verb,
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "details": details,
    }


def record_change(obj: models.Model, field: str, value, *, actor, verb: str) -> AuditEvent:
    """Change one field of ``obj`` to ``value``, save that column only, and write the audit row
    with the value before (``previous``) and after (under the field's name). Call inside the
    action's ``transaction.atomic()``."""
    previous = getattr(obj, field)
    setattr(obj, field, value)
    obj.save(update_fields=[field])
    return record(actor=actor, verb=verb, obj=obj, previous=previous, **{field: value})


def record_view(request, *, verb: str, obj: models.Model, **details) -> AuditEvent:
    """Write one audit row for a read of health data: who (the signed-in user), when (``at``),
    what (``obj`` and ``verb``), from where (client address and the page asked for)."""
    return record(
        actor=request.user,
        verb=verb,
        obj=obj,
        ip_address=request.META.get("REMOTE_ADDR", ""),
        path=request.path,
        **details,
    )
