"""The e-mails a member gets about a claim, written to the outbox after the change commits:
the receipt with the claim's number (004 Чл.29 т.1), the request for missing documents with its
deadline (Чл.29 т.2), the decision with its letter, the payment and a returned payment."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zdrave.base.outbox.mail import send_templated
from zdrave.claims.clocks import clock_for
from zdrave.claims.models import Claim

SUBJECTS = {
    "received": _("Claim %(number)s received"),
    "documents_requested": _("Claim %(number)s: documents we still need"),
    "decided": _("Claim %(number)s: our decision"),
    "paid": _("Claim %(number)s: paid"),
    "payment_failed": _("Claim %(number)s: the payment came back"),
}


def recipient(claim: Claim):
    """The account that submitted the claim, else the insured person's own account or the
    address the insurer holds for them; None when there is nobody to write to."""
    for user in (claim.submitted_by, claim.member.person.user):
        if user is not None and user.email:
            return user
    return claim.member.person.email or None


def send_claim_mail(claim_id: int, what: str) -> None:
    claim = Claim.objects.select_related("contract", "member__person__user", "submitted_by").get(
        pk=claim_id
    )
    to = recipient(claim)
    if to is None:
        return
    path = reverse("claims:detail", args=[claim.number])
    link = f"{claim.site_url.rstrip('/')}{path}" if claim.site_url else path
    language = getattr(to, "language", "") or None
    with translation.override(language):
        subject = str(SUBJECTS[what]) % {"number": claim.number}
    send_templated(
        to,
        subject,
        f"claims/email/{what}",
        {"claim": claim, "link": link, "clock": clock_for(claim)},
        language=language,
    )
