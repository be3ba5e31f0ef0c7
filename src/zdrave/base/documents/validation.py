"""Accepting a medical upload by what the file IS, never by what it is called.

000 а) стъпка 13 lets the member upload text documentation and images; 000 а) стъпка 14
counts pages and images for the translation allowance, so every accepted file is opened
with the library that understands its format and its pages or pixels are counted. Anything we
cannot open is refused with a reason the member can act on.
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
import zipfile
from dataclasses import dataclass

import docx
import filetype
import pydicom
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from zdrave.base.documents.formats import (
    DICOM,
    DOCX,
    EXTENSIONS,
    JPEG,
    LABELS,
    NAME_EXTENSIONS,
    PDF,
    PNG,
)
from zdrave.base.documents.models import FileKind

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MIN_IMAGE_SIDE = 200  # smaller than this is a thumbnail nobody can read a finding from
MAX_IMAGE_SIDE = 20_000
# Decompression-bomb guard: a 20 MB PNG of one colour can claim gigapixels.
MAX_IMAGE_PIXELS = 80_000_000
MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024
# The Bulgarian translators' "стандартна страница": 1 800 characters with spaces.
DOCX_CHARS_PER_PAGE = 1800


@dataclass(frozen=True)
class Detected:
    mime_type: str
    kind: FileKind
    size: int
    sha256: str
    pages: int | None = None
    pages_estimated: bool = False
    width: int | None = None
    height: int | None = None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mime_type]


def validate_upload(file, *, kind: FileKind | str | None = None) -> Detected:
    """Check an uploaded file by its content; raise ``ValidationError`` saying why it is refused.

    ``kind`` only matters for JPEG/PNG: a photo of a paper page may be uploaded as a text
    document (1 page) or an image; PDF and DOCX are always text documents, DICOM always an image.
    """
    return inspect_upload(read_upload(file), getattr(file, "name", "") or "", kind=kind)


def read_upload(file) -> bytes:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _too_large(size)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large(size or len(data))
    return data


def inspect_upload(data: bytes, name: str, *, kind: FileKind | str | None = None) -> Detected:
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    mime_type = _sniff(data)
    _check_name_matches(name, mime_type)
    details = INSPECTORS[mime_type](data)
    file_kind = _kind_for(mime_type, kind)
    if file_kind == FileKind.TEXT_DOCUMENT and mime_type in (JPEG, PNG):
        details["pages"] = 1  # a photographed or scanned page
    return Detected(
        mime_type=mime_type,
        kind=file_kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        **details,
    )


def _too_large(size: int) -> ValidationError:
    return ValidationError(
        _("The file is %(size)s; the largest file we accept is %(limit)s."),
        code="too_large",
        params={"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
    )


def _sniff(data: bytes) -> str | None:
    guess = filetype.guess(data)
    mime = guess.mime if guess else None
    if mime in ("application/zip", DOCX):
        return DOCX if _is_word_package(data) else None
    return mime if mime in EXTENSIONS else None


def _is_word_package(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "word/document.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False


def _check_name_matches(name: str, mime_type: str | None) -> None:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = NAME_EXTENSIONS.get(extension)
    if claimed and claimed != mime_type:
        raise ValidationError(
            _("The file is not a %(type)s, despite the extension .%(extension)s."),
            code="content_mismatch",
            params={"type": LABELS[claimed], "extension": extension},
        )
    if mime_type is None:
        raise ValidationError(
            _("This kind of file is not accepted. Upload PDF, DOCX, JPEG, PNG or DICOM files."),
            code="unsupported",
        )


def _kind_for(mime_type: str, requested: FileKind | str | None) -> FileKind:
    if mime_type in (PDF, DOCX):
        return FileKind.TEXT_DOCUMENT
    if mime_type == DICOM:
        return FileKind.MEDICAL_IMAGE
    return FileKind(requested) if requested else FileKind.MEDICAL_IMAGE


def _inspect_pdf(data: bytes) -> dict:
    broken = ValidationError(_("The PDF file is damaged."), code="pdf_damaged")
    # A cut-off upload loses the trailer; pypdf would quietly rebuild what is left.
    if b"%%EOF" not in data[-2048:]:
        raise broken
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("The PDF file is protected with a password. Upload it without the password."),
                code="pdf_encrypted",
            )
        pages = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018  (parses the page dictionary)
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many types on malformed input
        raise broken from exc
    if pages == 0:
        raise broken
    return {"pages": pages}


def _inspect_image(data: bytes) -> dict:
    broken = ValidationError(_("The image file is damaged."), code="image_damaged")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                _check_dimensions(width, height)
                image.verify()
            # verify() checks the structure only; decoding the pixels catches a cut-off file.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise _image_too_large() from exc
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError … on bad data
        raise broken from exc
    return {"width": width, "height": height}


def _check_dimensions(width: int, height: int) -> None:
    if width < MIN_IMAGE_SIDE or height < MIN_IMAGE_SIDE:
        raise ValidationError(
            _("The image is smaller than %(min)s×%(min)s pixels (it is %(width)s×%(height)s)."),
            code="image_too_small",
            params={"min": MIN_IMAGE_SIDE, "width": width, "height": height},
        )
    if max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise _image_too_large()


def _image_too_large() -> ValidationError:
    return ValidationError(
        _("The image is larger than %(max)s×%(max)s pixels or %(megapixels)s megapixels."),
        code="image_too_large",
        params={"max": MAX_IMAGE_SIDE, "megapixels": MAX_IMAGE_PIXELS // 1_000_000},
    )


def _inspect_dicom(data: bytes) -> dict:
    try:
        dataset = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True)
        if "SOPClassUID" not in dataset:
            raise ValueError("no SOP Class UID: not a DICOM object")
    except Exception as exc:  # pydicom raises InvalidDicomError, EOFError, ValueError …
        raise ValidationError(_("The DICOM file is damaged."), code="dicom_damaged") from exc
    return {"width": dataset.get("Columns"), "height": dataset.get("Rows")}


def _inspect_docx(data: bytes) -> dict:
    broken = ValidationError(_("The DOCX file is damaged."), code="docx_damaged")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(entry.file_size for entry in package.infolist())
        if unpacked > MAX_DOCX_UNCOMPRESSED:
            raise broken
        body = docx.Document(io.BytesIO(data)).element.body
    except ValidationError:
        raise
    except Exception as exc:  # python-docx raises KeyError, lxml errors, zipfile errors …
        raise broken from exc
    return {"pages": estimate_docx_pages(body), "pages_estimated": True}


def estimate_docx_pages(body) -> int:
    """Pages of a Word document, which has no fixed layout: the largest of its explicit page
    breaks, the page breaks Word recorded when it last laid the text out, and its length in
    standard translation pages (1 800 characters). See docs/decisions.md."""
    characters = sum(len(node.text or "") for node in body.iter(qn("w:t")))
    explicit = sum(1 for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page")
    rendered = sum(1 for _ in body.iter(qn("w:lastRenderedPageBreak")))
    by_length = math.ceil(characters / DOCX_CHARS_PER_PAGE)
    return max(1, explicit + 1, rendered + 1, by_length)


INSPECTORS = {
    PDF: _inspect_pdf,
    JPEG: _inspect_image,
    PNG: _inspect_image,
    DICOM: _inspect_dicom,
    DOCX: _inspect_docx,
}
