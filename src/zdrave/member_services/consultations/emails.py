"""The e-mails of the consultation journey, written to the outbox by the actions.

Subjects come from the Extra Care product data (``emails`` of the service, with ``{partner}``
filled in), so the partner is configurable and never hard-wired (seeds README). They are sent
"from address @diagnose.me" (000 б) стъпка 5) when the data gives the partner's address and the
template says so (``sender_domain_from_partner``).

Called inside the action's transaction: the outbox row commits with the change or not at all,
and the outbox's worker delivers it after the commit (docs/decisions.md).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from zdrave.base.outbox.mail import Attachment
from zdrave.member_services import journey
from zdrave.member_services.consultations import calendar
from zdrave.member_services.consultations.fetch import Service, service_of
from zdrave.member_services.consultations.models import Consultation

TEMPLATES = "consultations/email"


def send_proposed_dates(consultation: Consultation) -> None:
    """000 б) стъпка 5: "Extra Care – консултация чрез Diagnose.me" with the proposed dates."""
    _send(consultation, "proposed-dates", "proposed", {"slots": list(consultation.current_slots())})


def send_confirmation(consultation: Consultation) -> None:
    """000 б) стъпка 6: the confirmation with the video link or phone number and an invitation.
    The subject is the project's own wording: 000 quotes no subject for this e-mail."""
    svc = service_of(consultation)
    with translation.override(_language(consultation)):
        ics = calendar.invitation(
            consultation,
            partner_name=svc.partner_name_in(_language(consultation)),
            partner_email=_partner_address(svc),
        )
    _send(
        consultation,
        "confirmation",
        "confirmation",
        attachments=[Attachment(calendar.FILENAME, ics, calendar.MIMETYPE + "; method=REQUEST")],
    )


def send_reminder(consultation: Consultation) -> None:
    """000 б) стъпка 7: the reminder with the link or phone number, one hour before. The subject
    is the project's own wording: 000 quotes none (it does not even say the reminder is e-mail)."""
    _send(consultation, "reminder", "reminder")


def send_cancellation(consultation: Consultation) -> None:
    """Not in the seed (nor its subject): a cancelled session that had a time takes itself out of the member's
    calendar (METHOD:CANCEL, same UID)."""
    svc = service_of(consultation)
    language = _language(consultation)
    with translation.override(language):
        subject = _("Extra Care – consultation cancelled (%(partner)s)") % {
            "partner": svc.partner_name_in(language)
        }
    attachments = []
    if consultation.starts_at is not None:
        with translation.override(language):
            ics = calendar.cancellation(
                consultation,
                partner_name=svc.partner_name_in(language),
                partner_email=_partner_address(svc),
            )
        attachments.append(
            Attachment(calendar.FILENAME, ics, calendar.MIMETYPE + "; method=CANCEL")
        )
    _deliver(consultation, svc, subject, "cancelled", {}, attachments, from_partner=True)


def subject_for(consultation: Consultation, code: str) -> str:
    svc = service_of(consultation)
    language = _language(consultation)
    return svc.terms.email(code).render_subject(svc.partner_name_in(language), language)


def _send(consultation, code: str, template: str, extra=None, attachments=()) -> None:
    svc = service_of(consultation)
    email = svc.terms.email(code)
    language = _language(consultation)
    subject = email.render_subject(svc.partner_name_in(language), language)
    _deliver(
        consultation,
        svc,
        subject,
        template,
        extra or {},
        attachments,
        from_partner=email.sender_domain_from_partner,
    )


def _deliver(consultation, svc: Service, subject, template, extra, attachments, *, from_partner):
    context = {
        "consultation": consultation,
        "portal_url": portal_url(consultation),
        "minutes_before": int(svc.reminder_before.total_seconds() // 60),
        **extra,
    }
    journey.send_partner_mail(
        consultation.email,
        subject,
        f"{TEMPLATES}/{template}",
        context,
        service=svc,
        language=_language(consultation),
        from_partner=from_partner,
        attachments=attachments,
    )


def portal_url(consultation: Consultation) -> str:
    return journey.absolute(
        consultation.site_url, reverse("consultations:detail", args=[consultation.pk])
    )


_language = journey.member_language


def _partner_address(svc: Service) -> str:
    return svc.partner.email or settings.DEFAULT_FROM_EMAIL
