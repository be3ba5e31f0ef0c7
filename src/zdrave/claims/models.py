"""Claims, their lines, documents, history and decision versions.

Terms (Bulgarian → model): претенция = ``Claim``, уведомление-претенция = the claim form,
входящ номер = ``Claim.number``, ред от претенцията = ``ClaimLine``, самоучастие = co-payment
(``copay``). A person's limit usage is not stored separately: it is the sum of their paid lines
of the current decision (``zdrave.claims.fetch.history_for``), so it can never drift from the
decisions. Writes go through ``zdrave.claims.actions``; who may move a claim from which status
is the table in ``zdrave.claims.states``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zdrave.base.banking.models import TransferBatch

ZERO = Decimal("0.00")


class ClaimForm(models.TextChoices):
    """002 VII: in-network direct billing or reimbursement of what the member paid."""

    SUBSCRIPTION = "subscription", _("Subscription (in-network)")
    REIMBURSEMENT = "reimbursement", _("Reimbursement")


class ClaimKind(models.TextChoices):
    """What the member claims for: chooses the form's services and its document checklist
    (004 Приложение №1; 001 / 003 §VII for a Best Doctors refund)."""

    OUTPATIENT = "outpatient", _("Doctor visits and tests")
    HOSPITAL = "hospital", _("Hospital treatment")
    DENTAL = "dental", _("Dental care")
    MEDICINES = "medicines", _("Medicines")
    AIDS = "aids", _("Medical aids and glasses")
    BEST_DOCTORS = "best_doctors", _("Best Doctors: costs abroad")


class Outcome(models.TextChoices):
    UNDECIDED = "", _("Not decided")
    APPROVED = "approved", _("Approved")
    PARTIAL = "partial", _("Partly approved")
    REJECTED = "rejected", _("Rejected")
    PENDING = "pending", _("Waiting for documents")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    PENDING_DOCUMENTS = "pending_documents", _("Waiting for documents")
    REFERRED_ADJUSTER = "referred_adjuster", _("With a claims adjuster")
    REFERRED_MEDICAL = "referred_medical", _("With a medical expert")
    AWAITING_APPROVAL = "awaiting_approval", _("Decision awaiting a second approval")
    APPROVED = "approved", _("Approved")
    PARTIALLY_APPROVED = "partially_approved", _("Partly approved")
    REJECTED = "rejected", _("Rejected")
    PAYMENT_SCHEDULED = "payment_scheduled", _("Payment scheduled")
    PAID = "paid", _("Paid")
    PAYMENT_FAILED = "payment_failed", _("Payment failed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REOPENED = "reopened", _("Reopened")


class Payee(models.TextChoices):
    """004 Чл.29 т.7–8: whose account the reimbursement goes to."""

    INSURED = "insured", _("The insured person")
    HOLDER = "holder", _("The policyholder")
    HEIRS = "heirs", _("The legal heirs")
    # 001 т.72.3 / 003 т.10.5: the hospital or the partner's travel agency, paid directly on a
    # Best Doctors case (``zdrave.treatment_abroad``); entered by staff, never by a member.
    PROVIDER = "provider", _("The provider (hospital, travel agency)")


def provisional_number() -> str:
    """A unique placeholder until the row has its id (``actions.intake`` numbers the claim)."""
    return f"new-{uuid.uuid4().hex[:16]}"


class Claim(models.Model):
    # Unique by ``claim_number_once`` (a constraint, not ``unique=True``: no second,
    # pattern-matching index on PostgreSQL, which no query here uses; docs/decisions.md).
    number = models.CharField(_("claim number"), max_length=24, default=provisional_number)
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
    kind = models.CharField(
        _("kind of claim"), max_length=16, choices=ClaimKind.choices, default=ClaimKind.OUTPATIENT
    )
    form = models.CharField(_("form"), max_length=16, choices=ClaimForm.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ClaimStatus.choices,
        default=ClaimStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 004 Чл.29 т.1: the claim's date of receipt (входящ номер); the statutory clocks run from it.
    submitted = models.DateField(_("received on"))
    # The day the last requested document arrived: the 15 working days to pay run from it
    # (004 Чл.29 т.2). None while documents are missing.
    complete_on = models.DateField(_("complete on"), null=True, blank=True)
    documents_requested_on = models.DateField(_("documents requested on"), null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    diagnosis = models.CharField(_("diagnosis (ICD-10)"), max_length=8, blank=True)
    diagnosis_text = models.CharField(_("diagnosis as written"), max_length=500, blank=True)
    # Circumstances the member declared (the engine's ``Circumstance`` values, 004 Чл.21).
    circumstances = models.JSONField(_("circumstances"), default=list, blank=True)
    # Document keys delivered (004 Приложение №1), kept equal to the keys of ``files``.
    documents = models.JSONField(_("documents"), default=list, blank=True)
    payee = models.CharField(_("paid to"), max_length=8, choices=Payee.choices, blank=True)
    payee_name = models.CharField(_("account holder"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    # A form's one-time key: the same key twice is the same submission (double click, reload).
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # claim_form_key_once
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Findings of the duplicate check at intake: [{"line", "rule", "claim"}].
    duplicate_flags = models.JSONField(_("possible duplicates"), default=list, blank=True)
    # The current decision (its version is the last of ``versions``).
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    payable = models.DecimalField(_("payable (EUR)"), max_digits=12, decimal_places=2, default=ZERO)
    missing_documents = models.JSONField(_("missing documents"), default=list, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_automatically = models.BooleanField(_("decided automatically"), default=False)
    site_url = models.URLField(_("portal address"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # A Best Doctors refund (001 / 003 §VII, ``claims.abroad``): the covered condition (001 т.6)
    # and what BDU's file says of the treatment abroad, as the member declared it.
    condition = models.CharField(_("covered condition"), max_length=32, blank=True)
    precertificate_issued = models.DateField(_("precertificate issued on"), null=True, blank=True)
    hospital_nights = models.PositiveSmallIntegerField(
        _("nights in hospital abroad"), null=True, blank=True
    )
    returned_home = models.DateField(_("returned to Bulgaria on"), null=True, blank=True)
    # 001 т.53 / 003 т.49: post-operative medicines are covered 30 days from this day.
    treatment_ended = models.DateField(_("treatment abroad ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["submitted", "id"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="claim_number_once"),
            models.UniqueConstraint(fields=["idempotency_key"], name="claim_form_key_once"),
        ]
        indexes = [models.Index(fields=["status"], name="claim_status")]

    def __str__(self) -> str:
        return self.number


class ClaimLine(models.Model):
    # No index of their own: ``claim_line_once`` (claim, index) and ``claim_line_member_date``
    # (member, date) lead with them.
    claim = models.ForeignKey(
        Claim,
        verbose_name=_("claim"),
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,
    )
    # Denormalised from the claim so a person's usage is one indexed query.
    member = models.ForeignKey(
        "contracts.ContractMember",
        verbose_name=_("insured person"),
        on_delete=models.PROTECT,
        related_name="claim_lines",
        db_index=False,
    )
    index = models.PositiveSmallIntegerField(_("line"))
    service = models.CharField(_("service code"), max_length=32)
    date = models.DateField(_("date of service"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    prescribed = models.DateField(_("prescribed"), null=True, blank=True)
    nhif_paid = models.DecimalField(
        _("paid by НЗОК"), max_digits=12, decimal_places=2, default=ZERO
    )
    other_insurer_paid = models.DecimalField(
        _("paid by another insurer"), max_digits=12, decimal_places=2, default=ZERO
    )
    # 004 Чл.29 т.11: the reasonable and customary (or agreed) unit price the amount is capped
    # at; set by a provider claim (``providers.settlement``), None for a member's claim.
    reference_price = models.DecimalField(
        _("reference price (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # 004 Чл.21(1) т.35: days of treatment a medicine purchase covers.
    dose_days = models.PositiveIntegerField(_("days of treatment"), null=True, blank=True)
    # The decision in force (copied from the claim's current decision version)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    eligible = models.DecimalField(
        _("eligible (EUR)"), max_digits=12, decimal_places=2, default=ZERO
    )
    copay = models.DecimalField(
        _("co-payment (EUR)"), max_digits=12, decimal_places=2, default=ZERO
    )
    payable = models.DecimalField(_("payable (EUR)"), max_digits=12, decimal_places=2, default=ZERO)
    paid_quantity = models.PositiveIntegerField(_("quantity used of limits"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    # A Best Doctors line (001 т.7): the benefit and the country of the invoice.
    benefit = models.CharField(_("benefit"), max_length=32, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")
        ordering = ["claim", "index"]
        constraints = [models.UniqueConstraint(fields=["claim", "index"], name="claim_line_once")]
        indexes = [
            models.Index(fields=["member", "date"], name="claim_line_member_date"),
            # The duplicate check compares invoice numbers case-insensitively (``duplicates``).
            models.Index(Upper("invoice_number"), name="claim_line_invoice_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.claim} #{self.index} {self.service}"


class ClaimFile(models.Model):
    """A delivered document of the claim: which Приложение №1 document it is and the uploaded
    file (``base.documents.MedicalFile``, whose download rule covers it)."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="files"
    )
    key = models.CharField(_("document"), max_length=32)
    file = models.ForeignKey(
        "documents.MedicalFile", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.claim} {self.key}"


