"""What a hospital system sent: one ``ClaimExchange`` per Claim resource received, with the
answer given (its ClaimResponse and ExplanationOfBenefit are read from it). Writes go through
``zdrave.interfaces.fhir.claims``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ClaimUse(models.TextChoices):
    """R4 Claim.use (http://hl7.org/fhir/claim-use)."""

    CLAIM = "claim", pgettext_lazy("fhir claim use", "Claim")
    PREAUTHORIZATION = "preauthorization", pgettext_lazy("fhir claim use", "Pre-authorisation")


class ClaimExchange(models.Model):
    """A Claim received through ``/fhir/R4/Claim`` from ``institution`` for ``person``. Its id
    is the id of the Claim, of its ClaimResponse and of its ExplanationOfBenefit. ``identifier``
    is the hospital's own number: sending the same number again answers with the same record
    (a double submit creates one). ``target`` names the record the claim became in the
    providers' apps (a pre-authorisation request, a provider claim) by model label and id."""

    institution = models.ForeignKey(
        "network.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "contracts.InsuredPerson",
        verbose_name=_("insured person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        "contracts.ContractMember",
        verbose_name=_("membership"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    use = models.CharField(_("claim use"), max_length=20, choices=ClaimUse.choices)
    identifier = models.CharField(_("hospital's number"), max_length=64, blank=True)
    received = models.JSONField(_("claim as received"))
    lines = models.JSONField(_("adjudicated lines"), default=list)
    outcome = models.CharField(_("processing outcome"), max_length=16)  # R4 ClaimProcessingCodes
    disposition = models.CharField(_("disposition text"), max_length=500, blank=True)
    target_label = models.CharField(_("became a record of"), max_length=64, blank=True)
    target_pk = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("FHIR claim")
        verbose_name_plural = _("FHIR claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "identifier"],
                condition=~models.Q(identifier=""),
                name="fhir_claim_once_per_hospital_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.use} {self.identifier or self.pk} ({self.institution_id})"
