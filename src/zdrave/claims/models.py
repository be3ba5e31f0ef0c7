"""Claims and their lines, with the engine's decision stored on each line.

Terms (Bulgarian → model): претенция = ``Claim``, ред от претенцията = ``ClaimLine``,
самоучастие = co-payment (``copay``). A person's limit usage is not stored separately: it is the
sum of their decided lines (``zdrave.claims.fetch.history_for``), so it can never drift from the
decisions. Writes go through ``zdrave.claims.actions``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimForm(models.TextChoices):
    """002 VII: in-network direct billing or reimbursement of what the member paid."""

    SUBSCRIPTION = "subscription", _("Subscription (in-network)")
    REIMBURSEMENT = "reimbursement", _("Reimbursement")


class Outcome(models.TextChoices):
    UNDECIDED = "", _("Not decided")
    APPROVED = "approved", _("Approved")
    PARTIAL = "partial", _("Partly approved")
    REJECTED = "rejected", _("Rejected")
    PENDING = "pending", _("Waiting for documents")


class Claim(models.Model):
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    member = models.ForeignKey(
        "contracts.ContractMember",
        verbose_name=_("insured person"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    form = models.CharField(_("form"), max_length=16, choices=ClaimForm.choices)
    submitted = models.DateField(_("submitted"))
    diagnosis = models.CharField(_("diagnosis (ICD-10)"), max_length=8)
    documents = models.JSONField(_("documents"), default=list, blank=True)
    # How the condition arose, as the member declared it (``engine.terms.rules.Circumstance``
    # values): 004 Чл.21(1) excludes some (sport, т.12; intoxicants …).
    circumstances = models.JSONField(_("circumstances"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    payable = models.DecimalField(
        _("payable (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    missing_documents = models.JSONField(_("missing documents"), default=list, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["submitted", "id"]

    def __str__(self) -> str:
        return f"{self.contract_id}/{self.pk}"


class ClaimLine(models.Model):
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="lines"
    )
    # Denormalised from the claim so a person's usage is one indexed query.
    member = models.ForeignKey(
        "contracts.ContractMember",
        verbose_name=_("insured person"),
        on_delete=models.PROTECT,
        related_name="claim_lines",
    )
    index = models.PositiveSmallIntegerField(_("line"))
    service = models.CharField(_("service code"), max_length=32)
    date = models.DateField(_("date of service"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    prescribed = models.DateField(_("prescribed"), null=True, blank=True)
    nhif_paid = models.DecimalField(
        _("paid by НЗОК"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    other_insurer_paid = models.DecimalField(
        _("paid by another insurer"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    # 004 Чл.21(1) т.35: days of treatment a medicine purchase covers.
    dose_days = models.PositiveIntegerField(_("days of treatment"), null=True, blank=True)
    # The decision
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    eligible = models.DecimalField(
        _("eligible (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    copay = models.DecimalField(
        _("co-payment (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    payable = models.DecimalField(
        _("payable (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    paid_quantity = models.PositiveIntegerField(_("quantity used of limits"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)

    class Meta:
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")
        ordering = ["claim", "index"]
        constraints = [models.UniqueConstraint(fields=["claim", "index"], name="claim_line_once")]
        indexes = [models.Index(fields=["member", "date"], name="claim_line_member_date")]

    def __str__(self) -> str:
        return f"{self.claim} #{self.index} {self.service}"
