"""The e-mail of the underwriting decisions to the applicant (004 Чл.10): once nobody waits for
the underwriter, one e-mail to the application's address saying, per person, accepted, accepted
on special conditions (what they are) or declined (why), each person's decision letter attached
as a PDF. Written to the outbox inside the deciding action's transaction, so nothing goes out
for a decision that did not commit."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zdrave.base.outbox.mail import Attachment, send_templated
from zdrave.policy_admin.sales.documents import decision_pdf, reason_texts
from zdrave.policy_admin.sales.models import Application, Decision

SUBJECT = _("Application %(reference)s: the underwriting decision")


def language_of(application: Application) -> str:
    return getattr(application.owner, "language", "") or "bg"


def send_decisions(application: Application) -> bool:
    """False when the application has no address to write to."""
    if not application.email:
        return False
    language = language_of(application)
    persons = [p for p in application.persons.order_by("pk") if p.decision != Decision.PENDING]
    with translation.override(language):
        subject = str(SUBJECT) % {"reference": application.reference}
        rows = [
            {
                "name": p.full_name,
                "decision": p.get_decision_display(),
                "special": p.decision == Decision.SPECIAL,
                "declined": p.decision == Decision.DECLINED,
                "reasons": reason_texts(p, language),
                "note": p.decision_note,
            }
            for p in persons
        ]
    send_templated(
        application.email,
        subject,
        "sales/email/decision",
        {"application": application, "rows": rows},
        language=language,
        attachments=[
            Attachment(
                f"{application.reference}-{p.pk}.pdf".replace("/", "-"),
                decision_pdf(p, language),
                "application/pdf",
            )
            for p in persons
        ],
        # The decision names diagnoses excluded on special conditions: health data (GDPR
        # Art. 9), so the outbox keeps its content from staff without a health-data role.
        health_data=True,
    )
    return True
