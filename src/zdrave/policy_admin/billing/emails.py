"""The e-mails billing writes to a policyholder, each with its letter as a PDF: the arrears
notice, the termination and the repricing proposal. Written to the outbox inside the action's
transaction (``send_templated``), so nothing goes out for a change that did not commit."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zdrave.base.outbox.mail import Attachment, send_templated
from zdrave.policy_admin.billing import letters

SUBJECTS = {
    "arrears": _("Contract %(number)s: premium instalment overdue"),
    "termination": _("Contract %(number)s: termination"),
    "repricing": _("Contract %(number)s: proposal of a higher premium"),
    "lapse": _("Contract %(number)s: cover stopped for an unpaid premium"),
}
CONTEXTS = {
    "arrears": letters.arrears_context,
    "termination": letters.termination_context,
    "repricing": letters.repricing_context,
    "lapse": letters.lapse_context,
}


def recipient(contract):
    """The holder's first account with an address, else the holder person's address."""
    for user in contract.holder.users.all():
        if user.email:
            return user
    person = contract.holder.person
    return (person.email if person is not None else "") or None


def send_letter(what: str, obj, contract) -> bool:
    """Write the e-mail ``what`` with its letter attached; False when nobody can be written to
    (the letter is then sent by post: staff download it from the page)."""
    to = recipient(contract)
    if to is None:
        return False
    language = letters.holder_language(contract)
    with translation.override(language):
        subject = str(SUBJECTS[what]) % {"number": contract.number}
    pdf = letters.pdf(CONTEXTS[what], obj, language)
    send_templated(
        to,
        subject,
        f"billing/email/{what}",
        {"contract": contract},
        language=language,
        attachments=[Attachment(f"{contract.number}-{what}.pdf", pdf, "application/pdf")],
        health_data=False,
    )
    return True
