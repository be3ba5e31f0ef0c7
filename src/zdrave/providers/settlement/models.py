"""Provider claims and their monthly settlement.

Terms (Bulgarian → model): искане за плащане от изпълнител на медицинска помощ =
``ProviderClaim`` (the institution bills the insurer for a service given under the subscription
form, 002 "Абонаментно обслужване", 004 Чл.29 т.12); месечна справка / отчет = ``Statement``
(one per institution and month); платежно нареждане = one transfer of a ``SettlementBatch``
(pain.001.001.09); вземане за възстановяване = ``Recovery`` (004 Чл.26 т.2, Чл.29 т.10).

A provider claim *is* a claim of ``zdrave.claims`` (form ``subscription``): it is decided on the
same path and counts against the person's limits like any other (their usage is the sum of
their paid claim lines). This app adds what only the network side knows: which institution
billed, on which eligibility check, through which channel, and how it was settled. Writes go
through ``zdrave.providers.settlement.actions``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zdrave.base.banking.models import TransferBatch

ZERO = Decimal("0.00")


class ProviderAccount(models.Model):
    """The institution's bank account the insurer settles to (the agreement's payment
    details, 004 Чл.29 т.12: "предмет на отделен договор")."""

    institution = models.OneToOneField(
        "network.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="settlement_account",
    )
    account_name = models.CharField(_("account holder"), max_length=200)
    iban = models.CharField(_("IBAN"), max_length=34)

    class Meta:
        verbose_name = _("provider bank account")
        verbose_name_plural = _("provider bank accounts")

    def __str__(self) -> str:
        return f"{self.institution} {self.iban[-4:]}"


class Channel(models.TextChoices):
    FORM = "form", _("Web form")
    BATCH = "batch", _("Batch file")
    API = "api", pgettext_lazy("channel", "API")


class StatementStatus(models.TextChoices):
    CLOSED = "closed", _("Closed, to be paid")
    SENT = "sent", _("Sent to the bank")
    PAID = "paid", pgettext_lazy("statement", "Paid")


class SettlementBatch(TransferBatch):
    """One SEPA credit transfer file (pain.001.001.09) with one transfer per statement, built
    once and stored (exporting again gives the same bytes)."""

    class Meta(TransferBatch.Meta):
        verbose_name = _("settlement batch")
        verbose_name_plural = _("settlement batches")


class Statement(models.Model):
    """What the insurer owes one institution for one month: the decided provider claims of the
    month, less the recoveries from the institution offset against it; paid by ONE transfer."""

    institution = models.ForeignKey(
        "network.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="statements",
    )
    month = models.DateField(_("month"))  # the first day of the month settled
    number = models.CharField(_("statement number"), max_length=24, unique=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=StatementStatus.choices,
        default=StatementStatus.CLOSED,
    )
    claims_total = models.DecimalField(_("claims (EUR)"), max_digits=14, decimal_places=2)
    copay_total = models.DecimalField(
        _("co-payments collected by the provider (EUR)"), max_digits=14, decimal_places=2
    )
    offset_total = models.DecimalField(
        _("recoveries offset (EUR)"), max_digits=14, decimal_places=2, default=ZERO
    )
    payable = models.DecimalField(_("to pay (EUR)"), max_digits=14, decimal_places=2)
    account_name = models.CharField(_("account holder"), max_length=200)
    iban = models.CharField(_("IBAN"), max_length=34)
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35, unique=True)
    batch = models.ForeignKey(
        SettlementBatch,
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    closed_at = models.DateTimeField(_("closed"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("settlement statement")
        verbose_name_plural = _("settlement statements")
        ordering = ["-month", "institution__name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "month"], name="statement_once_a_month")
        ]

    def __str__(self) -> str:
        return self.number


class ProviderClaim(models.Model):
    """The institution's side of a claim of the subscription form: who billed, on which
    eligibility check (the front desk's answer the service was given on) and how."""

    claim = models.OneToOneField(
        "claims.Claim",
        verbose_name=_("claim"),
        on_delete=models.PROTECT,
        related_name="provider_claim",
    )
    institution = models.ForeignKey(
        "network.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="provider_claims",
    )
    eligibility_check = models.ForeignKey(
        "network.EligibilityCheck",
        verbose_name=_("eligibility check"),
        on_delete=models.PROTECT,
        related_name="provider_claims",
    )
    # A service that needed prior approval is billed on its guarantee letter (issue 12,
    # ``providers.preauth``): the letter's use is recorded with the claim.
    guarantee_letter = models.ForeignKey(
        "preauth.GuaranteeLetter",
        verbose_name=_("guarantee letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provider_claims",
    )
    channel = models.CharField(_("sent through"), max_length=8, choices=Channel.choices)
    # The provider's own reference (its invoice or case number): unique per institution.
    reference = models.CharField(_("provider's reference"), max_length=40)
    billed = models.DecimalField(_("billed (EUR)"), max_digits=12, decimal_places=2)
    # How the price was set (004 Чл.29 т.11): "agreed" | "customary" | "billed".
    price_basis = models.CharField(_("price basis"), max_length=12)
    price = models.DecimalField(_("price (EUR)"), max_digits=12, decimal_places=2)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("provider claim")
        verbose_name_plural = _("provider claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "reference"], name="provider_reference_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.reference}"


class Debtor(models.TextChoices):
    MEMBER = "member", _("The insured person")
    PROVIDER = "provider", _("The medical institution")


class RecoveryGround(models.TextChoices):
    """004 Чл.29 т.10.1–10.4 (the engine's ``health_claims.RecoveryGround``)."""

    CARD_NOT_RETURNED = "card-not-returned", _("Card used after the cover ended (Чл.29 т.10.1)")
    OVER_LIMIT = "over-limit", _("Above the limit (Чл.29 т.10.2, Чл.26 т.2)")
    EXCLUDED_RISK = "excluded-risk", _("Excluded risk (Чл.29 т.10.3)")
    NOT_OWED = "not-owed", _("Not owed under the contract (Чл.29 т.10.4)")


class RecoveryStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("recovery", "Open")
    OFFSET = "offset", _("Offset against a statement")
    REPAID = "repaid", pgettext_lazy("recovery", "Repaid")


class Recovery(models.Model):
    """An amount paid on a provider claim without grounds, owed back by the member or by the
    institution (004 Чл.29 т.10; Чл.26 т.2), followed until it is offset against the
    institution's next statement or repaid. The debtor is told in writing of the amount, the
    terms and the way to repay (Чл.29 т.10.5): ``letter``."""

    provider_claim = models.ForeignKey(
        ProviderClaim,
        verbose_name=_("provider claim"),
        on_delete=models.PROTECT,
        related_name="recoveries",
    )
    debtor = models.CharField(_("owed by"), max_length=8, choices=Debtor.choices)
    ground = models.CharField(_("ground"), max_length=20, choices=RecoveryGround.choices)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    note = models.TextField(_("reasons"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=RecoveryStatus.choices, default=RecoveryStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    offset_statement = models.ForeignKey(
        Statement,
        verbose_name=_("offset in statement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offsets",
    )
    repaid_on = models.DateField(_("repaid on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="recovery_positive")
        ]

    def __str__(self) -> str:
        return f"{self.provider_claim} {self.ground} {self.amount}"
