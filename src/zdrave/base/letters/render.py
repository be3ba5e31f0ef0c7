"""``render_pdf`` and ``render_html``: one letter template, two outputs.

A letter template extends ``letters/base.html`` and fills its blocks (``body``, ``annex``), or
passes ``paragraphs`` for a plain letter. Context: ``reference`` (the letter's number), ``date``
(default: today in Sofia), ``subject``, ``recipient`` (address lines), ``salutation``,
``paragraphs``, ``signature``, ``annex`` (``{"title": …, "paragraphs": […]}``, printed on a page
of its own) and ``letterhead`` (a ``Letterhead``; default ``settings.ZDRAVE_LETTERHEAD`` or
``DEFAULT_LETTERHEAD``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

# Importing WeasyPrint switches Pillow's process-wide LOAD_TRUNCATED_IMAGES on. The upload checks
# (base.documents.validation) count on Pillow refusing a truncated photo, and letters hold no
# images, so it is switched back off.
ImageFile.LOAD_TRUNCATED_IMAGES = False

STYLE_SHEET = Path(__file__).resolve().parent / "static" / "letters" / "letter.css"


@dataclass(frozen=True)
class Letterhead:
    """Who the letter is from: the insurer's name, address and contacts, in the letter's
    language (the insurer is configurable data, never hard-wired: seeds README)."""

    name: str
    address_lines: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""
    website: str = ""

    @property
    def contacts(self) -> tuple[str, ...]:
        return tuple(str(p) for p in (self.website, self.email, self.phone) if p)


DEFAULT_LETTERHEAD = Letterhead(
    name=_("Zdrave voluntary health insurance"),
    address_lines=(_("Sofia, Bulgaria"),),
)


def default_letterhead() -> Letterhead:
    configured = getattr(settings, "ZDRAVE_LETTERHEAD", None)
    if configured is None:
        return DEFAULT_LETTERHEAD
    if isinstance(configured, Letterhead):
        return configured
    return Letterhead(**configured)


def render_html(template_name: str, context: Mapping[str, Any], *, language: str) -> str:
    """The letter as a standalone HTML page for the browser (its style sheet is a static file,
    so the page needs no inline style under the Content-Security-Policy)."""
    with translation.override(_checked(language)):
        return render_to_string(template_name, _context(context, language, for_pdf=False))


def render_pdf(template_name: str, context: Mapping[str, Any], *, language: str) -> bytes:
    """The letter as an A4 PDF with the fonts embedded (DejaVu Sans, which has Cyrillic)."""
    with translation.override(_checked(language)):
        html = render_to_string(template_name, _context(context, language, for_pdf=True))
        page_numbers = CSS(string=_page_number_css())
    # Letters carry members' own words: nothing in them may make the renderer fetch a URL or
    # read a local file, so every fetch is refused.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=()))
    return document.write_pdf(stylesheets=[_style_sheet(), page_numbers])


def _checked(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"no letters in {language!r}; languages: {settings.LANGUAGES}")
    return language


def _context(context: Mapping[str, Any], language: str, *, for_pdf: bool) -> dict[str, Any]:
    return {
        "date": timezone.localdate(),
        "letterhead": default_letterhead(),
        **context,
        "letter_language": language,
        "for_pdf": for_pdf,
    }


def _page_number_css() -> str:
    """The footer's "Page 1 of 2" in the active language, built from one translatable sentence
    with the CSS page counters put in its place."""
    sentence = gettext("Page %(page)s of %(pages)s")
    marker = {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    parts = (sentence % marker).split("\x00")
    content = " ".join(
        f"counter({part})" if part in marker else _css_string(part) for part in parts if part
    )
    return f"@page {{ @bottom-right {{ content: {content}; }} }}"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@functools.cache
def _style_sheet() -> CSS:
    return CSS(filename=str(STYLE_SHEET), url_fetcher=URLFetcher(allowed_protocols=()))
