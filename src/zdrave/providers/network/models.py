"""The provider network and the front desk.

Terms (Bulgarian → model): изпълнител на медицинска помощ / лечебно заведение = ``Institution``,
договор за медицинско обслужване = the institution's agreement (``agreement_from`` …
``agreement_to`` and its ``products``), договорена цена = ``AgreedPrice``, абонаментно
обслужване = the subscription form the front desk checks. 004 Чл.24 т.4: the list of contracted
institutions gives "наименованието на лечебното заведение, адрес, телефон за контакт", and the
insurer tells the insured of every change to it (``NetworkChange``). Writes go through
``zdrave.providers.network.actions``.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Specialty(models.TextChoices):
    """The specialties members search by (the usual Bulgarian names of the НЗОК register)."""

    GENERAL = "general", _("General practice")
    CARDIOLOGY = "cardiology", _("Cardiology")
    DERMATOLOGY = "dermatology", _("Dermatology")
    ENDOCRINOLOGY = "endocrinology", _("Endocrinology")
    ENT = "ent", _("Ear, nose and throat")
    GASTROENTEROLOGY = "gastroenterology", _("Gastroenterology")
    GYNAECOLOGY = "gynaecology", _("Obstetrics and gynaecology")
    IMAGING = "imaging", _("Imaging (X-ray, ultrasound, MRI, CT)")
    LABORATORY = "laboratory", _("Clinical laboratory")
    NEUROLOGY = "neurology", _("Neurology")
    OPHTHALMOLOGY = "ophthalmology", _("Ophthalmology")
    ORTHOPAEDICS = "orthopaedics", _("Orthopaedics and traumatology")
    PAEDIATRICS = "paediatrics", _("Paediatrics")
    PHYSIOTHERAPY = "physiotherapy", _("Physiotherapy and rehabilitation")
    SURGERY = "surgery", _("Surgery")
    UROLOGY = "urology", _("Urology")
    DENTAL = "dental", _("Dental medicine")
    HOSPITAL = "hospital", _("Hospital care")


class InstitutionStatus(models.TextChoices):
    ACTIVE = "active", _("In the network")
    LEFT = "left", _("Left the network")


class Institution(models.Model):
    """A medical institution with an agreement (договор за медицинско обслужване) with the
    insurer. ``products`` lists what it serves: ``[{"product": "health", "packages": [2, 3]}]``.
    It is in the network while ``status`` is active and today lies within the agreement."""

    name = models.CharField(_("name"), max_length=200)
    eik = models.CharField(_("company number (ЕИК)"), max_length=13, unique=True)
    address = models.CharField(_("address"), max_length=300)
    city = models.CharField(_("city"), max_length=100, db_index=True)
    phone = models.CharField(_("phone"), max_length=40)
    email = models.EmailField(_("e-mail"), blank=True)
    specialties = models.JSONField(_("specialties"), default=list, blank=True)
    products = models.JSONField(_("products and packages served"), default=list, blank=True)
    agreement_from = models.DateField(_("agreement from"))
    agreement_to = models.DateField(_("agreement until"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InstitutionStatus.choices,
        default=InstitutionStatus.ACTIVE,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("medical institution")
        verbose_name_plural = _("medical institutions")
        ordering = ["city", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreement_to__isnull=True)
                | models.Q(agreement_to__gte=models.F("agreement_from")),
                name="institution_agreement_dates",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def packages_of(self, product: str) -> frozenset[int]:
        """The packages of ``product`` the agreement covers."""
        for item in self.products:
            if item.get("product") == product:
                return frozenset(int(p) for p in item.get("packages", ()))
        return frozenset()

    def specialty_labels(self) -> list[str]:
        return [str(Specialty(code).label) for code in self.specialties if code in Specialty.values]

    def in_network_on(self, day) -> bool:
        return (
            self.status == InstitutionStatus.ACTIVE
            and self.agreement_from <= day
            and (self.agreement_to is None or day <= self.agreement_to)
        )


class Location(models.Model):
    """A place where the institution receives patients (a branch, a hospital's building)."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="locations",
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    city = models.CharField(_("city"), max_length=100, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["institution", "city", "name"]

    def __str__(self) -> str:
        return f"{self.institution}: {self.name}"


class Doctor(models.Model):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="doctors"
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="doctors",
    )
    name = models.CharField(_("name"), max_length=200)
    specialty = models.CharField(_("specialty"), max_length=32, choices=Specialty.choices)

    class Meta:
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")
        ordering = ["institution", "name"]

    def __str__(self) -> str:
        return self.name


class AgreedPrice(models.Model):
    """The price agreed with the institution for one service row of a product version's terms
    (002's rows, e.g. ``2.8.e`` MRI), in euro. ``needs_preauthorisation`` marks a row the
    insurer approves in advance (expensive diagnostics; hospital care always needs it)."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="prices"
    )
    product_code = models.CharField(_("product"), max_length=32)
    product_version = models.DateField(_("product version"))
    service = models.CharField(_("service"), max_length=32)
    price = models.DecimalField(_("agreed price (EUR)"), max_digits=10, decimal_places=2)
    needs_preauthorisation = models.BooleanField(_("needs pre-authorisation"), default=False)

    class Meta:
        verbose_name = _("agreed price")
        verbose_name_plural = _("agreed prices")
        ordering = ["institution", "product_code", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "product_code", "product_version", "service"],
                name="price_once_per_service",
            ),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.service} {self.price} EUR"


class ProviderUser(models.Model):
    """The account of someone at the institution's front desk (role ``provider``): they act for
    this institution only (``base.identity.permissions.can_act_for_institution``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="provider_link",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="staff"
    )

    class Meta:
        verbose_name = _("provider user")
        verbose_name_plural = _("provider users")

    def __str__(self) -> str:
        return f"{self.user} → {self.institution}"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A provider user's key to the eligibility API. Only its SHA-256 is kept: the key itself is
    shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="provider_tokens",
    )
    digest = models.CharField(_("key digest"), max_length=64, unique=True)
    prefix = models.CharField(_("key starts with"), max_length=8)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class ChangeKind(models.TextChoices):
    JOINED = "joined", _("Joined the network")
    LEFT = "left", _("Left the network")


