"""The e-mail of a decision on a pre-authorisation request, to the insured person and to the
institution (its address, and the front-desk user who asked), with the guarantee letter as PDF
on an approval. Sent through the outbox after the decision commits."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zdrave.base.outbox.mail import send_templated
from zdrave.providers.preauth.letters import guarantee_pdf
from zdrave.providers.preauth.models import PreauthRequest, RequestStatus

SUBJECTS = {
    RequestStatus.APPROVED: _("Pre-authorisation %(number)s approved"),
    RequestStatus.PARTLY_APPROVED: _("Pre-authorisation %(number)s partly approved"),
    RequestStatus.REFUSED: _("Pre-authorisation %(number)s refused"),
}


def recipients(request: PreauthRequest) -> list:
    person = request.member.person
    found: list = []
    member = person.user if person.user is not None and person.user.email else person.email
    if member:
        found.append(member)
    if request.asked_by.email and request.asked_by.pk != getattr(person.user, "pk", None):
        found.append(request.asked_by)
    elif request.institution.email:
        found.append(request.institution.email)
    return found


def send_decision(request_id: int) -> int:
    """Write the decision's e-mail to each recipient, in their language; returns how many."""
    request = PreauthRequest.objects.select_related(
        "member__person__user", "member__contract", "institution", "asked_by"
    ).get(pk=request_id)
    sent = 0
    for to in recipients(request):
        language = getattr(to, "language", "") or settings.LANGUAGE_CODE
        attachments = []
        with translation.override(language):
            subject = str(SUBJECTS[request.status]) % {"number": request.number}
            if request.status != RequestStatus.REFUSED:
                pdf = guarantee_pdf(request.letter, language)
                attachments.append((f"{request.letter.number}.pdf", pdf, "application/pdf"))
        send_templated(
            to,
            subject,
            "preauth/email/decision",
            {"request": request, "name": request.member.person.full_name},
            attachments=attachments,
            language=language,
        )
        sent += 1
    return sent
