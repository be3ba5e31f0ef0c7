"""Claim → ClaimResponse, and the ExplanationOfBenefit of each.

A Claim names the patient (reference or ЕГН/card identifier), the Coverage, and one item per
service row with its date and the amount billed (``net``). ``use`` says what it is:

- ``claim``: the bill for services given under the subscription form (002 VII, 004 Чл.29). Each
  item is decided like the front desk's answer — the engine on the person's real contract at the
  institution's agreed price (``providers.network.front_desk.answer_for``).
- ``preauthorization``: a request for a guarantee letter (issue 12); see ``HANDLERS``.

A double submit (the same ``Claim.identifier`` from the same institution) answers with the
first record and creates nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.interfaces.fhir import codes
from zdrave.interfaces.fhir.emit import money
from zdrave.interfaces.fhir.models import ClaimExchange, ClaimUse
from zdrave.interfaces.fhir.outcome import FhirError
from zdrave.interfaces.fhir.patients import named_coverage, service_of, who
from zdrave.interfaces.fhir.resources import ref
from zdrave.providers.network.fetch import health_membership
from zdrave.providers.network.front_desk import UnknownService, answer_for
from zdrave.providers.network.models import Verdict

ZERO = Decimal("0.00")
PAID = {Verdict.COVERED, Verdict.COPAYMENT}


def submit(claim_model, plain: dict, *, actor, institution) -> tuple[ClaimExchange, bool]:
    """Record and answer one Claim; returns the exchange and whether it is new."""
    use = claim_model.use
    if use not in HANDLERS:
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
            HANDLERS[use](exchange)
            record(actor=actor, verb="fhir_claim", obj=exchange, use=use, person=person.person.pk)
    except IntegrityError:
        # The same hospital number sent twice at once: the other request made the record.
        return ClaimExchange.objects.get(institution=institution, identifier=number), False
    return exchange, True


def _identifier(claim_model) -> str:
    for identifier in claim_model.identifier or ():
        if identifier.value:
            return identifier.value.strip()[:64]
    return ""


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
    return {
        "sequence": item.sequence,
        "service": service,
        "date": served.isoformat(),
        "billed": str(Decimal(str(billed.value)).quantize(Decimal("0.01"))),
    }


# -- what each use becomes -----------------------------------------------------------------------


def adjudicate_at_front_desk(exchange: ClaimExchange) -> None:
    """Each line decided as the front desk answers it on its date (the engine at the agreed
    price): the insurer pays its share of the lower of the bill and the agreed price (004 Чл.29
    т.11: no more than the price agreed with the institution); a line that needs pre-authorisation
    or is not covered pays nothing and says why, with the clause."""
    lines = []
    for line in exchange.lines:
        day = dt.date.fromisoformat(line["date"])
        member = exchange.member or health_membership(day, person=exchange.person)
        try:
            answer = answer_for(
                exchange.institution, line["service"], day, person=exchange.person, member=member
            )
        except UnknownService:
            raise FhirError(
                422,
                "code-invalid",
                _("item[%(n)s].productOrService: %(code)s is not a service row of 002.")
                % {"n": line["sequence"], "code": line["service"]},
                "item.productOrService",
            ) from None
        billed = Decimal(line["billed"])
        pays = answer.insurer_pays if answer.verdict in PAID else ZERO
        if answer.price is not None and billed < answer.price and answer.price:
            pays = (pays * billed / answer.price).quantize(Decimal("0.01"))
        eligible = min(billed, answer.price) if answer.price is not None else ZERO
        lines.append(
            {
                **line,
                "verdict": answer.verdict,
                "eligible": str(eligible if answer.verdict in PAID else ZERO),
                "benefit": str(pays),
                "copay": str(answer.member_pays if answer.verdict in PAID else ZERO),
                "reasons": [f"{r.text} ({r.clause})" for r in answer.reasons],
            }
        )
    exchange.lines = lines
    exchange.outcome = "complete"
    paid = [line for line in lines if Decimal(line["benefit"]) > 0]
    exchange.disposition = _("Adjudicated: %(paid)s of %(all)s lines payable.") % {
        "paid": len(paid),
        "all": len(lines),
    }
    exchange.save(update_fields=["lines", "outcome", "disposition"])


HANDLERS: dict[str, Callable[[ClaimExchange], None]] = {
    ClaimUse.CLAIM: adjudicate_at_front_desk,
}


def register_handler(use: str, handler: Callable[[ClaimExchange], None]) -> None:
    HANDLERS[use] = handler


# -- the resources ----------------------------------------------------------------------------------


def claim(exchange: ClaimExchange) -> dict:
    return {**exchange.received, "id": str(exchange.pk)}


def _adjudication(line: dict) -> list[dict]:
    found = [
        {"category": _category("submitted"), "amount": money(Decimal(line["billed"]))},
    ]
    for key, category in (("eligible", "eligible"), ("copay", "copay"), ("benefit", "benefit")):
        if key in line:
            found.append({"category": _category(category), "amount": money(Decimal(line[key]))})
    return found


def _category(code: str) -> dict:
    return {"coding": [{"system": codes.ADJUDICATION, "code": code}]}


def _totals(exchange: ClaimExchange) -> list[dict]:
    found = []
    for key, category in (("billed", "submitted"), ("benefit", "benefit")):
        if all(key in line for line in exchange.lines):
            total = sum((Decimal(line[key]) for line in exchange.lines), ZERO)
            found.append({"category": _category(category), "amount": money(total)})
    return found


def _notes(exchange: ClaimExchange) -> list[dict]:
    notes = []
    for line in exchange.lines:
        for reason in line.get("reasons", ()):
            notes.append({"number": len(notes) + 1, "type": "display", "text": reason})
    return notes


def _type(exchange: ClaimExchange) -> dict:
    received = exchange.received.get("type")
    return received or {"coding": [{"system": codes.CLAIM_TYPE, "code": "institutional"}]}


def claim_response(exchange: ClaimExchange) -> dict:
    found = {
        "resourceType": "ClaimResponse",
        "id": str(exchange.pk),
        "status": "active",
        "type": _type(exchange),
        "use": exchange.use,
        "patient": ref("Patient", exchange.person_id),
        "created": exchange.created_at.isoformat(),
        "insurer": ref("Organization", codes.INSURER_ID),
        "requestor": ref("Organization", exchange.institution_id),
        "request": ref("Claim", exchange.pk),
        "outcome": exchange.outcome,
    }
    if exchange.identifier:
        found["identifier"] = [{"system": codes.CLAIM, "value": exchange.identifier}]
    if exchange.disposition:
        found["disposition"] = exchange.disposition
    if any("benefit" in line for line in exchange.lines):
        found["item"] = [
            {"itemSequence": line["sequence"], "adjudication": _adjudication(line)}
            for line in exchange.lines
        ]
    totals = _totals(exchange)
    if totals:
        found["total"] = totals
    notes = _notes(exchange)
    if notes:
        found["processNote"] = notes
    return found


def explanation_of_benefit(exchange: ClaimExchange) -> dict:
    """The EOB the patient's and the hospital's systems read: what was billed, what the insurer
    pays and what the patient pays, line by line (openIMIS offers none)."""
    member_pk = exchange.member_id or _member_pk(exchange)
    found = {
        "resourceType": "ExplanationOfBenefit",
        "id": str(exchange.pk),
        "status": "active",
        "type": _type(exchange),
        "use": exchange.use,
        "patient": ref("Patient", exchange.person_id),
        "created": exchange.created_at.isoformat(),
        "insurer": ref("Organization", codes.INSURER_ID),
        "provider": ref("Organization", exchange.institution_id),
        "claim": ref("Claim", exchange.pk),
        "claimResponse": ref("ClaimResponse", exchange.pk),
        "outcome": exchange.outcome,
        "insurance": [{"focal": True, "coverage": ref("Coverage", member_pk)}],
        "item": [
            {
                "sequence": line["sequence"],
                "productOrService": {
                    "coding": [{"system": codes.SERVICE, "code": line["service"]}]
                },
                "servicedDate": line["date"],
                "net": money(Decimal(line["billed"])),
                "adjudication": _adjudication(line),
            }
            for line in exchange.lines
        ],
    }
    if exchange.disposition:
        found["disposition"] = exchange.disposition
    totals = _totals(exchange)
    if totals:
        found["total"] = totals
    benefit = next((t for t in totals if t["category"]["coding"][0]["code"] == "benefit"), None)
    if benefit is not None and exchange.use == ClaimUse.CLAIM:
        found["payment"] = {"amount": benefit["amount"]}
    notes = _notes(exchange)
    if notes:
        found["processNote"] = notes
    return found


def _member_pk(exchange: ClaimExchange) -> int | str:
    first = (
        dt.date.fromisoformat(exchange.lines[0]["date"]) if exchange.lines else timezone.localdate()
    )
    member = health_membership(first, person=exchange.person)
    return member.pk if member is not None else "unknown"
