"""The decision letter of a claim: in the browser and as a PDF, for whoever may open the claim
(``fetch.access_claim``, 404 for anyone else). Each view is logged as a read of health data.
The pages are ``base.letters.kit``'s."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from zdrave.base.audit.models import record_view
from zdrave.base.identity.permissions import sees_all_health_data
from zdrave.base.letters import kit
from zdrave.claims import letters as decision_letters
from zdrave.claims.emails import recipient
from zdrave.claims.fetch import access_claim


def letter_language(request, claim) -> str:
    """``?lang=`` when it names a language of the platform; else the member's (the letter is
    theirs: staff read what the member got); else the page's."""
    asked = kit.asked_language(request)
    if asked is not None:
        return asked
    to = recipient(claim)
    language = getattr(to, "language", "")
    if language in kit.languages():
        return language
    current = get_language() or settings.LANGUAGE_CODE
    return current if current in kit.languages() else settings.LANGUAGE_CODE


def _letter(request, number: str, *, verb: str):
    """The claim and its letter, the reading logged as ``verb`` (health data)."""
    claim = access_claim(request.user, number)
    language = letter_language(request, claim)
    built = decision_letters.decision_letter(claim, language)
    if built is None:
        # Nothing is decided yet: there is no letter to show.
        raise Http404(number)
    record_view(
        request, verb=verb, obj=claim, version=built.version.number, language=built.language
    )
    return claim, built


@login_required
@require_GET
def letter(request, number: str):
    claim, built = _letter(request, number, verb="claim_letter_viewed")
    # Staff go back to their review of the claim, the member to their claim page.
    back = "claims:review" if sees_all_health_data(request.user) else "claims:detail"
    links = kit.letter_links(
        back=reverse(back, args=[claim.number]),
        here=reverse("claims:letter", args=[claim.number]),
        pdf=reverse("claims:letter_pdf", args=[claim.number]),
        language=built.language,
    )
    return kit.html_page(decision_letters.letter_html(built, links=links))


@login_required
@require_GET
def letter_pdf(request, number: str):
    claim, built = _letter(request, number, verb="claim_letter_downloaded")
    return kit.pdf_download(decision_letters.letter_pdf(built), decision_letters.pdf_name(claim))
