"""The answer letter of a complaint, in the browser and as a PDF, for whoever may open the
complaint (``fetch.access_complaint``: 404 for anyone else, and before the answer). Each view
is an audit row."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from zdrave.base.audit.models import record_view
from zdrave.base.identity.permissions import can_handle_complaints
from zdrave.member_rights.complaints import letters
from zdrave.member_rights.complaints.fetch import access_complaint

LANGUAGES = dict(settings.LANGUAGES)
LANGUAGE_NAMES = {"bg": "Български", "en": "English"}


def _letter(request, number: str, *, verb: str):
    complaint = access_complaint(request.user, number)
    if complaint.answered_on is None:
        raise Http404(number)
    asked = request.GET.get("lang", "")
    built = letters.answer_letter(complaint, asked if asked in LANGUAGES else None)
    record_view(request, verb=verb, obj=complaint, language=built.language)
    return complaint, built


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def letter(request, number: str):
    complaint, built = _letter(request, number, verb="complaint_letter_viewed")
    here = reverse("complaints:letter", args=[complaint.number])
    back = "complaints:review" if can_handle_complaints(request.user) else "complaints:detail"
    links = {
        "back": reverse(back, args=[complaint.number]),
        "pdf": f"{reverse('complaints:letter_pdf', args=[complaint.number])}?lang={built.language}",
        "languages": [
            (code, LANGUAGE_NAMES.get(code, code), f"{here}?lang={code}")
            for code in LANGUAGES
            if code != built.language
        ],
    }
    return _private(HttpResponse(letters.letter_html(built, links=links)))


@login_required
@require_GET
def letter_pdf(request, number: str):
    complaint, built = _letter(request, number, verb="complaint_letter_downloaded")
    response = HttpResponse(letters.letter_pdf(built), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, letters.pdf_name(complaint))
    return _private(response)
