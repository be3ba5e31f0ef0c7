"""PDF and HTML letters (issue 10: "Decision letter … HTML and PDF (WeasyPrint …), Bulgarian and
English"). The PDFs are opened with pypdf, as a member's reader would."""

import datetime as dt
import io

import pypdf
import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from zdrave.base.documents.validation import inspect_upload
from zdrave.base.letters.render import Letterhead, render_html, render_pdf

LETTER = {
    "reference": "CLM-2026-000123",
    "date": dt.date(2026, 3, 2),
    "subject": "Решение по претенция CLM-2026-000123",
    "recipient": ["Живко Щерев", "ул. „Шипка“ 6", "1000 София"],
    "salutation": "Уважаеми господин Щерев,",
    "paragraphs": ["Изплащаме 123,45 EUR по сметка BG80 BNBG 9661 1020 3456 78."],
    "signature": "Отдел „Претенции“",
}
ANNEX = {"title": "Как да възразите", "paragraphs": ["В срок от един месец може да възразите."]}


def pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages]


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts whose program is inside the file (a subset: "XKQQSR+DejaVu-Sans")."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            for descendant in font.get_object()["/DescendantFonts"]:
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor:
                    found.add(str(descriptor["/FontName"]).split("+")[-1])
    return found


def test_a_bulgarian_letter_is_one_a4_page_with_its_cyrillic_text():
    pdf = render_pdf("letters/base.html", LETTER, language="bg")
    assert pdf.startswith(b"%PDF-")
    (text,) = pages(pdf)
    for words in (
        "Живко Щерев",
        "Уважаеми господин Щерев,",
        "Изплащаме 123,45 EUR по сметка BG80 BNBG 9661 1020 3456 78.",
        "Изх. №: CLM-2026-000123",
        "Дата: 2 март 2026 г.",
        "Страница 1 от 1",
    ):
        assert words in text
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    # A4 is 595 × 842 points.
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)
    # The text is real text in an embedded font with Cyrillic, not pictures of letters.
    assert embedded_fonts(pdf) == {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_an_english_letter_has_english_labels_and_keeps_the_members_name():
    pdf = render_pdf("letters/base.html", {**LETTER, "annex": ANNEX}, language="en")
    first, second = pages(pdf)
    assert "Reference: CLM-2026-000123" in first
    assert "Date: 2 March 2026" in first
    assert "Живко Щерев" in first
    assert "Page 1 of 2" in first
    # The annex (how to object) starts a page of its own, with the footer again.
    assert second.startswith("Как да възразите")
    assert "Page 2 of 2" in second
    assert "Zdrave voluntary health insurance" in second


def test_a_long_letter_numbers_every_page():
    long_letter = {
        **LETTER,
        "paragraphs": [f"Ред {n}: прегледи и изследвания." for n in range(150)],
    }
    texts = pages(render_pdf("letters/base.html", long_letter, language="bg"))
    assert len(texts) > 1
    for number, text in enumerate(texts, start=1):
        assert f"Страница {number} от {len(texts)}" in text
    assert "Ред 149: прегледи и изследвания." in texts[-1]


def test_the_letterhead_comes_from_settings_when_the_letter_gives_none(settings):
    settings.ZDRAVE_LETTERHEAD = {
        "name": "„Животозастрахователен институт“ АД",
        "address_lines": ("бул. „Тодор Александров“ 1", "1000 София"),
        "email": "claims@example.bg",
    }
    (text,) = pages(render_pdf("letters/base.html", LETTER, language="bg"))
    assert "„Животозастрахователен институт“ АД" in text
    assert "claims@example.bg" in text


def test_the_html_letter_is_the_same_letter_for_the_browser():
    letterhead = Letterhead(name="Insurer AD", address_lines=("Sofia",), phone="+359 2 000 000")
    html = render_html(
        "letters/base.html",
        {**LETTER, "letterhead": letterhead, "paragraphs": ["<script>alert(1)</script>"]},
        language="en",
    )
    assert '<html lang="en">' in html
    assert '<link rel="stylesheet" href="/static/letters/letter.css">' in html
    # The Content-Security-Policy forbids inline style and script; members' words are escaped.
    assert "<style" not in html
    assert "style=" not in html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Reference:</span> CLM-2026-000123" in html
    assert "+359 2 000 000" in html


def test_an_unknown_language_is_a_programming_error():
    with pytest.raises(ValueError, match="no letters in 'de'"):
        render_pdf("letters/base.html", LETTER, language="de")


def test_rendering_letters_leaves_the_upload_checks_refusing_a_truncated_photo():
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES when imported; a process that renders
    letters must still refuse a damaged photo upload (000 а) стъпка 13)."""
    render_pdf("letters/base.html", LETTER, language="en")
    photo = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(photo, "JPEG")
    with pytest.raises(ValidationError) as refused:
        inspect_upload(photo.getvalue()[:3000], "photo.jpg")
    assert refused.value.code == "image_damaged"