class ClaimEvent(models.Model):
    """One step of a claim's history: who moved it, when, from which status to which, why."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("step"), max_length=32)
    from_status = models.CharField(
        _("from"), max_length=20, choices=ClaimStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ClaimStatus.choices)
    # None: the platform itself (the engine, a sweep).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("claim step")
        verbose_name_plural = _("claim history")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.claim} {self.kind}"


class DecisionVersion(models.Model):
    """One decision on a claim. A claim decided again (new document, override, complaint, an
    engine fix) gets a new version; the earlier ones stay readable, and the difference in the
    payable amount becomes an extra payment or an amount to recover (never an overwrite)."""

    claim = models.ForeignKey(  # indexed by ``decision_version_once`` (claim, number)
        Claim,
        verbose_name=_("claim"),
        on_delete=models.CASCADE,
        related_name="versions",
        db_index=False,
    )
    number = models.PositiveSmallIntegerField(_("version"))
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    # None: the engine alone.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    payable = models.DecimalField(_("payable (EUR)"), max_digits=12, decimal_places=2)
    # Per line: {"index", "outcome", "eligible", "copay", "payable", "quantity", "reasons",
    # "override": {"reason", "by"} | None}
    lines = models.JSONField(_("lines"), default=list)
    engine = models.JSONField(_("the engine's proposal"), default=dict)
    reason = models.TextField(_("why decided again"), blank=True)
    # Four eyes: a version that needs a second person is final only once approved.
    needs_approval = models.BooleanField(_("needs a second approval"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["claim", "number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="decision_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.claim} v{self.number}"

    @property
    def final(self) -> bool:
        return not self.needs_approval or self.approved_at is not None


class PaymentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    EXPORTED = "exported", _("Sent to the bank")
    PAID = "paid", _("Paid")
    RETURNED = "returned", _("Returned by the bank")
    CANCELLED = "cancelled", _("Cancelled")
    # A later decision paid less than was paid: the member owes the difference (004 Чл.29 т.10).
    TO_RECOVER = "to_recover", _("To be recovered")


class PaymentBatch(TransferBatch):
    """Payments sent to the bank in one SEPA credit transfer file (pain.001.001.09). The file is
    built once and stored: exporting again returns the same bytes, nothing is booked twice."""

    count = models.PositiveIntegerField(_("payments"))

    class Meta(TransferBatch.Meta):
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")


class PaymentPurpose(models.TextChoices):
    CLAIM = "claim", _("Claim")
    # The premium refunded on an early termination (004 Чл.25 т.7–8, Чл.28 т.5; 001 т.27.2),
    # scheduled by billing and sent in the same SEPA batches as claims.
    PREMIUM_REFUND = "premium_refund", _("Premium refund")


class Payment(models.Model):
    """One transfer (or a recovery, when ``amount`` is negative) for one decision version of a
    claim, or a premium refund of a terminated ``contract`` (no claim). ``end_to_end_id`` is the
    claim number, with a suffix for a later extra payment; for a refund, the contract's number
    with the termination's."""

    claim = models.ForeignKey(
        Claim,
        verbose_name=_("claim"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    version = models.ForeignKey(
        DecisionVersion,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=PaymentPurpose.choices, default=PaymentPurpose.CLAIM
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refund_payments",
    )
    # Unique by ``payment_end_to_end_once``.
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    # 004 Чл.29 т.7: on reimbursements up to 20.00 лв the bank fee is the insured's.
    bank_fee_borne_by_insured = models.BooleanField(
        _("bank fee borne by the insured"), default=False
    )
    payee = models.CharField(_("paid to"), max_length=8, choices=Payee.choices)
    payee_name = models.CharField(_("account holder"), max_length=200)
    iban = models.CharField(_("IBAN"), max_length=34)
    status = models.CharField(
        _("status"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.SCHEDULED
    )
    batch = models.ForeignKey(
        PaymentBatch,
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    return_reason = models.CharField(_("reason returned"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["end_to_end_id"], name="payment_end_to_end_once"),
            models.CheckConstraint(
                condition=models.Q(purpose="claim", claim__isnull=False, version__isnull=False)
                | models.Q(purpose="premium_refund", contract__isnull=False, claim__isnull=True),
                name="payment_for_a_claim_or_a_refund",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.end_to_end_id} {self.amount}"
