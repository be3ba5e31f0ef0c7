"""What every letter of the platform shares besides its rendering (``render``): who it is from
(the insurer of the product's terms), the supervisor every complainant may turn to, and the two
pages that show one letter — in the browser with its links, and as a PDF — each private to the
reader's browser. Claims' decision letters and complaints' answers use it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from zdrave.base.letters.render import Letterhead

# The supervisor of insurers (Кодекс за застраховането): a complaint to it is open to everyone
# whatever the contract says.
SUPERVISOR_SITE = "www.fsc.bg"
LANGUAGE_NAMES = {"bg": "Български", "en": "English"}


def languages() -> dict[str, str]:
    return dict(settings.LANGUAGES)


def asked_language(request) -> str | None:
    """``?lang=`` when it names a language of the platform."""
    asked = request.GET.get("lang", "")
    return asked if asked in languages() else None


def insurer_letterhead(insurer, language: str) -> Letterhead:
    """The letterhead of a product's insurer (``engine.terms`` ``Insurer``) in ``language``."""
    return Letterhead(
        name=insurer.name.get(language),
        email=insurer.email or "",
        phone=insurer.phone or "",
        website=insurer.website or "",
    )


def letter_links(*, back: str, here: str, pdf: str, language: str) -> dict:
    """The browser page's links: back to where the reader came from, the PDF in the same
    language, and the letter in each other language of the platform."""
    return {
        "back": back,
        "pdf": f"{pdf}?lang={language}",
        "languages": [
            (code, LANGUAGE_NAMES.get(code, code), f"{here}?lang={code}")
            for code in languages()
            if code != language
        ],
    }


def private(response: HttpResponse) -> HttpResponse:
    """A letter carries personal (often health) data: no shared cache keeps it."""
    response["Cache-Control"] = "private, no-store"
    return response


def html_page(html: str) -> HttpResponse:
    return private(HttpResponse(html))


def pdf_download(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, name)
    return private(response)
