"""Medical files members upload (000 а) стъпка 13: text documents and images) and the log of
every attempt to download one."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zdrave.base.documents.formats import EXTENSIONS


class FileKind(models.TextChoices):
    # 000 а) стъпка 14 counts the two separately: 5 pages of documents, 2 images.
    TEXT_DOCUMENT = "text_document", _("Text document")
    MEDICAL_IMAGE = "medical_image", _("Medical image")


class MedicalFile(models.Model):
    """One uploaded file, stored under ``settings.PRIVATE_MEDIA_ROOT`` with a random name and
    served only through ``zdrave.base.documents.views.download`` after ``can_access``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="medical_files",
    )
    # What the file belongs to (an opinion case, a claim …), by app label and primary key, so
    # the journeys can attach files without this app knowing their models.
    subject_type = models.CharField(_("subject type"), max_length=64, blank=True)
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=FileKind.choices)
    original_name = models.CharField(_("original file name"), max_length=255)
    # Unique by the Meta's constraint, not ``unique=True``: that adds a pattern-matching
    # (``_like``) index on PostgreSQL that no query uses, and every row written to a claim pays
    # for each index (docs/decisions.md).
    storage_name = models.CharField(max_length=128, editable=False)
    mime_type = models.CharField(_("detected type"), max_length=128)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)  # not indexed: no query looks it up
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    pages_estimated = models.BooleanField(_("page count is an estimate"), default=False)
    width = models.PositiveIntegerField(_("width (px)"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height (px)"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    # Indexed by the Meta's index that leads with it (a second index would cost every upload).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            # A claim form's staged files: one person's files of one subject type, then the
            # form's key (``claims.fetch.lock_for_intake``, ``intake.staged_files``). With the
            # uploader's index alone, a plan made once for the prepared lock read every
            # person's staged files (the subject's index) at each claim: docs/performance.md,
            # stop 27.
            models.Index(
                fields=["uploaded_by", "subject_type", "subject_id"],
                name="medical_file_uploader_subject",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["storage_name"], name="medical_file_storage_once")
        ]
        verbose_name = _("medical file")
        verbose_name_plural = _("medical files")

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The member's file name, with the extension of what the file really is."""
        stem = self.original_name.rsplit(".", 1)[0] or "document"
        return f"{stem}.{EXTENSIONS[self.mime_type]}"


class AccessOutcome(models.TextChoices):
    SERVED = "served", _("Served")
    REFUSED = "refused", _("Refused")
    NOT_FOUND = "not_found", _("Not found")


class DocumentAccessLog(models.Model):
    """Every download of a medical file and every refused attempt (who, when, what, from where).
    Rows are never edited or deleted by the platform."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.ForeignKey(
        MedicalFile,
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_log",
    )
    requested_id = models.CharField(_("requested file id"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=16, choices=AccessOutcome.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("document access")
        verbose_name_plural = _("document access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.outcome} {self.requested_id}"
