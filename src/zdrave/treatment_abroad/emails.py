"""The e-mail a member gets at each step of a case, written to the outbox in the action's
transaction (delivered only if it commits): what happened, what happens next, who acts and by
when, and the link to the case."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from zdrave.base.outbox.mail import send_templated
from zdrave.treatment_abroad.models import AbroadCase
from zdrave.treatment_abroad.steps import timeline

SUBJECT = _("Treatment abroad, case %(number)s: %(status)s")


def recipient(case: AbroadCase):
    for user in (case.member.person.user, case.opened_by):
        if user is not None and user.email and user.role == "member":
            return user
    return case.member.person.email or None


def send_step(case: AbroadCase, what: str = "") -> None:
    """One e-mail about the step the case just took (``what``: a sentence of what happened)."""
    to = recipient(case)
    if to is None:
        return
    language = getattr(to, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        status = case.get_status_display()
        next_step = timeline(case, timezone.localdate())
        send_templated(
            to,
            SUBJECT % {"number": case.number, "status": status},
            "treatment_abroad/email/step",
            {
                "case": case,
                "status": status,
                "what": str(what),
                "next": next_step,
                "link": getattr(settings, "SITE_URL", "").rstrip("/")
                + reverse("treatment_abroad:detail", args=[case.number]),
            },
            language=language,
        )
