"""The answer letter of a complaint, in the browser and as a PDF, for whoever may open the
complaint (``fetch.access_complaint``: 404 for anyone else, and before the answer). Each view
is an audit row. The pages are ``base.letters.kit``'s."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_GET

from zdrave.base.audit.models import record_view
from zdrave.base.identity.permissions import can_handle_complaints
from zdrave.base.letters import kit
from zdrave.member_rights.complaints import letters
from zdrave.member_rights.complaints.fetch import access_complaint


def _letter(request, number: str, *, verb: str):
    complaint = access_complaint(request.user, number)
    if complaint.answered_on is None:
        raise Http404(number)
    built = letters.answer_letter(complaint, kit.asked_language(request))
    record_view(request, verb=verb, obj=complaint, language=built.language)
    return complaint, built


@login_required
@require_GET
def letter(request, number: str):
    complaint, built = _letter(request, number, verb="complaint_letter_viewed")
    back = "complaints:review" if can_handle_complaints(request.user) else "complaints:detail"
    links = kit.letter_links(
        back=reverse(back, args=[complaint.number]),
        here=reverse("complaints:letter", args=[complaint.number]),
        pdf=reverse("complaints:letter_pdf", args=[complaint.number]),
        language=built.language,
    )
    return kit.html_page(letters.letter_html(built, links=links))


@login_required
@require_GET
def letter_pdf(request, number: str):
    complaint, built = _letter(request, number, verb="complaint_letter_downloaded")
    return kit.pdf_download(letters.letter_pdf(built), letters.pdf_name(complaint))
