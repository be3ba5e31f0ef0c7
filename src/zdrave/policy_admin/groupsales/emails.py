"""The e-mails of a group sale: each employee's declaration link (004 Чл.23 т.1) and the
employer's sign-in link with the policy once the contract is issued. Written inside the action's
transaction; the links are secrets, masked in the outbox copy staff can read."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zdrave.base.outbox.mail import Attachment, send_templated
from zdrave.policy_admin.sales import documents


def _absolute(sale, path: str) -> str:
    return f"{sale.site_url.rstrip('/')}{path}" if sale.site_url else path


def send_declaration_link(sale, link, persons, token: str, *, reminder: bool = False) -> None:
    url = _absolute(sale, reverse("groupsales:declare", args=[token]))
    subject = (
        _("Reminder — %(employer)s: your health declaration for the group insurance")
        if reminder
        else _("%(employer)s: your health declaration for the group insurance")
    )
    send_templated(
        link.email,
        subject % {"employer": sale.employer_name},
        "groupsales/email/declaration_link",
        {"sale": sale, "persons": persons, "url": url, "reminder": reminder},
        secrets=[token],
        health_data=False,
    )


def send_issued(sale, application, owner, uid: str, token: str) -> None:
    contract = application.contract
    if token:
        path = reverse("identity:password_reset_confirm", args=[uid, token])
    else:
        path = reverse("identity:login")
    pdf = documents.policy_pdf(application, owner.language or "bg")
    send_templated(
        owner,
        _("Group contract %(number)s is issued") % {"number": contract.number},
        "groupsales/email/issued",
        {
            "sale": sale,
            "contract": contract,
            "url": _absolute(sale, path),
            "has_password": not token,
            "username": owner.username,
        },
        attachments=[Attachment(f"{contract.number}.pdf", pdf, "application/pdf")],
        secrets=[token] if token else [],
        health_data=False,
    )
