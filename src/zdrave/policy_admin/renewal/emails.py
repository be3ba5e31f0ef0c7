"""The e-mails renewal writes to a policyholder, each with its letter as a PDF: the offer, the
renewed contract, the annex of a higher premium. Written to the outbox inside the action's
transaction, like billing's (``send_templated``)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zdrave.base.letters.render import render_pdf
from zdrave.base.outbox.mail import Attachment, send_templated
from zdrave.policy_admin.billing.emails import recipient
from zdrave.policy_admin.billing.letters import holder_language
from zdrave.policy_admin.renewal import letters

TEMPLATE = "letters/base.html"
SUBJECTS = {
    "offer": _("Contract %(number)s: renewal offer"),
    "accepted": _("Contract %(number)s: renewed"),
    "annex": _("Contract %(number)s: annex, the new premium"),
}
CONTEXTS = {
    "offer": letters.offer_context,
    "accepted": letters.accepted_context,
    "annex": letters.annex_context,
}


def pdf(what: str, obj, contract) -> bytes:
    language = holder_language(contract)
    with translation.override(language):
        context = CONTEXTS[what](obj)
    return render_pdf(TEMPLATE, context, language=language)


def send_letter(what: str, obj, contract) -> bool:
    """Write the e-mail ``what`` with its letter attached; False when nobody can be written to
    (staff then download the letter and post it)."""
    to = recipient(contract)
    if to is None:
        return False
    language = holder_language(contract)
    with translation.override(language):
        subject = str(SUBJECTS[what]) % {"number": contract.number}
    send_templated(
        to,
        subject,
        f"renewal/email/{what}",
        {"contract": contract, "obj": obj},
        language=language,
        attachments=[
            Attachment(f"{contract.number}-{what}.pdf", pdf(what, obj, contract), "application/pdf")
        ],
        health_data=False,
    )
    return True
