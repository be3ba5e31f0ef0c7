"""The guarantee letter (гаранционно писмо) to the institution, HTML and PDF through
``zdrave.base.letters``: its number, the patient, what it covers, the amount guaranteed (held
against the person's limits, 004 Чл.26 т.1) and how long it is valid; the institution bills the
insurer within it (004 Чл.29 т.11). Reads only."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from zdrave.base.letters.render import render_html, render_pdf
from zdrave.engine.money import format_eur
from zdrave.providers.preauth.display import service_name
from zdrave.providers.preauth.models import GuaranteeLetter, RequestStatus
from zdrave.providers.preauth.reasons import reason_label

TEMPLATE = "letters/base.html"


def guarantee_context(letter: GuaranteeLetter) -> dict:
    request = letter.request
    person = request.member.person
    institution = request.institution
    paragraphs = [
        _("Patient: %(name)s, born %(born)s, contract %(contract)s.")
        % {
            "name": person.full_name,
            "born": person.birth_date.strftime("%d.%m.%Y"),
            "contract": request.member.contract.number,
        },
        _("Service: %(service)s; diagnosis %(diagnosis)s; planned for %(day)s.")
        % {
            "service": service_name(request),
            "diagnosis": request.diagnosis,
            "day": request.planned_date.strftime("%d.%m.%Y"),
        },
        _("What it covers: %(covers)s") % {"covers": letter.covers},
        _(
            "We guarantee payment to %(institution)s of up to %(amount)s for this service in the "
            "subscription form (004 Чл.29 т.11); the amount is held against the insured "
            "person's limits (004 Чл.26 т.1)."
        )
        % {"institution": institution.name, "amount": format_eur(letter.amount)},
        _("Valid from %(start)s to %(end)s inclusive. Bill the insurer with this letter's number.")
        % {
            "start": letter.valid_from.strftime("%d.%m.%Y"),
            "end": letter.valid_until.strftime("%d.%m.%Y"),
        },
    ]
    if request.status == RequestStatus.PARTLY_APPROVED:
        paragraphs.append(
            _("Partly approved: %(amount)s of the estimated %(estimate)s. %(reason)s: %(why)s")
            % {
                "amount": format_eur(letter.amount),
                "estimate": format_eur(request.estimated_amount),
                "reason": reason_label(request.reason_code),
                "why": request.reasons,
            }
        )
    return {
        "reference": letter.number,
        "date": letter.issued_at.date(),
        "subject": _("Guarantee letter"),
        "recipient": [institution.name, f"{institution.address}, {institution.city}"],
        "paragraphs": paragraphs,
        "signature": _("Medical expert, request %(number)s") % {"number": request.number},
    }


def guarantee_pdf(letter: GuaranteeLetter, language: str) -> bytes:
    with translation.override(language):
        return render_pdf(TEMPLATE, guarantee_context(letter), language=language)


def guarantee_html(letter: GuaranteeLetter, language: str) -> str:
    with translation.override(language):
        return render_html(TEMPLATE, guarantee_context(letter), language=language)
