"""Renewal of a contract and the policyholder's answer to a proposal of a higher premium.

Terms (Bulgarian → model): оферта за подновяване = ``RenewalOffer`` (made before the contract's
end, re-priced by the tariff at the new start; accepted, it becomes the next contract, linked to
this one by ``contracts.Contract.previous``); отговор на предложение за повишаване на премията =
``PremiumAnswer`` (004 Чл.25 т.8: accepted, an annex changes the premium from a date; refused,
the insurer may terminate — a person decides, with a letter). Writes go through
``zdrave.policy_admin.renewal.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OfferStatus(models.TextChoices):
    OFFERED = "offered", pgettext_lazy("renewal offer", "Offered")
    ACCEPTED = "accepted", pgettext_lazy("renewal offer", "Accepted")
    DECLINED = "declined", pgettext_lazy("renewal offer", "Declined")
    EXPIRED = "expired", _("Not answered in time")


class RenewalOffer(models.Model):
    """The offer to renew ``contract`` for another year from the day after its end. ``persons``
    holds who is offered cover and at what premium (``[{"member", "person", "name", "age",
    "choices", "premium"}]``); ``left_out`` who is not and why (``[{"name", "reason"}]``).
    The holder answers by ``answer_by`` (the contract's last day of cover)."""

    contract = models.OneToOneField(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="renewal_offer",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    offered_on = models.DateField(_("offered on"))
    answer_by = models.DateField(_("answer by"))
    start = models.DateField(_("new start"))
    end = models.DateField(_("new end"))  # inclusive, like Contract.end
    product_version = models.DateField(_("product version"))
    tariff_version = models.DateField(_("tariff version"))
    instalments = models.JSONField(_("instalments (EUR)"), default=list)
    premium = models.DecimalField(_("yearly premium (EUR)"), max_digits=12, decimal_places=2)
    previous_premium = models.DecimalField(
        _("current yearly premium (EUR)"), max_digits=12, decimal_places=2
    )
    persons = models.JSONField(_("persons offered"), default=list)
    left_out = models.JSONField(_("persons not offered"), default=list, blank=True)
    emailed = models.BooleanField(_("e-mailed"), default=False)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_contract = models.OneToOneField(
        "contracts.Contract",
        verbose_name=_("new contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("renewal offer")
        verbose_name_plural = _("renewal offers")
        ordering = ["answer_by", "id"]

    def __str__(self) -> str:
        return f"{self.contract_id} → {self.start}"


class AnswerKind(models.TextChoices):
    ACCEPTED = "accepted", _("Higher premium accepted")
    REFUSED = "refused", _("Higher premium refused")


class AnswerOutcome(models.TextChoices):
    ANNEXED = "annexed", _("Premium changed by annex")
    WAITING = "waiting", _("Waiting for the underwriter's decision")
    KEPT = "kept", _("Contract kept at the current premium")
    TERMINATED = "terminated", _("Contract terminated")


class PremiumAnswer(models.Model):
    """The policyholder's answer to the proposal of a higher premium of a repricing task (004
    Чл.25 т.8). Accepted: the annex ``number`` raises the premium from ``effective``, the rest
    of the term's difference pro rata as one more instalment (``extra``). Refused: the task stays
    with the underwriter, who terminates (with the letter) or keeps the contract."""

    task = models.OneToOneField(
        "billing.BillingTask",
        verbose_name=_("repricing task"),
        on_delete=models.PROTECT,
        related_name="premium_answer",
    )
    answer = models.CharField(_("answer"), max_length=16, choices=AnswerKind.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=AnswerOutcome.choices)
    answered_on = models.DateField(_("answered on"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("annex number"), max_length=48, blank=True)
    effective = models.DateField(_("new premium from"), null=True, blank=True)
    extra = models.DecimalField(
        _("premium added for the rest of the term (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    instalment = models.OneToOneField(
        "contracts.PremiumInstalment",
        verbose_name=_("extra instalment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("answer to a higher premium")
        verbose_name_plural = _("answers to a higher premium")
        ordering = ["-answered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.answer}"
