"""``Claim.use = claim``: the bill for services given under the subscription form (002 VII,
004 Чл.29). Each item becomes one provider claim of ``providers.settlement`` on the eligibility
check the institution made for that person, service and day (made now, through the front desk,
when there is none yet): priced at the agreed or the reasonable and customary cost (004 Чл.29
т.11), decided by the engine like a member's claim, and paid in the institution's monthly
statement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zdrave.claims.catalogue import HEALTH
from zdrave.claims.display import reason_text
from zdrave.claims.models import ClaimStatus, Outcome
from zdrave.contracts.models import IdKind
from zdrave.interfaces.fhir.answers import Answer, Line
from zdrave.interfaces.fhir.models import ClaimExchange
from zdrave.interfaces.fhir.outcome import FhirError
from zdrave.products.terms import terms
from zdrave.providers.network import actions as network
from zdrave.providers.network.models import EligibilityCheck, Verdict
from zdrave.providers.settlement import actions as settlement
from zdrave.providers.settlement.models import Channel, ProviderClaim

DECIDED = (Outcome.APPROVED, Outcome.PARTIAL, Outcome.REJECTED)


def submit(exchange: ClaimExchange, diagnosis: str) -> None:
    """One provider claim per line of ``exchange`` (caller holds the transaction); a refusal
    of any line refuses the whole Claim (422 naming the item and the field)."""
    if not exchange.identifier:
        raise FhirError(
            422,
            "required",
            _("identifier: give the invoice or case number as Claim.identifier."),
            "identifier",
        )
    many = len(exchange.lines) > 1
    lines = []
    for line in exchange.lines:
        where = f"item[{line['sequence'] - 1}]"
        check = _check_for(exchange, line, where)
        try:
            billed = settlement.submit_provider_claim(
                settlement.ProviderClaimInput(
                    check_id=check.pk,
                    reference=f"{exchange.identifier}-{line['sequence']}"
                    if many
                    else exchange.identifier,
                    amount=Decimal(line["billed"]),
                    diagnosis=diagnosis,
                    quantity=line.get("quantity", 1),
                    idempotency_key=f"fhir-{exchange.pk}-{line['sequence']}",
                ),
                actor=exchange.submitted_by,
                institution=exchange.institution,
                channel=Channel.API,
            )
        except ValidationError as exc:
            raise FhirError(422, "business-rule", " ".join(exc.messages), where) from None
        lines.append({**line, "provider_claim": billed.pk})
        exchange.member_id = exchange.member_id or billed.claim.member_id
    exchange.lines = lines
    exchange.target_label = ProviderClaim._meta.label
    exchange.save(update_fields=["lines", "target_label", "member"])


def _check_for(exchange: ClaimExchange, line: dict, where: str) -> EligibilityCheck:
    """The institution's check for this person, service and day not billed yet; else a new one
    asked now, as the front desk would."""
    day = dt.date.fromisoformat(line["date"])
    found = (
        EligibilityCheck.objects.filter(
            institution=exchange.institution,
            person=exchange.person,
            service=line["service"],
            day=day,
            verdict__in=(Verdict.COVERED, Verdict.COPAYMENT),
        )
        .exclude(pk__in=ProviderClaim.objects.values("eligibility_check_id"))
        .order_by("-id")
        .first()
    )
    if found is not None:
        return found
    if exchange.person.id_kind != IdKind.EGN:
        raise FhirError(
            422,
            "business-rule",
            _("%(where)s: check eligibility first (CoverageEligibilityRequest) for this patient.")
            % {"where": where},
            where,
        )
    try:
        network.check_eligibility(
            actor=exchange.submitted_by,
            institution=exchange.institution,
            service=line["service"],
            day=day,
            egn=exchange.person.id_number,
            via_api=True,
        )
    except ValidationError as exc:
        raise FhirError(
            422, "code-invalid", " ".join(exc.messages), f"{where}.productOrService"
        ) from None
    return EligibilityCheck.objects.filter(
        institution=exchange.institution, person=exchange.person
    ).latest("id")


def answer(exchange: ClaimExchange) -> Answer:
    ids = [line["provider_claim"] for line in exchange.lines if "provider_claim" in line]
    billed = {
        p.pk: p for p in ProviderClaim.objects.filter(pk__in=ids).select_related("claim__contract")
    }
    lang = (get_language() or "bg")[:2]
    lines, statuses = [], []
    for line in exchange.lines:
        provider_claim = billed.get(line.get("provider_claim"))
        claim = provider_claim.claim if provider_claim is not None else None
        row = claim.lines.order_by("index").first() if claim is not None else None
        if claim is None or row is None or claim.outcome not in DECIDED:
            lines.append(
                Line(line["sequence"], line["service"], line["date"], Decimal(line["billed"]))
            )
            statuses.append(claim.get_status_display() if claim is not None else "")
            continue
        version = terms(HEALTH, claim.contract.product_version)
        reasons = tuple(
            f"{t.text} ({t.clause})" if t.clause else t.text
            for t in (reason_text(r, version, lang) for r in row.reasons or ())
        )
        lines.append(
            Line(
                line["sequence"],
                line["service"],
                line["date"],
                Decimal(line["billed"]),
                eligible=row.eligible,
                copay=row.copay,
                benefit=row.payable,
                reasons=reasons,
            )
        )
        statuses.append(claim.get_status_display())
    decided = [x for x in lines if x.benefit is not None]
    outcome = "complete" if len(decided) == len(lines) else ("partial" if decided else "queued")
    paid = bool(billed) and all(p.claim.status == ClaimStatus.PAID for p in billed.values())
    return Answer(outcome, "; ".join(s for s in statuses if s), lines, paid=paid)
