"""``Claim.use = preauthorization``: a request for prior approval (a guarantee letter, issue 12)
of one service row, planned on ``item[0].servicedDate`` for an estimated ``item[0].net``. It
becomes a ``providers.preauth`` request in the medical expert's queue; its ClaimResponse says
``queued`` until the expert decides, then carries the letter's number (``preAuthRef``), period
(``preAuthPeriod``) and the amount guaranteed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from zdrave.interfaces.fhir.answers import ZERO, Answer, Line
from zdrave.interfaces.fhir.models import ClaimExchange
from zdrave.interfaces.fhir.outcome import FhirError
from zdrave.providers.network.fetch import health_membership
from zdrave.providers.preauth import actions as preauth
from zdrave.providers.preauth.models import GuaranteeLetter, PreauthRequest, RequestStatus

FIELD = {
    "service": "item[0].productOrService",
    "planned_date": "item[0].servicedDate",
    "estimated_amount": "item[0].net",
    "diagnosis": "diagnosis",
}


def submit(exchange: ClaimExchange, diagnosis: str) -> None:
    if len(exchange.lines) != 1:
        raise FhirError(
            422,
            "business-rule",
            _("item: a pre-authorisation asks about exactly one service (%(count)s given).")
            % {"count": len(exchange.lines)},
            "item",
        )
    line = exchange.lines[0]
    planned = dt.date.fromisoformat(line["date"])
    member = exchange.member or health_membership(planned, person=exchange.person)
    if member is None:
        raise FhirError(
            422,
            "business-rule",
            _("insurance: no health contract covers this patient on %(day)s.")
            % {"day": planned.isoformat()},
            "insurance",
        )
    try:
        request = preauth.submit_request(
            actor=exchange.submitted_by,
            member=member,
            institution=exchange.institution,
            service=line["service"],
            planned_date=planned,
            estimated_amount=Decimal(line["billed"]),
            diagnosis=diagnosis,
            form_key=f"fhir-{exchange.pk}",
        )
    except PermissionDenied:
        raise FhirError(
            403, "forbidden", _("This key may not ask for pre-authorisation.")
        ) from None
    except ValidationError as exc:
        fields = getattr(exc, "error_dict", {})
        where = next((FIELD[f] for f in fields if f in FIELD), "")
        raise FhirError(422, "business-rule", " ".join(exc.messages), where) from None
    exchange.member = member
    exchange.target_label = PreauthRequest._meta.label
    exchange.target_pk = request.pk
    exchange.save(update_fields=["member", "target_label", "target_pk"])


def answer(exchange: ClaimExchange) -> Answer:
    request = PreauthRequest.objects.filter(pk=exchange.target_pk).first()
    line = exchange.lines[0]
    billed = Decimal(line["billed"])
    if request is None or request.status in (RequestStatus.SUBMITTED, RequestStatus.WITHDRAWN):
        status = request.get_status_display() if request is not None else ""
        return Answer(
            "queued" if status else "error",
            status,
            [Line(line["sequence"], line["service"], line["date"], billed)],
        )
    letter = GuaranteeLetter.objects.filter(request=request).first()
    amount = request.approved_amount if request.status != RequestStatus.REFUSED else ZERO
    reasons = tuple(
        x for x in (f"{request.reasons} ({request.clause})" if request.reasons else "",) if x
    )
    return Answer(
        "complete",
        request.get_status_display(),
        [
            Line(
                line["sequence"],
                line["service"],
                line["date"],
                billed,
                eligible=amount,
                copay=ZERO,
                benefit=amount,
                reasons=reasons,
            )
        ],
        pre_auth_ref=letter.number if letter is not None else "",
        pre_auth_period=(letter.valid_from, letter.valid_until) if letter is not None else None,
    )