class NetworkChange(models.Model):
    """004 Чл.24 т.4: "ЗАСТРАХОВАТЕЛЯТ уведомява ЗАСТРАХОВАНИЯ за всички промени, настъпили в
    списъка с лечебните заведения" — one change of the list, and how many insured people were
    told of it."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="changes"
    )
    kind = models.CharField(_("change"), max_length=16, choices=ChangeKind.choices)
    effective = models.DateField(_("effective from"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    site_url = models.CharField(_("site address"), max_length=200, blank=True)
    notified = models.PositiveIntegerField(_("members notified"), default=0)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("network change")
        verbose_name_plural = _("network changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.institution} {self.kind} {self.effective}"


class Verdict(models.TextChoices):
    """The engine's ``front_desk.Verdict``, in words."""

    COVERED = "covered", _("Covered")
    COPAYMENT = "copayment", _("Covered with a co-payment")
    PREAUTHORISATION = "preauthorisation", _("Needs pre-authorisation")
    NOT_COVERED = "not_covered", _("Not covered")
    NOT_FOUND = "not_found", _("No insured person found")


class EligibilityCheck(models.Model):
    """One question at the front desk: who asked (``asked_by`` for ``institution``) about whom
    (``person``, None when nobody matched), which service, and the answer given. Health-adjacent
    data: the member reads these in their access log (``base.audit`` ``record_view``)."""

    # An append-only log written at every check: no foreign-key constraints in the database
    # (Django's PROTECT still keeps a user, institution or person with checks from deletion).
    # The database's check of each key locked the user's, the institution's and the person's
    # rows at every check (FOR KEY SHARE; shared locks of two workers become multixacts) — a
    # third of the log's database CPU (issue 12, performance; docs/decisions.md).
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="checks",
        db_constraint=False,
    )
    person = models.ForeignKey(
        "contracts.InsuredPerson",
        verbose_name=_("insured person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    looked_up_by = models.CharField(_("looked up by"), max_length=8)  # "egn" | "card"
    service = models.CharField(_("service"), max_length=32)
    day = models.DateField(_("date of service"))
    verdict = models.CharField(_("answer"), max_length=20, choices=Verdict.choices)
    insurer_pays = models.DecimalField(
        _("insurer pays (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    member_pays = models.DecimalField(
        _("member pays (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    via_api = models.BooleanField(_("through the API"), default=False)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.institution} {self.service} {self.verdict}"
