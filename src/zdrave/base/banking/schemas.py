"""The ISO 20022 schemas shipped in ``xsd/`` (see its README) and validation against them."""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import xmlschema
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

XSD_DIR = Path(__file__).resolve().parent / "xsd"
NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
# A bank file larger than this is not a payment report: refuse it before parsing.
MAX_FILE_BYTES = 20 * 1024 * 1024


def namespace(message: str) -> str:
    return NAMESPACE_PREFIX + message


def shipped(message: str) -> bool:
    return (XSD_DIR / f"{message}.xsd").is_file()


@functools.cache
def schema(message: str) -> xmlschema.XMLSchema:
    """The official schema of ``message`` (e.g. ``pain.001.001.09``), loaded once per process."""
    return xmlschema.XMLSchema(XSD_DIR / f"{message}.xsd")


def parse(data: bytes, *, label: str) -> xmlschema.XMLResource:
    """``data`` parsed as XML with entities and DTDs refused (a bank file never needs them), or a
    ``ValidationError`` naming ``label`` and saying the file is not XML."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("%(field)s: the file is larger than %(limit)d MB; a bank file is much smaller."),
            code="too_large",
            params={"field": label, "limit": MAX_FILE_BYTES // (1024 * 1024)},
        )
    try:
        return xmlschema.XMLResource(io.BytesIO(data), defuse="always", lazy=False)
    except (xmlschema.XMLResourceError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("%(field)s: the file is not readable XML (%(reason)s)."),
            code="not_xml",
            params={"field": label, "reason": _short(error)},
        ) from None


def validate(resource: xmlschema.XMLResource | bytes, message: str, *, label: str) -> None:
    """Raise a ``ValidationError`` naming ``label`` with the first place where the document breaks
    the official schema of ``message``."""
    if isinstance(resource, bytes):
        resource = parse(resource, label=label)
    error = next(schema(message).iter_errors(resource), None)
    if error is not None:
        raise ValidationError(
            _(
                "%(field)s: the file does not conform to the ISO 20022 schema %(message)s: %(reason)s"
            ),
            code="schema",
            params={"field": label, "message": message, "reason": _describe(error)},
        )


_QUALIFIER = re.compile(r"\{[^}]*\}")


def _describe(error: xmlschema.XMLSchemaValidationError) -> str:
    """Where and why, without the namespace that every element of the file shares."""
    where = error.path or ""
    reason = error.reason or str(error.message)
    return _QUALIFIER.sub("", f"{where} {reason}").strip()


def _short(error: Exception) -> str:
    return str(error).splitlines()[0][:200]
