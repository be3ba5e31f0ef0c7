"""The stored SEPA credit-transfer batch every paying app keeps (the claims' payment batches,
the provider settlement's batches): one pain.001.001.09 file built once, so exporting it again
gives the same bytes (``claims.actions.bank.store_transfer_batch`` writes it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransferBatch(models.Model):
    message_id = models.CharField(_("message id"), max_length=35, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    execution_date = models.DateField(_("execution date"))
    total = models.DecimalField(_("total (EUR)"), max_digits=14, decimal_places=2)
    count = models.PositiveIntegerField(_("transfers"))
    xml = models.BinaryField(_("SEPA file"), editable=False)
    confirmed_at = models.DateTimeField(_("confirmed paid"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.message_id
