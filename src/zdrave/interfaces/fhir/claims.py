"""Claim → ClaimResponse, and the ExplanationOfBenefit of each.

A Claim names the patient (reference or ЕГН/card identifier), the Coverage, the diagnosis
(ICD-10) and one item per service row with its date and amount (``net``, EUR). ``use`` says
what it becomes (``USES``):

- ``claim``: provider claims of ``providers.settlement`` (``billing``), decided by the engine
  and paid in the monthly statement;
- ``preauthorization``: a pre-authorisation request of ``providers.preauth``
  (``preauthorisation``), decided by a medical expert; approval is a guarantee letter.

A double submit (the same ``Claim.identifier`` from the same institution) answers with the
first record and creates nothing. The ClaimResponse and EOB are read live from those records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.interfaces.fhir import billing, codes, preauthorisation
from zdrave.interfaces.fhir.answers import ZERO, Answer, Line
from zdrave.interfaces.fhir.emit import money
from zdrave.interfaces.fhir.models import ClaimExchange, ClaimUse
from zdrave.interfaces.fhir.outcome import FhirError
from zdrave.interfaces.fhir.patients import named_coverage, service_of, who
from zdrave.interfaces.fhir.resources import ref

USES = {ClaimUse.CLAIM: billing, ClaimUse.PREAUTHORIZATION: preauthorisation}
ICD10 = ("http://hl7.org/fhir/sid/icd-10", "urn:oid:2.16.840.1.113883.6.3")


def submit(claim_model, plain: dict, *, actor, institution) -> tuple[ClaimExchange, bool]:
    """Record ``claim_model`` (validated R4) and make it what its ``use`` says; returns the
    exchange and whether it is new. One transaction: a refused line leaves nothing behind."""
    use = claim_model.use
    if use not in USES:
        raise FhirError(
            422,
            "not-supported",
            _("use: %(use)s is not accepted here; send 'claim' or 'preauthorization'.")
            % {"use": use},
            "use",
        )
    provider = claim_model.provider.reference or ""
    if provider != f"Organization/{institution.pk}":
        raise FhirError(
            403,
            "forbidden",
            _("provider: the key acts for Organization/%(pk)s, not for %(ref)s.")
            % {"pk": institution.pk, "ref": provider or "?"},
            "provider",
        )
    number = _identifier(claim_model)
    if number:
        found = ClaimExchange.objects.filter(institution=institution, identifier=number).first()
        if found is not None:
            return found, False
    person = who(claim_model.patient, institution)
    if person.person is None:
        raise FhirError(
            404, "not-found", _("patient: no insured person with this identifier."), "patient"
        )
    coverage = named_coverage(claim_model.insurance, person.person)
    items = claim_model.item or []
    if not items:
        raise FhirError(422, "required", _("item: list at least one service."), "item")
    lines = [_line(item, index) for index, item in enumerate(items)]
    diagnosis = _diagnosis(claim_model)
    try:
        with transaction.atomic():
            exchange = ClaimExchange.objects.create(
                institution=institution,
                person=person.person,
                member=coverage,
                submitted_by=actor,
                use=use,
                identifier=number,
                received=plain,
                lines=lines,
                outcome="queued",
            )
            USES[use].submit(exchange, diagnosis)
            record(actor=actor, verb="fhir_claim", obj=exchange, use=use, person=person.person.pk)
    except IntegrityError:
        # The same hospital number sent twice at once: the other request made the record.
        return ClaimExchange.objects.get(institution=institution, identifier=number), False
    return exchange, True


def _identifier(claim_model) -> str:
    for identifier in claim_model.identifier or ():
        if identifier.value:
            return identifier.value.strip()[:30]
    return ""


def _diagnosis(claim_model) -> str:
    for diagnosis in claim_model.diagnosis or ():
        concept = diagnosis.diagnosisCodeableConcept
        for coding in getattr(concept, "coding", None) or ():
            if coding.code and (coding.system in ICD10 or coding.system is None):
                return coding.code
    raise FhirError(
        422,
        "required",
        _(
            "diagnosis: give the ICD-10 code as diagnosis[0].diagnosisCodeableConcept (system %(system)s)."
        )
        % {"system": ICD10[0]},
        "diagnosis",
    )


def _line(item, index: int) -> dict:
    where = f"item[{index}]"
    service = service_of(item.productOrService, f"{where}.productOrService")
    served = item.servicedDate.date if item.servicedDate is not None else None
    if not isinstance(served, dt.date):
        raise FhirError(
            422,
            "required",
            _("%(where)s.servicedDate: give the date of service.") % {"where": where},
            f"{where}.servicedDate",
        )
    billed = item.net or item.unitPrice
    if billed is None or billed.value is None or billed.value <= 0:
        raise FhirError(
            422,
            "required",
            _("%(where)s.net: give the amount billed in EUR, more than 0.") % {"where": where},
            f"{where}.net",
        )
    if (billed.currency or "EUR") != "EUR":
        raise FhirError(
            422,
            "value",
            _("%(where)s.net.currency: amounts are billed in EUR.") % {"where": where},
            f"{where}.net.currency",
        )
    quantity = item.quantity.value if item.quantity is not None else 1
    return {
        "sequence": index + 1,
        "service": service,
        "date": served.isoformat(),
        "billed": str(Decimal(str(billed.value)).quantize(Decimal("0.01"))),
        "quantity": int(quantity or 1),
    }


def answer_of(exchange: ClaimExchange) -> Answer:
    return USES[exchange.use].answer(exchange)


# -- the resources ----------------------------------------------------------------------------------


def claim(exchange: ClaimExchange) -> dict:
    return {**exchange.received, "id": str(exchange.pk)}


def _category(code: str) -> dict:
    return {"coding": [{"system": codes.ADJUDICATION, "code": code}]}


def _adjudication(line: Line) -> list[dict]:
    found = [{"category": _category("submitted"), "amount": money(line.billed)}]
    for category, amount in (("eligible", line.eligible), ("copay", line.copay),
                             ("benefit", line.benefit)):  # fmt: skip
        if amount is not None:
            found.append({"category": _category(category), "amount": money(amount)})
    return found


def _totals(answer: Answer) -> list[dict]:
    found = [
        {
            "category": _category("submitted"),
            "amount": money(sum((x.billed for x in answer.lines), ZERO)),
        }
    ]
    if answer.decided:
        total = sum((x.benefit for x in answer.lines), ZERO)
        found.append({"category": _category("benefit"), "amount": money(total)})
    return found


def _notes(answer: Answer) -> list[dict]:
    notes = []
    for line in answer.lines:
        for reason in line.reasons:
            notes.append({"number": len(notes) + 1, "type": "display", "text": reason})
    return notes


def _type(exchange: ClaimExchange) -> dict:
    return exchange.received.get("type") or {
        "coding": [{"system": codes.CLAIM_TYPE, "code": "institutional"}]
    }


def _common(exchange: ClaimExchange, answer: Answer, resource_type: str) -> dict:
    found = {
        "resourceType": resource_type,
        "id": str(exchange.pk),
        "status": "active",
        "type": _type(exchange),
        "use": exchange.use,
        "patient": ref("Patient", exchange.person_id),
        "created": exchange.created_at.isoformat(),
        "insurer": ref("Organization", codes.INSURER_ID),
        "outcome": answer.outcome,
    }
    if exchange.identifier:
        found["identifier"] = [{"system": codes.CLAIM, "value": exchange.identifier}]
    if answer.disposition:
        found["disposition"] = answer.disposition
    return found


def _pre_auth(found: dict, answer: Answer, *, eob: bool) -> None:
    """The guarantee letter: ClaimResponse.preAuthRef / preAuthPeriod (one), EOB.preAuthRef /
    preAuthRefPeriod (lists)."""
    if answer.pre_auth_ref:
        found["preAuthRef"] = [answer.pre_auth_ref] if eob else answer.pre_auth_ref
    if answer.pre_auth_period is not None:
        start, end = answer.pre_auth_period
        period = {"start": start.isoformat(), "end": end.isoformat()}
        if eob:
            found["preAuthRefPeriod"] = [period]
        else:
            found["preAuthPeriod"] = period


def claim_response(exchange: ClaimExchange) -> dict:
    answer = answer_of(exchange)
    found = _common(exchange, answer, "ClaimResponse")
    found["requestor"] = ref("Organization", exchange.institution_id)
    found["request"] = ref("Claim", exchange.pk)
    decided = [x for x in answer.lines if x.benefit is not None]
    if decided:
        found["item"] = [
            {"itemSequence": x.sequence, "adjudication": _adjudication(x)} for x in decided
        ]
    found["total"] = _totals(answer)
    _pre_auth(found, answer, eob=False)
    notes = _notes(answer)
    if notes:
        found["processNote"] = notes
    return found


def explanation_of_benefit(exchange: ClaimExchange) -> dict:
    """The EOB the hospital's and the patient's systems read: what was billed, what the insurer
    pays and what the patient pays, line by line (openIMIS offers none)."""
    answer = answer_of(exchange)
    found = _common(exchange, answer, "ExplanationOfBenefit")
    found.update(
        {
            "provider": ref("Organization", exchange.institution_id),
            "claim": ref("Claim", exchange.pk),
            "claimResponse": ref("ClaimResponse", exchange.pk),
            "insurance": [
                {"focal": True, "coverage": ref("Coverage", exchange.member_id or "unknown")}
            ],
            "item": [
                {
                    "sequence": x.sequence,
                    "productOrService": {"coding": [{"system": codes.SERVICE, "code": x.service}]},
                    "servicedDate": x.date,
                    "net": money(x.billed),
                    "adjudication": _adjudication(x),
                }
                for x in answer.lines
            ],
            "total": _totals(answer),
        }
    )
    if exchange.use == ClaimUse.CLAIM and answer.decided:
        total = sum((x.benefit for x in answer.lines), ZERO)
        found["payment"] = {
            "type": {
                "coding": [
                    {"system": codes.PAYMENT_TYPE, "code": "complete" if answer.paid else "partial"}
                ]
            },
            "amount": money(total),
        }
    _pre_auth(found, answer, eob=True)
    notes = _notes(answer)
    if notes:
        found["processNote"] = notes
    return found
