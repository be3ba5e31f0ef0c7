"""Pre-authorisation and guarantee letters (issue 12).

Terms (Bulgarian → model): искане за предварително одобрение = ``PreauthRequest``, гаранционно
писмо = ``GuaranteeLetter``, усвояване = ``GuaranteeUse``. Services that need the insurer's prior
approval (hospital care, 002 III; rows an institution's agreement marks: the engine's
``needs_preauthorisation``) are asked for by the institution's front desk or by the member; a
medical expert approves, partly approves or refuses with reasons. An approval is a guarantee
letter: an amount held against the person's limits (004 Чл.26 т.1, Чл.29 т.11: the insurer pays
the institution "в рамките на договорената застрахователна сума") until a provider claim uses
it, it expires or it is released. Writes go through ``zdrave.providers.preauth.actions``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the medical expert")
    APPROVED = "approved", _("Approved")
    PARTLY_APPROVED = "partly_approved", _("Partly approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (RequestStatus.SUBMITTED,)
DECIDED_STATUSES = (RequestStatus.APPROVED, RequestStatus.PARTLY_APPROVED, RequestStatus.REFUSED)


class AskedBy(models.TextChoices):
    PROVIDER = "provider", _("The medical institution")
    MEMBER = "member", _("The insured person")


class PreauthRequest(models.Model):
    """One request for prior approval of one service row (002's rows) for one insured person
    (their health ``member``ship), at one institution of the network, on a planned day."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    member = models.ForeignKey(
        "contracts.ContractMember",
        verbose_name=_("insured person"),
        on_delete=models.PROTECT,
        related_name="preauth_requests",
    )
    institution = models.ForeignKey(
        "network.Institution",
        verbose_name=_("medical institution"),
        on_delete=models.PROTECT,
        related_name="preauth_requests",
    )
    service = models.CharField(_("service"), max_length=32)
    planned_date = models.DateField(_("planned date"))
    estimated_amount = models.DecimalField(
        _("estimated amount (EUR)"), max_digits=12, decimal_places=2
    )
    diagnosis = models.CharField(_("diagnosis (ICD-10)"), max_length=16)
    notes = models.TextField(_("medical reasons"), blank=True)
    asked_via = models.CharField(_("asked by"), max_length=16, choices=AskedBy.choices)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    form_key = models.CharField(max_length=64, unique=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), db_index=True)
    due_at = models.DateTimeField(_("answer due"))
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_amount = models.DecimalField(
        _("approved amount (EUR)"), max_digits=12, decimal_places=2, default=ZERO
    )
    reason_code = models.CharField(_("reason"), max_length=32, blank=True)
    clause = models.CharField(_("clause"), max_length=80, blank=True)
    reasons = models.TextField(_("reasons given"), blank=True)

    class Meta:
        verbose_name = _("pre-authorisation request")
        verbose_name_plural = _("pre-authorisation requests")
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_amount__gt=0), name="preauth_estimate_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(approved_amount__gte=0)
                & models.Q(approved_amount__lte=models.F("estimated_amount")),
                name="preauth_approved_within_estimate",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class LetterStatus(models.TextChoices):
    HELD = "held", _("Valid (amount held against the limit)")
    USED = "used", _("Used")
    EXPIRED = "expired", _("Expired")
    RELEASED = "released", _("Released")


class GuaranteeLetter(models.Model):
    """The insurer's guarantee to the institution (гаранционно писмо): up to ``amount`` for what
    ``covers`` describes, from ``valid_from`` to ``valid_until``. While ``HELD`` its unused part
    (``held``) counts against the person's limits (``fetch.held_lines``, fed into the claims
    engine's history)."""

    request = models.OneToOneField(
        PreauthRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="letter",
    )
    number = models.CharField(_("number"), max_length=20, unique=True)
    amount = models.DecimalField(_("guaranteed amount (EUR)"), max_digits=12, decimal_places=2)
    used_amount = models.DecimalField(
        _("used (EUR)"), max_digits=12, decimal_places=2, default=ZERO
    )
    covers = models.TextField(_("what it covers"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=16, choices=LetterStatus.choices, default=LetterStatus.HELD
    )
    issued_at = models.DateTimeField(_("issued"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_reason = models.CharField(_("why closed"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("guarantee letter")
        verbose_name_plural = _("guarantee letters")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="letter_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(used_amount__gte=0)
                & models.Q(used_amount__lte=models.F("amount")),
                name="letter_used_within_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="letter_validity_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def held(self) -> Decimal:
        """What still counts against the limit: the unused part of a valid letter."""
        if self.status != LetterStatus.HELD:
            return ZERO
        return self.amount - self.used_amount


class GuaranteeUse(models.Model):
    """One use of a letter by a provider claim (``actions.use_guarantee``): ``reference`` names
    the claim (the settlement app's number), ``amount`` what it took of the letter."""

    letter = models.ForeignKey(
        GuaranteeLetter, verbose_name=_("letter"), on_delete=models.PROTECT, related_name="uses"
    )
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    reference = models.CharField(_("claim reference"), max_length=64)
    used_on = models.DateField(_("date of service"))
    at = models.DateTimeField(_("recorded"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("use of a guarantee letter")
        verbose_name_plural = _("uses of guarantee letters")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="use_amount_positive"),
            models.UniqueConstraint(fields=["letter", "reference"], name="use_once_per_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.reference} {self.amount}"
