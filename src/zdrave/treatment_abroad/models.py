"""A Best Doctors treatment-abroad case (001 / 003 §VIII-3: процедура за претенции): from the
notification of a covered condition to the last follow-up, with its history, documents,
messages, the money of each step and the member's objections.

Претенция = ``AbroadCase`` here: 001 т.74 calls the whole path one claim ("продължаване на
същата претенция"); the money the member is paid back goes through ``zdrave.claims`` claims
linked to the case (``CaseCost.claim``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zdrave.engine.terms.abroad import BenefitCode, ConditionCode


def provisional_number() -> str:
    return f"new-{uuid.uuid4().hex[:16]}"


class CaseStatus(models.TextChoices):
    NOTIFIED = "notified", _("Notified: collecting the medical file")
    FILE_COMPLETE = "file_complete", _("Medical file complete")
    EXPERT_REVIEW = "expert_review", _("With the medical experts")
    OPINION_RECEIVED = "opinion_received", _("Opinion received: your decision")
    HOSPITAL_CHOSEN = "hospital_chosen", _("Hospital chosen")
    PRECERTIFICATE_ISSUED = "precertificate_issued", _("Pre-certificate issued")
    TRAVEL_BOOKED = "travel_booked", _("Travel and stay booked")
    ADMITTED = "admitted", _("In hospital abroad")
    DISCHARGED = "discharged", _("Discharged from hospital")
    RETURNED = "returned", _("Back in Bulgaria")
    FOLLOW_UP = "follow_up", _("Follow-up care")
    REASSESSMENT = "reassessment", _("Reassessment after the return")
    SUSPENDED = "suspended", _("On hold: premiums unpaid")
    TREATED_IN_BULGARIA = "treated_in_bulgaria", _("Treatment in Bulgaria chosen")
    DECLINED = "declined", _("Declined by the member")
    REFUSED = "refused", _("Refused")
    LIMIT_EXHAUSTED = "limit_exhausted", _("Limit used up")
    CONTRACT_ENDED = "contract_ended", _("Contract ended")
    CLOSED = "closed", _("Closed")


CONDITION_CHOICES = [
    (ConditionCode.CANCER.value, _("Cancer")),
    (ConditionCode.CORONARY_BYPASS.value, _("Coronary artery bypass")),
    (ConditionCode.HEART_VALVE.value, _("Heart valve replacement or repair")),
    (ConditionCode.NEUROSURGERY.value, _("Neurosurgery (brain or spinal cord)")),
    (ConditionCode.LIVING_DONOR_TRANSPLANT.value, _("Organ transplant from a living donor")),
    (ConditionCode.BONE_MARROW_TRANSPLANT.value, _("Bone marrow transplant")),
]


class AbroadCase(models.Model):
    number = models.CharField(
        _("case number"), max_length=24, unique=True, default=provisional_number
    )
    member = models.ForeignKey(
        "contracts.ContractMember",
        on_delete=models.PROTECT,
        related_name="abroad_cases",
        verbose_name=_("insured person"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="abroad_cases_owned",
        null=True,
        blank=True,
        verbose_name=_("case manager"),
    )
    opened = models.DateField(_("notified on"))
    condition = models.CharField(_("covered condition"), max_length=32, choices=CONDITION_CHOICES)
    diagnosis = models.CharField(_("diagnosis (ICD-10)"), max_length=8)
    treating_doctor = models.CharField(_("treating doctor"), max_length=200)
    status = models.CharField(
        _("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.NOTIFIED
    )
    resume_status = models.CharField(max_length=24, choices=CaseStatus.choices, blank=True)
    next_due = models.DateField(_("next deadline"), null=True, blank=True)
    opinion = models.TextField(_("expert opinion"), blank=True)
    opinion_on = models.DateField(null=True, blank=True)
    hospitals = models.JSONField(_("hospitals proposed"), default=list, blank=True)
    hospital = models.CharField(_("hospital"), max_length=200, blank=True)
    precertificate_number = models.CharField(max_length=32, blank=True)
    precertificate_issued = models.DateField(null=True, blank=True)
    reserved = models.DecimalField(
        _("reserved against the limit"), max_digits=12, decimal_places=2, default=0
    )
    companions = models.PositiveSmallIntegerField(_("companions"), default=0)
    admitted_at = models.DateTimeField(null=True, blank=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    reassessments = models.PositiveSmallIntegerField(default=0)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("treatment-abroad case")
        verbose_name_plural = _("treatment-abroad cases")
        ordering = ["-opened", "-id"]
        indexes = [models.Index(fields=["status", "next_due"])]

    def __str__(self) -> str:
        return self.number

    @property
    def full_days(self) -> int:
        """Full 24-hour periods in hospital (001 т.30 / 003 т.27)."""
        if self.admitted_at is None or self.discharged_at is None:
            return 0
        return max(0, int((self.discharged_at - self.admitted_at).total_seconds() // 86400))


class CaseEvent(models.Model):
    case = models.ForeignKey(AbroadCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    from_status = models.CharField(max_length=24, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=24, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class CaseDocument(models.Model):
    case = models.ForeignKey(AbroadCase, on_delete=models.CASCADE, related_name="documents")
    file = models.ForeignKey("documents.MedicalFile", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.file_id}"


class CostStatus(models.TextChoices):
    RESERVED = "reserved", _("Reserved against the limit")
    PAID = "paid", _("Paid")
    CLAIMED = "claimed", _("Sent for payment")
    REFUSED = "refused", _("Not covered")
    RELEASED = "released", _("Reservation released")


BENEFIT_CHOICES = [
    (BenefitCode.TREATMENT_ABROAD.value, _("Medical costs of the treatment abroad")),
    (BenefitCode.TRAVEL.value, _("Travel for the treatment abroad")),
    (BenefitCode.ACCOMMODATION.value, _("Accommodation during the treatment abroad")),
    (BenefitCode.REPATRIATION.value, _("Repatriation")),
    (BenefitCode.DAILY_HOSPITAL_CASH.value, _("Daily cash for a stay in hospital")),
    (BenefitCode.MEDICINES_AFTER_RETURN.value, _("Medicines bought in Bulgaria after the return")),
    (BenefitCode.FOLLOW_UP_CARE.value, _("Follow-up care after the return")),
    (BenefitCode.SECOND_OPINION.value, _("Second medical opinion")),
]


class CaseCost(models.Model):
    """One line of the case's statement, as the engine decided it: a reservation of the
    pre-certificate, a bill the insurer pays the hospital or the partner directly (001 т.72.3),
    or money paid to the member through a claim (``claim``)."""

    case = models.ForeignKey(AbroadCase, on_delete=models.CASCADE, related_name="costs")
    benefit = models.CharField(_("benefit"), max_length=32, choices=BENEFIT_CHOICES)
    description = models.CharField(_("description"), max_length=200)
    date = models.DateField(_("date"))
    billed = models.DecimalField(_("billed"), max_digits=12, decimal_places=2)
    payable = models.DecimalField(_("covered"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=16, choices=CostStatus.choices)
    reasons = models.JSONField(default=list, blank=True)
    paid_to = models.CharField(_("paid to"), max_length=200, blank=True)
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.benefit} {self.payable}"


class CaseMessage(models.Model):
    case = models.ForeignKey(AbroadCase, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    at = models.DateTimeField(auto_now_add=True)
    # The form's one-time key: sent twice (a double click, a reload), one message.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.at:%Y-%m-%d %H:%M}"


class Objection(models.Model):
    """A complaint about a decision on the case (001 т.78–79 / 003 т.76–77): an incoming number,
    a written answer by the deadline of the terms."""

    case = models.ForeignKey(AbroadCase, on_delete=models.CASCADE, related_name="objections")
    number = models.CharField(
        _("incoming number"), max_length=24, unique=True, default=provisional_number
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_on = models.DateField(_("filed on"))
    text = models.TextField(_("objection"))
    due = models.DateField(_("answer due"))
    clause = models.CharField(max_length=24)
    answered_on = models.DateField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    upheld = models.BooleanField(null=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return self.number


class TaskKind(models.TextChoices):
    PRECERTIFICATE_EXPIRED = (
        "precertificate_expired",
        _("The pre-certificate ran out before the treatment began"),
    )
    PREMIUM_UNPAID = "premium_unpaid", _("Premiums unpaid during the case")
    CONTRACT_ENDED = "contract_ended", _("The contract ended during the case")
    OVERDUE = "overdue", _("A step is overdue")


class CaseTask(models.Model):
    """Something the daily checks (``tasks.abroad_daily``) found that a case manager must decide:
    the terms give the insurer a right (001 т.41: end the cover; т.72.2: new versions of the
    list and the pre-certificate), so a person decides and records what; nothing changes the
    case by itself. One open task of a kind per case."""

    case = models.ForeignKey(AbroadCase, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("task"), max_length=24, choices=TaskKind.choices)
    clause = models.CharField(max_length=24, blank=True)
    detail = models.CharField(_("what was found"), max_length=300, blank=True)
    opened_on = models.DateField(_("opened on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.TextField(_("decision"), blank=True)

    class Meta:
        ordering = ["opened_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(done_on__isnull=True),
                name="abroad_task_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"
