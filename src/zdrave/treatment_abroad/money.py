"""The engine on a case: every money step (and the check that a case may be opened at all) is a
line the treatment-abroad engine decides (``engine.adjudication.abroad.adjudicate``) with the
facts of the case — the contract and its premiums, the person's earlier Best Doctors payments
(``zdrave.claims.abroad``), what this case already reserved or paid, the pre-certificate, the
stay and the return. Nothing here repeats a rule of the terms: covered conditions, limits
(001 т.28–31 / 003 т.25–28), the daily allowance (001 т.30 / 003 т.27), the exclusions (a
relative's own costs, 001 т.10.13–10.14) are the engine's. Reads only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language

from zdrave.claims.abroad import abroad_terms, contract_facts, history_for
from zdrave.claims.models import ClaimLine, ClaimStatus, Payment, PaymentStatus
from zdrave.engine.adjudication import abroad as engine
from zdrave.engine.adjudication.abroad_facts import Claim as FactsClaim
from zdrave.engine.adjudication.abroad_facts import (
    ClaimFacts,
    HistoryLine,
    Insured,
    Line,
    Precertificate,
)
from zdrave.engine.adjudication.abroad_limits import Usage, insurance_year
from zdrave.engine.adjudication.abroad_reasons import EXCLUSION_PREFIX, REASONS
from zdrave.engine.decisions import LineDecision, Reason
from zdrave.engine.money import ZERO, cents
from zdrave.engine.terms.abroad import AbroadCircumstance, AbroadTerms, BenefitCode, ConditionCode
from zdrave.treatment_abroad.models import AbroadCase, CaseCost, CostStatus

# The statement's lines that use the limits: a reservation until it is released, a bill the
# insurer paid the hospital or the partner. Money paid to the member through a claim is in the
# claims' own history (``history_for``).
USING_LIMITS = (CostStatus.RESERVED, CostStatus.PAID)
# Claims sent from a case that no decision has priced yet.
UNDECIDED = (
    ClaimStatus.SUBMITTED,
    ClaimStatus.PENDING_DOCUMENTS,
    ClaimStatus.REFERRED_ADJUSTER,
    ClaimStatus.REFERRED_MEDICAL,
    ClaimStatus.AWAITING_APPROVAL,
    ClaimStatus.REOPENED,
)


@dataclass(frozen=True)
class CostInput:
    benefit: str
    amount: Decimal
    date: dt.date
    quantity: int | None = None
    country: str = ""
    by_member_or_relative: bool = False  # 001 т.10.13 / 003 т.10.14
    post_operative_medicine: bool = False  # 001 т.53 / 003 т.49
    purchased: dt.date | None = None
    dose_days: int | None = None  # days of treatment a medicine supply covers (001 т.53)


def decide(case: AbroadCase, cost: CostInput, *, precertificate_on: dt.date | None = None):
    """The engine's decision on one ``cost`` of ``case`` (caller holds the person's lock when
    the result is stored). ``precertificate_on``: the pre-certificate being issued."""
    terms = abroad_terms(case.member.contract)
    decision = engine.adjudicate(terms, facts(case, [cost], precertificate_on=precertificate_on))
    return decision, decision.lines[0]


def facts(
    case: AbroadCase, costs: list[CostInput], *, precertificate_on: dt.date | None = None
) -> ClaimFacts:
    member = case.member
    contract = member.contract
    issued = precertificate_on or case.precertificate_issued
    discharged = timezone.localtime(case.discharged_at).date() if case.discharged_at else None
    return ClaimFacts(
        contract=contract_facts(contract),
        insured=Insured(
            id=str(member.person_id),
            birth_date=member.person.birth_date,
            covered_from=max(member.covered_from, contract.start),
            resident=True,  # 001 т.2-3: residence is checked when the contract is made
        ),
        history=history(case),
        claim=FactsClaim(
            ref=case.number,
            condition=ConditionCode(case.condition),
            diagnosis=case.diagnosis,
            notified=case.opened,
            first_symptoms=None,
            precertificate=Precertificate(issued=issued, hospital=case.hospital or None)
            if issued
            else None,
            returned_home=case.returned_on,
            hospital_nights=case.full_days or None,
            submitted=None,
            documents=None,
            circumstances=frozenset(),
            lines=tuple(_line(case, i, cost) for i, cost in enumerate(costs)),
            treatment_ended=discharged,
        ),
    )


def _line(case: AbroadCase, index: int, cost: CostInput) -> Line:
    benefit = BenefitCode(cost.benefit)
    circumstances = (
        frozenset({AbroadCircumstance.INCURRED_BY_INSURED_OR_RELATIVES})
        if cost.by_member_or_relative
        else frozenset()
    )
    return Line(
        index=index,
        benefit=benefit,
        date=cost.date,
        amount=ZERO if benefit is BenefitCode.DAILY_HOSPITAL_CASH else cost.amount,
        quantity=cost.quantity,
        hospital=case.hospital or None
        if benefit in (BenefitCode.TREATMENT_ABROAD, BenefitCode.DAILY_HOSPITAL_CASH)
        else None,
        purchased=cost.purchased or cost.date,
        nhif_paid=ZERO,
        other_insurer_paid=ZERO,
        dose_days=cost.dose_days,
        country=cost.country or None,
        submitted=None,
        circumstances=circumstances,
        post_operative_medicine=cost.post_operative_medicine,
    )


def _held(member_id: int):
    """What the person's cases reserved (or, before this module paid through claims, paid
    directly), and what they sent for payment on claims nobody has decided yet (a claims
    adjuster's four eyes): the claims' own lines count only once decided (``history_for``)."""
    decided_lines = ClaimLine.objects.filter(claim_id=OuterRef("claim_id"), payable__gt=0)
    return (
        CaseCost.objects.filter(case__member_id=member_id, payable__gt=0)
        .filter(
            Q(status__in=USING_LIMITS, claim__isnull=True)
            | Q(claim__status__in=UNDECIDED) & ~Exists(decided_lines)
        )
        .select_related("case")
    )


def history(case: AbroadCase) -> tuple[HistoryLine, ...]:
    """The person's paid Best Doctors claims and what this and their other cases reserved or
    sent for payment: all of it counts towards the limits of 001 т.28 / 003 т.25."""
    direct = _held(case.member_id)
    return history_for(case.member_id) + tuple(
        HistoryLine(
            benefit=BenefitCode(row.benefit),
            claim_ref=row.case.number,
            date=row.date,
            paid=row.payable,
            quantity=None,
        )
        for row in direct.order_by("date", "id")
    )


def opening_refusals(case: AbroadCase, today: dt.date) -> list[Reason]:
    """Why a case may not be opened today: the contract not in force (its term, premiums, the
    waiting period), or the diagnosis not one of the covered condition's (001 т.6, т.42)."""
    _decision, line = decide(
        case, CostInput(benefit=BenefitCode.SECOND_OPINION, amount=ZERO, date=today)
    )
    return list(line.reasons) if line.payable == ZERO and line.outcome == "rejected" else []


def reason_text(reason: Reason | dict, terms: AbroadTerms) -> str:
    """A reason of the engine in the member's language, with its clause."""
    code = reason["code"] if isinstance(reason, dict) else reason.code
    clause = reason["clause"] if isinstance(reason, dict) else reason.clause
    language = "bg" if (get_language() or "bg").startswith("bg") else "en"
    if code.startswith(EXCLUSION_PREFIX):
        wanted = code.removeprefix(EXCLUSION_PREFIX)
        for exclusion in terms.exclusions:
            if exclusion.code == wanted:
                text = exclusion.title.bg if language == "bg" else exclusion.title.en
                prefix = "Не се покрива" if language == "bg" else "Not covered"
                return f"{prefix}: {text} ({clause})"
    bg, en = REASONS.get(code, ("", ""))
    return f"{bg if language == 'bg' else en} ({clause})"


@dataclass(frozen=True)
class LimitBar:
    label: str
    clause: str
    limit: Decimal
    used: Decimal
    reserved: Decimal

    @property
    def left(self) -> Decimal:
        return max(ZERO, self.limit - self.used - self.reserved)

    @property
    def percent_used(self) -> int:
        return min(100, int(self.used * 100 / self.limit)) if self.limit else 100

    @property
    def percent_reserved(self) -> int:
        return min(100 - self.percent_used, int(self.reserved * 100 / self.limit))


def limit_bars(case: AbroadCase, today: dt.date, labels: dict[str, str]) -> list[LimitBar]:
    """The year and whole-term limits (001 т.28 / 003 т.25) and the medicines limit (001 т.29 /
    003 т.26): paid, reserved by pre-certificates, left."""
    terms = abroad_terms(case.member.contract)
    start = case.member.contract.start
    paid_lines = list(history_for(case.member_id))
    held = list(_held(case.member_id))
    paid_lines += [
        HistoryLine(BenefitCode(r.benefit), r.case.number, r.date, r.payable, None)
        for r in held
        if r.status == CostStatus.PAID and r.claim_id is None
    ]
    # Reserved: the pre-certificates' holds and the amounts waiting for a claims decision.
    reserved = sum(
        (r.payable for r in held if r.status != CostStatus.PAID or r.claim_id is not None), ZERO
    )
    usage = Usage(terms, start, case.number)
    for line in paid_lines:
        usage.record(line.date, line.benefit, line.paid)
    year = insurance_year(start, today)
    medicines = terms.benefit(BenefitCode.MEDICINES_AFTER_RETURN)
    bars = [
        LimitBar(
            labels["year"],
            terms.year_limit.clause,
            terms.year_limit.eur,
            cents(usage.by_year.get(year, ZERO)),
            cents(reserved),
        ),
        LimitBar(
            labels["lifetime"],
            terms.lifetime_limit.clause,
            terms.lifetime_limit.eur,
            cents(usage.total),
            cents(reserved),
        ),
    ]
    if medicines is not None and medicines.lifetime_limit is not None:
        bars.append(
            LimitBar(
                labels["medicines"],
                medicines.lifetime_limit.clause,
                medicines.lifetime_limit.eur,
                cents(usage.medicines),
                ZERO,
            )
        )
    return bars


def is_limit_cut(line: LineDecision) -> bool:
    return any(r.code in ("year-limit", "lifetime-limit") for r in line.reasons)


@dataclass(frozen=True)
class StatementLine:
    """One amount of the case as the member and the case manager read it: what the case's
    engine covered, what the claims engine decided on the claim, and each transfer with its
    SEPA batch and the day the bank paid it."""

    cost: CaseCost
    reason_texts: list[str]
    claim_status: str
    decided: Decimal | None
    decided_automatically: bool
    transfers: list
    paid: Decimal
    on_its_way: Decimal


@dataclass(frozen=True)
class Statement:
    lines: list[StatementLine]
    paid: Decimal
    on_its_way: Decimal
    reserved: Decimal


def statement(case: AbroadCase) -> Statement:
    terms = abroad_terms(case.member.contract)
    costs = list(case.costs.select_related("claim").order_by("date", "id"))
    claim_ids = {c.claim_id for c in costs if c.claim_id}
    from_claims = {}
    for line in ClaimLine.objects.filter(claim_id__in=claim_ids).order_by("claim_id", "index"):
        from_claims.setdefault(line.claim_id, []).append(line)
    payments: dict[int, list] = {}
    for payment in Payment.objects.filter(claim_id__in=claim_ids).select_related("batch"):
        payments.setdefault(payment.claim_id, []).append(payment)
    lines, seen = [], set()
    total_paid = total_way = reserved = ZERO
    for cost in costs:
        claim = cost.claim
        transfers = payments.get(cost.claim_id, []) if cost.claim_id not in seen else []
        # A claim of several costs (travel and stay) is paid once: its transfers show on its
        # first line, and each line shows what the claims engine decided on it.
        seen.add(cost.claim_id)
        decided = None
        if claim is not None and claim.status not in UNDECIDED:
            # The claim's lines follow its costs in the order they were made (``_pay``).
            siblings = sorted(c.pk for c in costs if c.claim_id == claim.pk)
            rows = from_claims.get(claim.pk, [])
            index = siblings.index(cost.pk)
            decided = rows[index].payable if index < len(rows) else None
        paid = sum((p.amount for p in transfers if p.status == PaymentStatus.PAID), ZERO)
        way = sum(
            (
                p.amount
                for p in transfers
                if p.status in (PaymentStatus.SCHEDULED, PaymentStatus.EXPORTED)
            ),
            ZERO,
        )
        if cost.status == CostStatus.RESERVED:
            reserved += cost.payable
        if cost.status == CostStatus.PAID and cost.claim_id is None:
            paid += cost.payable
        total_paid += paid
        total_way += way
        lines.append(
            StatementLine(
                cost=cost,
                reason_texts=[reason_text(r, terms) for r in cost.reasons],
                claim_status=claim.get_status_display() if claim is not None else "",
                decided=decided,
                decided_automatically=bool(claim and claim.decided_automatically),
                transfers=transfers,
                paid=paid,
                on_its_way=way,
            )
        )
    return Statement(lines, total_paid, total_way, reserved)
