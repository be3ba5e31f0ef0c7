"""Complaints (жалби), their files and history.

Terms (Bulgarian → model): жалба = ``Complaint``, входящ номер = ``Complaint.number`` (001 т.78 /
003 т.76: every complaint gets an incoming number), жалбоподател = the complainant, писмен
отговор = the answer letter (001 т.79 / 003 т.77), мотиви за отказ = ``reasons`` (001 т.80 /
003 т.78). Writes go through ``zdrave.member_rights.complaints.actions``; the moves of
``status`` are the table in ``zdrave.member_rights.complaints.states``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A complaint's own words: about five typed pages. Anything longer goes in as an attached
# document (docs/decisions.md, "Complaints (issue 14)").
MAX_TEXT = 10_000
SUBJECT_TYPE = "complaints.complaint"


class Channel(models.TextChoices):
    """How the complaint arrived (001 т.77: in writing at any office, by e-mail; by phone)."""

    PORTAL = "portal", _("Portal")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    OFFICE = "office", _("At an office")


class Category(models.TextChoices):
    CLAIM_DECISION = "claim_decision", _("Decision on a claim")
    CLAIM_HANDLING = "claim_handling", _("Handling of a claim (time, documents)")
    CONTRACT = "contract", _("Contract, premium or cover")
    # 001 т.77 / 003 т.75: a complaint at any stage of the service, a Best Doctors case too.
    CASE_DECISION = "case_decision", _("Decision on a treatment-abroad case")
    CASE_HANDLING = "case_handling", _("Handling of a treatment-abroad case")
    PROVIDER = "provider", _("Medical provider or service")
    PERSONAL_DATA = "personal_data", _("Personal data")
    OTHER = "other", _("Other")


class ComplainantKind(models.TextChoices):
    INSURED = "insured", _("Insured person")
    POLICYHOLDER = "policyholder", _("Policyholder")
    EMPLOYER = "employer", _("Employer (group policyholder)")
    OTHER = "other", _("Other (heir, representative)")


class ComplaintStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_REVIEW = "in_review", _("In review")
    ESCALATED = "escalated", _("Escalated to the second level")
    ANSWERED = "answered", _("Answered")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")


def provisional_number() -> str:
    """A unique placeholder until the row has its id (``actions`` numbers the complaint)."""
    return f"new-{uuid.uuid4().hex[:16]}"


class Complaint(models.Model):
    number = models.CharField(
        _("incoming number"), max_length=24, unique=True, default=provisional_number
    )
    channel = models.CharField(_("received by"), max_length=8, choices=Channel.choices)
    # The day of filing; by post the postmark's (004 Чл.30 т.7). The answer's clock runs from it.
    received_on = models.DateField(_("received on"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.REGISTERED,
        db_index=True,
    )
    claim = models.ForeignKey(
        "claims.Claim",
        verbose_name=_("claim"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A Best Doctors case (treatment abroad): ``contract`` is then the case's contract, whose
    # terms set the answer's deadline (001 т.79 / 003 т.77).
    case = models.ForeignKey(
        "treatment_abroad.AbroadCase",
        verbose_name=_("treatment-abroad case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 001 т.74: the member asks for a new assessment of the case after the return; an upheld
    # answer starts it (``case_reassessed``).
    reassessment_requested = models.BooleanField(_("reassessment asked for"), default=False)
    case_reassessed = models.BooleanField(_("case reassessed"), default=False)
    # The portal account that sees the complaint and its answer; None for a complainant
    # without one (answered by letter or e-mail only).
    complainant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("complainant's account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    complainant_kind = models.CharField(
        _("complainant is"), max_length=12, choices=ComplainantKind.choices
    )
    # 001 т.78: an address and/or e-mail for the written answer, a phone for questions.
    complainant_name = models.CharField(_("complainant"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language of the answer"), max_length=2, default="bg")
    text = models.TextField(_("complaint"), max_length=MAX_TEXT)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("complaint owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Second level: the second person who answers an escalated complaint.
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_on = models.DateField(_("answer target"))
    due_on = models.DateField(_("answer due"), db_index=True)
    deadline_clause = models.CharField(_("deadline clause"), max_length=40)
    deadline_from_terms = models.BooleanField(_("deadline set by the terms"), default=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True, max_length=MAX_TEXT)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    claim_reopened = models.BooleanField(_("claim reopened"), default=False)
    # A form's one-time key: the same key twice is the same complaint (double click, reload).
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    site_url = models.URLField(_("portal address"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != ComplaintStatus.ANSWERED


class ComplaintFile(models.Model):
    """A document attached to a complaint (``base.documents.MedicalFile``: checked by content,
    stored privately, every download logged)."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.ForeignKey(
        "documents.MedicalFile", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("complaint document")
        verbose_name_plural = _("complaint documents")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.file}"


class ComplaintEvent(models.Model):
    """One step of a complaint's history: who, when, from which status to which, why."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("step"), max_length=32)
    from_status = models.CharField(
        _("from"), max_length=12, choices=ComplaintStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=ComplaintStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("complaint step")
        verbose_name_plural = _("complaint history")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.kind}"
