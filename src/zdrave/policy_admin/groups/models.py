"""Changes to a group's insured people and the employer's census.

Terms (Bulgarian → model): анекс = ``Annex`` (004 Чл.27 т.1–2), a line of it = ``AnnexLine``,
поименен списък = the census (``CensusUpload``: one uploaded file, its preview and, once
applied, its annex), профилактични прегледи = ``ExaminationRequest`` and ``ExaminationSlot``
(004 Чл.30 т.3). Writes go through ``zdrave.policy_admin.groups.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zdrave.contracts.models import MemberRole
from zdrave.policy_admin.sales.models import UnderwriterDecision


class ChangeKind(models.TextChoices):
    ADDED = "added", _("Added")
    REMOVED = "removed", _("Removed")
    CHANGED = "changed", _("Changed")


class Annex(models.Model):
    """Анекс: a written change of the insured people of a contract in force, taking effect at
    00:00 of ``effective`` (004 Чл.27 т.2), notified on ``notified_on`` (004 Чл.24 т.4).
    ``premium_difference`` is the pro-rata premium for the rest of the year: positive is owed
    (an extra instalment, ``instalment``), negative is a credit to the holder."""

    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="annexes",
    )
    number = models.CharField(_("annex number"), max_length=48, unique=True)
    notified_on = models.DateField(_("notified on"))
    effective = models.DateField(_("in force from"))
    premium_difference = models.DecimalField(
        _("premium difference (EUR)"), max_digits=12, decimal_places=2
    )
    instalment = models.OneToOneField(
        "contracts.PremiumInstalment",
        verbose_name=_("extra instalment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="annex",
    )
    # One annex per submitted form or applied census (a double submit finds this key).
    key = models.CharField(_("submission key"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)

    class Meta:
        verbose_name = _("annex")
        verbose_name_plural = _("annexes")
        ordering = ["contract", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class AnnexLine(models.Model):
    """One person added, removed or changed by an annex, with the cover after the change
    (packages, option, clause) and the premium difference of that person."""

    annex = models.ForeignKey(
        Annex, verbose_name=_("annex"), on_delete=models.CASCADE, related_name="lines"
    )
    change = models.CharField(_("change"), max_length=8, choices=ChangeKind.choices)
    member = models.ForeignKey(
        "contracts.ContractMember",
        verbose_name=_("insured person"),
        on_delete=models.PROTECT,
        related_name="annex_lines",
    )
    name = models.CharField(_("name"), max_length=310)
    packages = models.JSONField(_("packages"), default=list, blank=True)
    option = models.CharField(_("option"), max_length=16, blank=True)
    clause = models.CharField(_("clause"), max_length=4, blank=True)
    before = models.JSONField(_("before the change"), default=dict, blank=True)
    premium = models.DecimalField(_("premium difference (EUR)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("annex line")
        verbose_name_plural = _("annex lines")
        ordering = ["annex", "id"]

    def __str__(self) -> str:
        return f"{self.annex.number}: {self.change} {self.name}"


class CensusStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPLIED = "applied", _("Applied")


class CensusUpload(models.Model):
    """Поименен списък: one census file an employer uploaded, read and compared with the group
    as it stood. ``rows`` are the valid rows as read; ``errors`` the row-level errors
    (``{"row", "column", "message"}``); ``diff`` the people added, removed and changed. Applying
    uses exactly these stored rows (no second upload) and links the annex."""

    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="census_uploads",
    )
    file_name = models.CharField(_("file"), max_length=200)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    notified_on = models.DateField(_("notified on"))
    effective = models.DateField(_("in force from"))
    status = models.CharField(
        _("status"), max_length=12, choices=CensusStatus.choices, default=CensusStatus.PREVIEWED
    )
    rows = models.JSONField(_("rows"), default=list)
    errors = models.JSONField(_("errors"), default=list)
    diff = models.JSONField(_("difference"), default=dict)
    annex = models.OneToOneField(
        Annex,
        verbose_name=_("annex"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="census",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("census upload")
        verbose_name_plural = _("census uploads")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contract.number}: {self.file_name}"


class ExaminationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SCHEDULED = "scheduled", _("Scheduled")


class ExaminationRequest(models.Model):
    """Предварителна заявка за профилактични прегледи (004 Чл.30 т.3): the employer asks for
    preventive examinations in a period, at least 6 months before the cover ends; the insurer
    schedules dates and a provider."""

    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="examination_requests",
    )
    period_from = models.DateField(_("wanted from"))
    period_to = models.DateField(_("wanted until"))
    places = models.TextField(_("places and numbers of people"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ExaminationStatus.choices,
        default=ExaminationStatus.REQUESTED,
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    key = models.CharField(_("submission key"), max_length=64, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_on = models.DateField(_("requested on"))

    class Meta:
        verbose_name = _("preventive examination request")
        verbose_name_plural = _("preventive examination requests")
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.period_from}–{self.period_to}"


class ExaminationSlot(models.Model):
    """One insured person's date for the preventive examinations (a main or a reserve date,
    004 Чл.30 т.3)."""

    request = models.ForeignKey(
        ExaminationRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="slots",
    )
    member = models.ForeignKey(
        "contracts.ContractMember",
        verbose_name=_("insured person"),
        on_delete=models.CASCADE,
        related_name="examination_slots",
    )
    day = models.DateField(_("date"))
    reserve = models.BooleanField(_("reserve date"), default=False)

    class Meta:
        verbose_name = _("preventive examination date")
        verbose_name_plural = _("preventive examination dates")
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "member", "reserve"], name="examination_slot_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.day}"


class FamilyRequest(UnderwriterDecision):
    """A family member the holder asked to add online whose health declaration has a "yes" the
    product terms refer (004 Чл.9): the insurer may accept them on special conditions agreed in
    writing (004 Чл.10), so the request waits in the underwriter's queue with the sales
    applications. Accepted, it becomes an annex (004 Чл.27 т.2) from 00:00 of the day after the
    decision, or of ``effective`` if later; declined, the holder gets a letter with the reason.
    ``notified_on`` is the day the holder asked: the month of 004 Чл.27 т.2 is judged on it.
    ``decision`` reuses the sales decision kinds (``sales.models.Decision``)."""

    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="family_requests",
    )
    # The newcomer as the holder typed them: egn, first/middle/last name, role.
    person = models.JSONField(_("person"))
    answers = models.JSONField(_("answers"), default=dict)
    referred = models.JSONField(_("questions answered yes"), default=list)
    signer_name = models.CharField(_("name of who fills it in"), max_length=200)
    notified_on = models.DateField(_("asked on"))
    effective = models.DateField(_("in force from, as asked"))
    key = models.CharField(_("submission key"), max_length=64, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    annex = models.OneToOneField(
        Annex,
        verbose_name=_("annex"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="family_request",
    )

    class Meta:
        verbose_name = _("family member referred to the underwriter")
        verbose_name_plural = _("family members referred to the underwriter")
        ordering = ["notified_on", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        p = self.person
        return " ".join(
            x for x in (p.get("first_name"), p.get("middle_name"), p.get("last_name")) if x
        )

    @property
    def role_label(self) -> str:
        role = self.person.get("role", "")
        return str(MemberRole(role).label) if role in MemberRole.values else role
