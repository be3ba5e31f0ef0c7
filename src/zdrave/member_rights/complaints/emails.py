"""The e-mails a complainant gets, written to the outbox after the change commits: the receipt
with the incoming number and the answer's due date (001 т.78: the number is given to the
complainant), and the written answer with its letter attached as a PDF (001 т.79 / 003 т.77)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zdrave.base.outbox.mail import Attachment, send_templated
from zdrave.member_rights.complaints.letters import answer_letter, letter_pdf, pdf_name
from zdrave.member_rights.complaints.models import Complaint

SUBJECTS = {
    "registered": _("Complaint %(number)s received"),
    "answered": _("Complaint %(number)s: our answer"),
}


def recipient(complaint: Complaint):
    """The address the complainant gave for the answer, else their portal account's; None when
    there is nobody to write to (the answer then goes by post)."""
    if complaint.email:
        return complaint.email
    user = complaint.complainant_user
    return user if user is not None and user.email else None


def send_complaint_mail(complaint_id: int, what: str) -> None:
    complaint = Complaint.objects.select_related("contract", "claim", "complainant_user").get(
        pk=complaint_id
    )
    to = recipient(complaint)
    if to is None:
        return
    path = reverse("complaints:detail", args=[complaint.number])
    link = f"{complaint.site_url.rstrip('/')}{path}" if complaint.site_url else path
    language = complaint.language
    with translation.override(language):
        subject = str(SUBJECTS[what]) % {"number": complaint.number}
    attachments = []
    if what == "answered":
        letter = answer_letter(complaint)
        attachments = [Attachment(pdf_name(complaint), letter_pdf(letter), "application/pdf")]
    send_templated(
        to,
        subject,
        f"complaints/email/{what}",
        {"complaint": complaint, "link": link if complaint.complainant_user_id else ""},
        language=language,
        attachments=attachments,
    )
