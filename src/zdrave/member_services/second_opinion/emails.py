"""The e-mails of the second-opinion journey, written to the outbox inside the action's
transaction (the outbox row commits with the change or not at all; the worker delivers it).

Subjects come from the Extra Care product data (``emails`` of the service, with ``{partner}``
filled in), and the mail is sent "от адрес: @diagnose.me" (000 а) стъпка 7): from the partner's
address in the data, so the partner is configurable and never hard-wired (seeds README).
"""

from __future__ import annotations

import logging

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from zdrave.base.documents import storage
from zdrave.base.outbox.mail import Attachment
from zdrave.contracts.models import InsuredPerson
from zdrave.member_services import journey
from zdrave.member_services.second_opinion.fetch import service_of
from zdrave.member_services.second_opinion.models import CaseFile, OpinionCase
from zdrave.member_services.second_opinion.tokens import LINK_VALID_FOR

logger = logging.getLogger(__name__)

TEMPLATES = "second_opinion/email"


def subject_for(case: OpinionCase, code: str) -> str:
    svc = service_of(case)
    language = _language(case)
    return svc.terms.email(code).render_subject(svc.partner_name_in(language), language)


def send_registration(case: OpinionCase, token: str) -> None:
    """000 а) стъпка 7: "Extra Care – второ медицинско мнение чрез Diagnose.me" with the one-time
    link to register or sign in (стъпка 8)."""
    link = absolute(case, reverse("second_opinion:sign_in", args=[token]))
    extra = {"link": link, "valid_days": LINK_VALID_FOR.days}
    _send(case, subject_for(case, "registration"), "registration", extra, secrets=[token])


def send_report_ready(case: OpinionCase) -> None:
    """000 а) стъпка 17: the report is ready, with a link to the account. The subject is the
    project's own wording: 000 quotes no subject for this e-mail."""
    extra = {"case_url": absolute(case, reverse("second_opinion:case", args=[case.pk]))}
    _send(case, subject_for(case, "report-ready"), "report_ready", extra)


def send_report(case: OpinionCase, report: CaseFile) -> None:
    """000 а) стъпка 17: "Техен представител може да я изпрати на предоставения от Вас имейл
    адрес" — the report itself, attached. The subject is the project's own wording (000 quotes
    none)."""
    language = _language(case)
    svc = service_of(case)
    with translation.override(language):
        subject = _(
            "Extra Care – your second medical opinion report, case %(number)s (%(partner)s)"
        ) % {
            "number": case.number,
            "partner": svc.partner_name_in(language),
        }
    medical_file = report.file
    content = storage.path_of(medical_file.storage_name).read_bytes()
    attachment = Attachment(medical_file.download_name, content, medical_file.mime_type)
    _send(case, subject, "report", {}, attachments=[attachment])


def absolute(case: OpinionCase, path: str) -> str:
    return journey.absolute(case.site_url, path)


def verified_address(case: OpinionCase) -> str:
    """Where the case's mail goes: the account's e-mail, else the one the insurer holds for the
    insured person — never the free-text contact address typed into the request form, which
    nobody has confirmed belongs to the member (docs/decisions.md, issue 8)."""
    if case.member.email:
        return case.member.email
    person = InsuredPerson.objects.filter(user=case.member).exclude(email="").first()
    return person.email if person else ""


def _send(
    case: OpinionCase, subject: str, template: str, extra: dict, attachments=(), secrets=()
) -> None:
    address = verified_address(case)
    if not address:
        logger.warning("opinions: case %s has no verified e-mail address; mail not sent", case.pk)
        return
    language = _language(case)
    context = {
        "case": case,
        "account_url": absolute(case, reverse("second_opinion:account")),
        **extra,
    }
    journey.send_partner_mail(
        address,
        subject,
        f"{TEMPLATES}/{template}",
        context,
        service=service_of(case),
        language=language,
        attachments=attachments,
        secrets=secrets,
    )


_language = journey.member_language
