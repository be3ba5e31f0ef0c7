"""Selling a health policy online: the application (Предложение за застраховане, 004 Чл.22 т.1),
each person on it with their chosen packages and their health declaration (Здравна декларация,
004 Чл.23), the underwriting decision per person (004 Чл.10) and, once issued, the contract and
the legitimation card (004 Чл.24 т.4). Writes go through ``zdrave.policy_admin.sales.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zdrave.contracts.models import MemberRole


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    REFERRED = "referred", _("With the underwriter")
    ACCEPTED = "accepted", _("Accepted: ready to conclude")
    DECLINED = "declined", _("Declined")
    ISSUED = "issued", _("Contract concluded")


class SalesContractType(models.TextChoices):
    """The contract types sold online (004 Чл.24 т.2); a group is applied for by its employer
    (``zdrave.policy_admin.groupsales``)."""

    INDIVIDUAL = "individual", _("Individual")
    FAMILY = "family", _("Family")
    GROUP = "group", _("Group")


class Outcome(models.TextChoices):
    """What the engine's underwriting said of a person (004 Чл.6–10)."""

    ACCEPT = "accept", _("Accept")
    REFER = "refer", _("Refer to an underwriter")
    DECLINE = "decline", _("Decline")


class Decision(models.TextChoices):
    """The decision for a person: the engine's where it accepts or declines, the
    underwriter's where it referred (004 Чл.10)."""

    PENDING = "pending", _("Not decided yet")
    ACCEPTED = "accepted", _("Accepted")
    SPECIAL = "special", _("Accepted on special conditions")
    DECLINED = "declined", _("Declined")


class Signer(models.TextChoices):
    """Who fills in the declaration: the person, or for a minor a parent or guardian (004
    Чл.23 т.1)."""

    SELF = "self", _("The person themselves")
    PARENT = "parent", _("A parent")
    GUARDIAN = "guardian", _("A guardian")


class UnderwriterDecision(models.Model):
    """The underwriter's decision on a referred person (004 Чл.10): accepted, accepted on
    special conditions (excluded diagnoses or services, a lower limit, a premium loading — agreed
    in writing and copied onto the person's ``SpecialConditions``) or declined with the reasons.
    Shared by a sales applicant and a family member referred on a group contract
    (``groups.models.FamilyRequest``); checked by ``sales.actions.check_decision``."""

    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(_("reasons for the decision"), blank=True)
    excluded_icd10 = models.JSONField(_("excluded diagnoses (ICD-10)"), default=list, blank=True)
    excluded_services = models.JSONField(_("excluded services"), default=list, blank=True)
    special_limit = models.DecimalField(
        _("lower aggregate limit (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    loading_percent = models.DecimalField(
        _("premium loading (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        abstract = True


class Application(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant's account"),
        on_delete=models.PROTECT,
        related_name="sales_applications",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default="draft"
    )
    contract_type = models.CharField(
        _("contract type"), max_length=16, choices=SalesContractType.choices
    )
    product_code = models.CharField(_("product"), max_length=32, default="health")
    product_version = models.DateField(_("product version"))
    tariff_version = models.DateField(_("tariff"))
    start = models.DateField(_("start"))
    instalments = models.PositiveSmallIntegerField(_("instalments a year"), default=1)
    email = models.EmailField(_("e-mail"))
    yearly_premium = models.DecimalField(
        _("yearly premium (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    payable_premium = models.DecimalField(
        _("premium with the instalment loading (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    contract = models.OneToOneField(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales_application",
    )
    # A form's one-time key: the same key twice is the same submission (double click, reload).
    form_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    issued_on = models.DateField(_("concluded on"), null=True, blank=True)
    # A card is issued within 7 working days of the conclusion (004 Чл.24 т.4).
    cards_due = models.DateField(_("cards due by"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class Applicant(UnderwriterDecision):
    """A person to be insured on an application, with the covers chosen for them
    (``choices``: ``[{"package", "option", "clause"}]``) and the decision."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="persons"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    egn = models.CharField(_("ЕГН"), max_length=10)
    birth_date = models.DateField(_("date of birth"))
    role = models.CharField(_("role on the contract"), max_length=16, choices=MemberRole.choices)
    student = models.BooleanField(_("student"), default=False)
    choices = models.JSONField(_("packages chosen"), default=list)
    yearly_premium = models.DecimalField(
        _("yearly premium (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    outcome = models.CharField(
        _("underwriting outcome"), max_length=8, choices=Outcome.choices, blank=True
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    member = models.OneToOneField(
        "contracts.ContractMember",
        verbose_name=_("insured person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales_applicant",
    )
    card_number = models.CharField(_("card number"), max_length=20, blank=True)
    form_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("person applied for")
        verbose_name_plural = _("persons applied for")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "egn"], name="sales_applicant_once_per_application"
            ),
            models.UniqueConstraint(
                fields=["card_number"],
                condition=~models.Q(card_number=""),
                name="sales_card_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Declaration(models.Model):
    """The health declaration of one person (004 Чл.23): ``answers`` maps each question key of
    the product's underwriting terms to yes/no; a draft may leave questions unanswered. Signed,
    it is valid for three months (Чл.23 т.2)."""

    applicant = models.OneToOneField(
        Applicant, verbose_name=_("person"), on_delete=models.CASCADE, related_name="declaration"
    )
    answers = models.JSONField(_("answers"), default=dict)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by = models.CharField(_("filled in by"), max_length=8, choices=Signer.choices)
    signer_name = models.CharField(_("name of who fills it in"), max_length=200)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("health declaration")
        verbose_name_plural = _("health declarations")

    def __str__(self) -> str:
        return str(self.applicant)

    @property
    def is_draft(self) -> bool:
        return self.signed_on is None
