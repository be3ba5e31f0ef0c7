"""``validate_upload`` decides by content (000 а) стъпки 13–14)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from base.documents.files import (
    dicom_bytes,
    docx_bytes,
    image_bytes,
    pdf_bytes,
    png_claiming_size,
    upload,
)
from zdrave.base.documents.models import FileKind
from zdrave.base.documents.validation import validate_upload


@pytest.fixture(autouse=True)
def bulgarian():
    # The platform's language, whatever an earlier test in this worker left active (a signed-in
    # user's page activates their language and nothing turns it back).
    with translation.override("bg"):
        yield


def refused(file, **kwargs) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        validate_upload(file, **kwargs)
    [message] = caught.value.messages
    return caught.value.code, message


def test_000_a_step14_pdf_pages_are_counted():
    detected = validate_upload(upload("епикриза.pdf", pdf_bytes(7)))
    assert (detected.mime_type, detected.kind, detected.pages) == (
        "application/pdf",
        FileKind.TEXT_DOCUMENT,
        7,
    )
    assert detected.pages_estimated is False
    assert detected.size == len(pdf_bytes(7))
    assert len(detected.sha256) == 64


def test_png_and_jpeg_are_opened_and_measured():
    png = validate_upload(upload("рентген.png", image_bytes(640, 480)))
    assert (png.mime_type, png.kind, png.width, png.height, png.pages) == (
        "image/png",
        FileKind.MEDICAL_IMAGE,
        640,
        480,
        None,
    )
    jpeg = validate_upload(upload("IMG_0001.JPG", image_bytes(300, 400, "JPEG")))
    assert (jpeg.mime_type, jpeg.width, jpeg.height) == ("image/jpeg", 300, 400)


def test_000_a_step14_a_photographed_page_uploaded_as_a_document_counts_one_page():
    detected = validate_upload(
        upload("page.jpg", image_bytes(1240, 1754, "JPEG")), kind=FileKind.TEXT_DOCUMENT
    )
    assert (detected.kind, detected.pages) == (FileKind.TEXT_DOCUMENT, 1)


def test_dicom_is_read_without_its_pixels_and_is_always_an_image():
    detected = validate_upload(upload("ct-0001.dcm", dicom_bytes(512, 384)), kind="text_document")
    assert (detected.mime_type, detected.kind, detected.width, detected.height) == (
        "application/dicom",
        FileKind.MEDICAL_IMAGE,
        384,
        512,
    )


def test_dicom_without_extension_is_recognised_by_content():
    assert validate_upload(upload("IM000001", dicom_bytes())).mime_type == "application/dicom"


def test_000_a_step14_docx_is_a_text_document_with_estimated_pages():
    detected = validate_upload(
        upload("lab.docx", docx_bytes(["Хемоглобин 135 g/L."], page_breaks=2))
    )
    assert detected.mime_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert (detected.kind, detected.pages, detected.pages_estimated) == (
        FileKind.TEXT_DOCUMENT,
        3,
        True,
    )


def test_000_a_step14_docx_pages_by_length_use_the_1800_character_standard_page():
    text = "а" * 999
    detected = validate_upload(upload("long.docx", docx_bytes([text] * 4)))  # 3 996 characters
    assert detected.pages == 3


@pytest.mark.parametrize(
    ("name", "data", "code", "message"),
    [
        pytest.param(
            "изследване.pdf",
            b"Hemoglobin 135 g/L\nthis is plain text\n",
            "content_mismatch",
            "Файлът не е PDF, въпреки разширението .pdf.",
            id="000-a-step13-text-renamed-pdf",
        ),
        pytest.param(
            "scan.pdf",
            pdf_bytes(3)[: len(pdf_bytes(3)) // 2],
            "pdf_damaged",
            "PDF файлът е повреден.",
            id="000-a-step13-truncated-pdf",
        ),
        pytest.param(
            "secret.pdf",
            pdf_bytes(1, password="tajna"),
            "pdf_encrypted",
            "PDF файлът е защитен с парола. Качете го без парола.",
            id="000-a-step13-password-pdf",
        ),
        pytest.param(
            "thumb.png",
            image_bytes(120, 90),
            "image_too_small",
            "Изображението е по-малко от 200×200 пиксела (то е 120×90).",
            id="000-a-step13-too-small-image",
        ),
        pytest.param(
            "bomb.png",
            png_claiming_size(50_000, 50_000),
            "image_too_large",
            "Изображението е по-голямо от 20000×20000 пиксела или от 80 мегапиксела.",
            id="000-a-step13-decompression-bomb",
        ),
        pytest.param(
            "photo.jpg",
            image_bytes(800, 600, "JPEG")[:3000],
            "image_damaged",
            "Файлът с изображението е повреден.",
            id="000-a-step13-truncated-jpeg",
        ),
        pytest.param(
            "photo.jpg",
            image_bytes(400, 400, "PNG"),
            "content_mismatch",
            "Файлът не е JPEG, въпреки разширението .jpg.",
            id="000-a-step13-png-named-jpg",
        ),
        pytest.param(
            "report.docx",
            b"PK-not-really-a-zip" + bytes(100),
            "content_mismatch",
            "Файлът не е DOCX, въпреки разширението .docx.",
            id="000-a-step13-fake-docx",
        ),
        pytest.param(
            "notes.gif",
            b"GIF89a" + bytes(100),
            "unsupported",
            "Този вид файл не се приема. Качете файл PDF, DOCX, JPEG, PNG или DICOM.",
            id="000-a-step13-gif-not-accepted",
        ),
        pytest.param(
            "run.exe",
            b"MZ\x90\x00" + bytes(200),
            "unsupported",
            "Този вид файл не се приема. Качете файл PDF, DOCX, JPEG, PNG или DICOM.",
            id="000-a-step13-executable",
        ),
        pytest.param(
            "empty.pdf",
            b"",
            "empty",
            "Файлът е празен.",
            id="000-a-step13-empty",
        ),
    ],
)
def test_000_a_step13_refused_uploads_say_why_in_bulgarian(name, data, code, message):
    assert refused(upload(name, data)) == (code, message)


def test_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("readme.txt", "hello")
    assert refused(upload("report.docx", out.getvalue()))[0] == "content_mismatch"


def test_dicom_file_cut_in_the_header_is_refused():
    data = dicom_bytes()[:200]
    assert refused(upload("ct.dcm", data)) == ("dicom_damaged", "DICOM файлът е повреден.")


def test_oversize_file_is_refused_before_it_is_read():
    file = upload("huge.pdf", b"%PDF-1.7\n" + bytes(25 * 1024 * 1024))
    code, message = refused(file)
    assert file.tell() == 0
    assert code == "too_large"
    assert message == "Файлът е 25,0\xa0МБ, а най-големият допустим размер е 20,0\xa0МБ."


def test_errors_are_in_english_for_english_speakers():
    with translation.override("en"):
        assert refused(upload("x.pdf", b"plain text")) == (
            "content_mismatch",
            "The file is not a PDF, despite the extension .pdf.",
        )
