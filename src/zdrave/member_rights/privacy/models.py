"""The member's personal-data rights: consents with their history, correction and erasure
requests (GDPR Art. 16, 17; 004 Чл.32 т.4) and the log of data archives downloaded (Art. 15).

Terms (Bulgarian → model): съгласие = ``ConsentEvent``, искане за коригиране / изтриване =
``DataRequest``. Writes go through ``zdrave.member_rights.privacy.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    # 004 Чл.33 т.2: news of new products and surveys of satisfaction, nothing else.
    MARKETING = "marketing", _("Product news and satisfaction surveys")


class ConsentChannel(models.TextChoices):
    PORTAL = "portal", _("On the portal")
    PHONE = "phone", _("By phone, recorded by staff")
    PAPER = "paper", _("On paper, recorded by staff")


class ConsentEvent(models.Model):
    """One giving or withdrawal of a consent: the history is the rows, the state is the last
    row (GDPR Art. 7(1): the insurer must be able to show the consent; Art. 7(3): withdrawn as
    easily as given)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="consent_events",
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("given"))
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    channel = models.CharField(_("channel"), max_length=8, choices=ConsentChannel.choices)
    text_version = models.CharField(_("text version"), max_length=16)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent history")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["member", "purpose", "at"])]

    def __str__(self) -> str:
        return f"{self.member_id} {self.purpose} {self.given} {self.at:%Y-%m-%d %H:%M}"


class RequestKind(models.TextChoices):
    CORRECTION = "correction", _("Correction of my data")
    ERASURE = "erasure", _("Erasure of my data")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class DataRequest(models.Model):
    """A member's request about their personal data, answered by the data protection officer
    within one month (GDPR Art. 12(3)); ``outcome`` is what was done or why not (Art. 12(4))."""

    number = models.CharField(_("request number"), max_length=24, unique=True, null=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=RequestStatus.choices,
        default=RequestStatus.OPEN,
        db_index=True,
    )
    text = models.TextField(_("what the member asks"), blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_on = models.DateField(_("answer due by"))
    outcome = models.TextField(_("outcome"), blank=True)
    # Erasure: what was erased and what was kept, by kind of record (``retention.erasure_plan``).
    plan = models.JSONField(_("erased and kept"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("personal-data request")
        verbose_name_plural = _("personal-data requests")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN
