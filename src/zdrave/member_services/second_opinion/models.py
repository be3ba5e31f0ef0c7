"""The second medical opinion of Extra Care (seed 000 а), стъпки 5–17).

Терми: заявка / случай за второ медицинско мнение = ``OpinionCase``; every change of state is an
``OpinionCaseEvent`` (who, when, from, to); the files the member sends and the report are
``CaseFile`` rows pointing at ``zdrave.base.documents.MedicalFile``; the live chat with the partner
team (стъпка 9) is ``ChatMessage``; the one-time e-mail link (стъпки 7–8) is ``SignInLink``.
Writes go through ``zdrave.member_services.second_opinion.actions`` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zdrave.member_services import journey


class CaseStatus(models.TextChoices):
    # 000 а) стъпки 5–6: the member's request, waiting in the partner team's queue.
    REQUESTED = "requested", _("Request received")
    # 000 а) стъпки 10–15: forwarded to the specialist; the member completes the order.
    OPEN = "open", _("Open: order to complete")
    # 000 а) стъпка 16: confirmed and sent to the partner team for processing.
    SUBMITTED = "submitted", _("Sent to the partner team")
    # The team translated the documents and passed the case to the specialist.
    WITH_SPECIALIST = "with_specialist", _("With the specialist")
    # 000 а) стъпка 17: the report is ready to download.
    REPORT_READY = "report_ready", _("Report ready")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


# Cases the member still waits on ("неприключени случаи", 000 а) стъпки 9–10).
OPEN_STATUSES = frozenset(
    {
        CaseStatus.REQUESTED,
        CaseStatus.OPEN,
        CaseStatus.SUBMITTED,
        CaseStatus.WITH_SPECIALIST,
        CaseStatus.REPORT_READY,
    }
)
# A specialist sees a case assigned to them once the team has passed it on.
SPECIALIST_STATUSES = frozenset(
    {CaseStatus.WITH_SPECIALIST, CaseStatus.REPORT_READY, CaseStatus.CLOSED}
)


class Sex(models.TextChoices):
    """000 а) стъпка 12: "пол"."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class ImagesDelivery(models.TextChoices):
    """000 а) стъпка 13: how the medical images reach the partner team."""

    UPLOAD = "upload", _("I upload them here")
    POST = "post", _("I send them by post")
    LINK = "link", _("I share a link (WeTransfer, Box, Dropbox, Google Drive)")
    TEAM = "team", _("I ask the team to upload them for me")
    NONE = "none", _("I have no medical images")


class OpinionCase(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="opinion_cases",
    )
    # The Extra Care cover the request was made under (000 а) стъпка 1), kept for the record.
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="+"
    )
    product_version = models.DateField(_("Extra Care version"))
    partner_code = models.SlugField(_("partner"), max_length=64, db_index=True)
    # Set when the team forwards the request and the case is opened (000 а) стъпка 10).
    number = models.CharField(_("case number"), max_length=32, unique=True, null=True, blank=True)
    requested_specialist = models.ForeignKey(
        "specialists.Specialist",
        verbose_name=_("requested specialist"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    specialist = models.ForeignKey(
        "specialists.Specialist",
        verbose_name=_("specialist"),
        on_delete=models.PROTECT,
        related_name="opinion_cases",
        null=True,
        blank=True,
    )
    email = models.EmailField(_("contact e-mail"))
    documents_description = models.TextField(_("medical documents at hand"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.REQUESTED,
        db_index=True,
    )
    # Ordering (000 а) стъпки 12–15); ``order_step`` is the last step saved, so the member
    # comes back where they left off.
    order_step = models.PositiveSmallIntegerField(_("ordering step saved"), default=0)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    question = models.TextField(_("question to the specialist"), blank=True)
    question_language = models.CharField(_("language of the question"), max_length=8, blank=True)
    images_delivery = models.CharField(
        _("medical images"), max_length=8, choices=ImagesDelivery.choices, blank=True
    )
    images_link = models.URLField(_("link to the images"), max_length=500, blank=True)
    report_language = models.CharField(_("language of the report"), max_length=8, blank=True)
    terms_version = models.CharField(_("Terms of Use accepted"), max_length=32, blank=True)
    terms_accepted_at = models.DateTimeField(_("Terms of Use accepted at"), null=True, blank=True)
    payment_method = models.CharField(_("payment"), max_length=32, blank=True)
    amount_paid = models.DecimalField(
        _("amount paid (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The portal address the request came through: e-mails written later link back to it.
    site_url = models.URLField(_("portal address"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("second-opinion case")
        verbose_name_plural = _("second-opinion cases")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def report(self) -> CaseFile | None:
        return self.files.filter(purpose=FilePurpose.REPORT).select_related("file").last()

    def documents(self) -> models.QuerySet[CaseFile]:
        return self.files.filter(purpose=FilePurpose.DOCUMENT).select_related("file")


class FilePurpose(models.TextChoices):
    DOCUMENT = "document", _("Member's document")
    REPORT = "report", _("Second-opinion report")


class CaseFile(models.Model):
    """A medical file of a case. ``send_to_specialist`` is the member's choice when the volume is
    over the translation allowance (000 а) стъпка 14)."""

    case = models.ForeignKey(
        OpinionCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.OneToOneField(
        "documents.MedicalFile",
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        related_name="opinion_case_file",
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=FilePurpose.choices)
    send_to_specialist = models.BooleanField(_("send to the specialist"), default=True)

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.case}: {self.file}"


class CaseEventKind(models.TextChoices):
    REQUESTED = "requested", _("Second opinion requested")
    FORWARDED = "forwarded", _("Forwarded to the specialist; case opened")
    LINK_SENT = "link_sent", _("Sign-in link e-mailed")
    ORDER_SAVED = "order_saved", _("Order step saved")
    FILE_ADDED = "file_added", _("File uploaded")
    SUBMITTED = "submitted", _("Order confirmed and sent")
    PASSED_ON = "passed_on", _("Passed to the specialist")
    REPORT_UPLOADED = "report_uploaded", _("Report uploaded")
    REPORT_EMAILED = "report_emailed", _("Report sent by e-mail")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


class OpinionCaseEvent(journey.JourneyEvent):
    """One step of a case, written in the same transaction as the change."""

    case = models.ForeignKey(
        OpinionCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=16, choices=CaseEventKind.choices)
    from_status = models.CharField(_("from"), max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=CaseStatus.choices)

    class Meta(journey.JourneyEvent.Meta):
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status or '-'} → {self.to_status}"


class ChatMessage(models.Model):
    """The live chat between a member and the partner team (000 а) стъпка 9), in Bulgarian or
    English."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="opinion_chat",
    )
    partner_code = models.SlugField(_("partner"), max_length=64, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("message"))
    at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.partner_code} {self.at:%Y-%m-%d %H:%M}"

    @property
    def from_team(self) -> bool:
        return self.author_id != self.member_id


class SignInLink(models.Model):
    """The one-time registration / sign-in link of 000 а) стъпки 7–8. Only a hash of the secret
    is stored; the e-mailed token is signed and carries this row's id."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    case = models.ForeignKey(
        OpinionCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="links"
    )
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return f"{self.member_id} until {self.expires_at:%Y-%m-%d %H:%M}"
