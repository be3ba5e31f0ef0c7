"""The e-mail to the holder of a family contract when the underwriter decided a family member
they asked to add (004 Чл.10, Чл.27 т.2): accepted with the annex, accepted on special
conditions (what they are), or declined with the reasons; the decision letter attached as a PDF.
Written to the outbox inside the deciding action's transaction, so nothing goes out for a
decision that did not commit."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zdrave.base.outbox.mail import Attachment, send_templated
from zdrave.policy_admin.groups.letters import family_decision_pdf
from zdrave.policy_admin.groups.models import FamilyRequest
from zdrave.policy_admin.sales.models import Decision

SUBJECT = _("Family contract %(contract)s: the underwriter's decision on %(name)s")


def send_family_decision(request: FamilyRequest) -> bool:
    """False when the holder has no address to write to."""
    users = [u for u in request.contract.holder.users.order_by("pk") if u.email]
    if not users and request.requested_by is not None and request.requested_by.email:
        users = [request.requested_by]
    if not users:
        return False
    language = getattr(users[0], "language", "") or "bg"
    with translation.override(language):
        subject = str(SUBJECT) % {"contract": request.contract.number, "name": request.full_name}
        decision = request.get_decision_display()
    send_templated(
        users,
        subject,
        "groups/email/family_decision",
        {
            "request": request,
            "decision": decision,
            "special": request.decision == Decision.SPECIAL,
            "declined": request.decision == Decision.DECLINED,
        },
        language=language,
        attachments=[
            Attachment(
                f"{request.contract.number}-request-{request.pk}.pdf".replace("/", "-"),
                family_decision_pdf(request, language),
                "application/pdf",
            )
        ],
        # The answers and any excluded diagnosis are health data (GDPR Art. 9).
        health_data=True,
    )
    return True
