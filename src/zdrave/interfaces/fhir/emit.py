"""Every resource leaves through ``validated``: it is parsed into fhirclient's R4 model (strict:
an unknown element, a wrong type or a missing required element raises) and serialised back, so
nothing that is not valid R4 goes out. The same models parse what clients send (``parse``)."""

from __future__ import annotations

import json
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from fhirclient.models.fhirabstractbase import FHIRValidationError
from fhirclient.models.fhirelementfactory import FHIRElementFactory

from zdrave.interfaces.fhir.codes import CONTENT_TYPE
from zdrave.interfaces.fhir.outcome import FhirError


def model_of(resource: dict):
    """The fhirclient R4 model of ``resource`` (strict). Raises ``FHIRValidationError``."""
    kind = resource.get("resourceType")
    found = FHIRElementFactory.instantiate(kind, None)
    if type(found).__name__ != kind:  # the factory falls back to a bare Element
        raise FHIRValidationError([KeyError(f"unknown resourceType {kind!r}")])
    found.update_with_json(resource)
    return found


def validated(resource: dict) -> dict:
    """``resource`` as the R4 model writes it; raises ``FHIRValidationError`` when invalid."""
    return model_of(resource).as_json()


def parse(body: bytes, resource_type: str):
    """The ``resource_type`` a client sent in ``body``, as a validated fhirclient model, and the
    JSON as sent. Refuses malformed JSON, another resourceType and anything not valid R4."""
    try:
        data = json.loads(body or b"", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FhirError(
            400, "structure", _("The body is not valid JSON: %(error)s.") % {"error": exc}
        ) from None
    if not isinstance(data, dict):
        raise FhirError(400, "structure", _("The body must be one JSON object (a resource)."))
    kind = data.get("resourceType")
    if kind != resource_type:
        raise FhirError(
            400,
            "invalid",
            _("resourceType: this endpoint takes %(wanted)s, the body is %(sent)s.")
            % {"wanted": resource_type, "sent": kind or _("a body without resourceType")},
            "resourceType",
        )
    plain = json.loads(json.dumps(data, default=float))
    try:
        return model_of(plain), plain
    except FHIRValidationError as exc:
        raise FhirError(
            400,
            "invalid",
            _("%(type)s is not valid FHIR R4: %(error)s")
            % {"type": resource_type, "error": "; ".join(str(e) for e in exc.errors) or exc},
        ) from None


def fhir_response(resource: dict, status: int = 200, *, check: bool = True) -> HttpResponse:
    body = validated(resource) if check else resource
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    if body.get("resourceType") not in ("OperationOutcome", "Bundle", None) and body.get("id"):
        response["Location"] = f"{body['resourceType']}/{body['id']}"
    return response


def money(amount: Decimal) -> dict:
    """R4 Money in euro (004: every amount is paid in the currency of the contract, EUR since
    2026-01-01)."""
    return {"value": float(amount), "currency": "EUR"}
