"""Pure rules of the health claims procedure (004 Чл.26 т.2, Чл.29) that the claims workflow
calls: its deadlines, the recovery of amounts paid without grounds, to whom and how a payment is
made, the prescription's date and doctor, and the wear period of medical aids.

Each function returns facts and reasons; where a clause gives the insurer a right (to withhold,
to ask), the result says so for a person to decide and changes nothing by itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from zdrave.engine.adjudication.reasons import code
from zdrave.engine.calendar import add_months, add_working_days
from zdrave.engine.decisions import Reason
from zdrave.engine.money import ZERO, cents, to_eur
from zdrave.engine.terms.rules import ClaimHandling

# 004 Чл.29 т.7: "на стойност до 20,00 лв., разходите за банков превод са за сметка на
# застрахованото лице" — 20 лв at the fixed rate.
SMALL_PAYMENT_EUR = to_eur(Decimal("20.00"), "BGN")


# ---- 004 Чл.29 т.2: the deadlines of the procedure ------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimDeadlines:
    """When the insurer must act on a claim received on ``received`` (the postmark date for a
    claim sent by post, 004 Чл.30 т.7)."""

    request_documents_by: dt.date  # 15 working days from receipt (004 Чл.29 т.2)
    final_answer_by: dt.date  # 6 months from the claim when documents stay missing (Чл.29 т.2)
    pay_by: dt.date | None  # 15 working days after the last document (Чл.29 т.2, Чл.24 т.4)
    clause: str


def claim_deadlines(
    terms: ClaimHandling, received: dt.date, complete_on: dt.date | None = None
) -> ClaimDeadlines:
    """The deadlines from the product's claim-handling terms: working days are Bulgarian ones
    (weekends and public holidays do not count); a period in months ends on the corresponding
    day of the last month (ЗЗД чл.72). ``complete_on`` is the day the last document arrived."""
    return ClaimDeadlines(
        request_documents_by=add_working_days(
            received, terms.request_missing_documents_working_days
        ),
        final_answer_by=add_months(received, terms.final_answer_months),
        pay_by=(
            add_working_days(complete_on, terms.decide_and_pay_working_days)
            if complete_on is not None
            else None
        ),
        clause=terms.decide_and_pay_clause,
    )


# ---- 004 Чл.26 т.2 and Чл.29 т.10: recovery of amounts paid without grounds -----------------


class RecoveryGround(StrEnum):
    """The cases of 004 Чл.29 т.10 (10.1–10.4)."""

    CARD_NOT_RETURNED = "card-not-returned"  # 10.1: used in the network after the cover ended
    OVER_LIMIT = "over-limit"  # 10.2 and Чл.26 т.2: subscription form above the limit
    EXCLUDED_RISK = "excluded-risk"  # 10.3: an excluded risk received in the network
    NOT_OWED = "not-owed"  # 10.4: any other payment outside what the contract covers


@dataclass(frozen=True, slots=True)
class NetworkPayment:
    """What the insurer paid a provider for the person in the subscription form."""

    day: dt.date
    amount: Decimal  # euro
    excluded: bool = False  # an excluded risk (Чл.21), found after the payment
    owed: bool = True  # False: outside the contracted covers for another reason


@dataclass(frozen=True, slots=True)
class Receivable:
    """What the insured person owes back, by ground, with the clauses. The insurer notifies the
    person in writing of the amount, terms and way of repayment (Чл.29 т.10.5); it *may*
    withhold the amount from a later reimbursement (Чл.26 т.2): ``offset``."""

    amounts: dict[RecoveryGround, Decimal]
    reasons: tuple[Reason, ...]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), start=ZERO)


def recovery_receivable(
    payments: list[NetworkPayment],
    limit: Decimal | None,
    cover_ended: dt.date | None = None,
    card_returned: bool = True,
) -> Receivable:
    """The amounts a person owes for network payments (004 Чл.29 т.10): after the end of their
    cover when they kept the card (10.1), above the limit (10.2, counted in date order), for an
    excluded risk (10.3) or otherwise not owed (10.4). Each euro falls under one ground, in
    that order."""
    amounts: dict[RecoveryGround, Decimal] = {}
    used = ZERO
    for item in sorted(payments, key=lambda p: p.day):
        if cover_ended is not None and item.day >= cover_ended:
            if not card_returned:
                _add(amounts, RecoveryGround.CARD_NOT_RETURNED, item.amount)
            else:
                _add(amounts, RecoveryGround.NOT_OWED, item.amount)
            continue
        if item.excluded:
            _add(amounts, RecoveryGround.EXCLUDED_RISK, item.amount)
            continue
        if not item.owed:
            _add(amounts, RecoveryGround.NOT_OWED, item.amount)
            continue
        within = item.amount
        if limit is not None:
            within = max(min(item.amount, limit - used), ZERO)
            if within < item.amount:
                _add(amounts, RecoveryGround.OVER_LIMIT, item.amount - within)
        used += within
    reasons = tuple(
        code(f"recovery-{ground.value}").reason(detail=f"({amount} EUR)")
        for ground, amount in amounts.items()
    )
    return Receivable(amounts, reasons)


def _add(amounts: dict[RecoveryGround, Decimal], ground: RecoveryGround, amount: Decimal) -> None:
    amounts[ground] = amounts.get(ground, ZERO) + amount


@dataclass(frozen=True, slots=True)
class Offset:
    """A proposal, not an effect: 004 Чл.26 т.2 gives the insurer the *right* to withhold the
    excess from a later reimbursement claim; a person decides."""

    withhold: Decimal
    pay: Decimal
    still_owed: Decimal
    insurer_may_withhold: bool
    clause: str = "004 Чл.26 т.2"


def offset(receivable: Receivable, payable: Decimal) -> Offset:
    """How much of a later reimbursement the insurer may withhold for the over-limit part
    (Чл.26 т.2 names only the subscription-form excess), and what would remain."""
    excess = receivable.amounts.get(RecoveryGround.OVER_LIMIT, ZERO)
    withhold = min(excess, payable)
    return Offset(withhold, payable - withhold, receivable.total - withhold, withhold > ZERO)


# ---- 004 Чл.29 т.7–8: to whom and how the insurer pays --------------------------------------


class Payee(StrEnum):
    INSURED = "insured"  # the insured person's own account named in the claim form
    INTERMEDIARY = "intermediary"  # an insurance intermediary or another person
    HEIRS = "heirs"  # the legal heirs of an insured person who died


@dataclass(frozen=True, slots=True)
class PaymentCheck:
    allowed: bool
    bank_fee_borne_by_insured: bool
    reasons: tuple[Reason, ...]


def payment_check(
    payee: Payee,
    amount: Decimal,
    *,
    account_of_payee: bool = True,
    notarised_power_of_attorney: bool = False,
    insured_died: bool = False,
    heirs_documented: bool = False,
) -> PaymentCheck:
    """004 Чл.29 т.7: reimbursement goes to the personal account the insured named in the
    claim; to an intermediary or another person only on a power of attorney with notarised
    signatures for that claim or payment; for amounts up to 20.00 лв (10.23 EUR) the bank fee
    is the insured's. Чл.29 т.8: after the insured's death, to the legal heirs on the cost
    documents of the provider."""
    found: list[Reason] = []
    if not account_of_payee:
        found.append(code("payee-account-not-own").reason())
    if payee is Payee.INTERMEDIARY and not notarised_power_of_attorney:
        found.append(code("payee-needs-notarised-power").reason())
    if payee is Payee.HEIRS and not (insured_died and heirs_documented):
        found.append(code("heirs-need-documents").reason())
    if payee is Payee.INSURED and insured_died:
        found.append(code("insured-died-pay-heirs").reason())
    small = cents(amount) <= SMALL_PAYMENT_EUR
    notes = (code("bank-fee-small-payment").reason(),) if small else ()
    return PaymentCheck(not found, small, tuple(found) + notes)


# ---- 004 Чл.29 т.2: prescriptions and medical aids ------------------------------------------


def prescription_reasons(
    examined_on: dt.date, examined_by: str, issued_on: dt.date, issued_by: str
) -> tuple[Reason, ...]:
    """ "Рецептата трябва да бъде издадена на датата на прегледа и от лекаря, който го е
    извършил" (004 Чл.29 т.2): a prescription that is not is a document that does not meet
    the requirements — the insurer asks for a correct one (it is not a refusal)."""
    found = []
    if issued_on != examined_on:
        found.append(
            code("prescription-not-on-examination-day").reason(
                detail=f"(issued {issued_on.isoformat()}, examined {examined_on.isoformat()})"
            )
        )
    if issued_by.strip().casefold() != examined_by.strip().casefold():
        found.append(code("prescription-not-by-examining-doctor").reason())
    return tuple(found)


def aid_wear_reason(
    last_reimbursed: dt.date, wear_months: int, bought: dt.date, medical_reason: bool
) -> Reason | None:
    """004 Чл.29 т.2: after the insurer reimbursed a medical aid, a new claim for the same kind
    may be made only after its usual wear period, unless buying earlier is medically needed.
    The seeds give no wear periods: the caller gives the usual one for the kind of aid. The
    period ends on the corresponding day (ЗЗД чл.72); the first allowed day is the next."""
    ends = add_months(last_reimbursed, wear_months)
    if bought > ends or medical_reason:
        return None
    first = ends + dt.timedelta(days=1)
    return code("aid-wear-period").reason(
        detail=f"(reimbursed {last_reimbursed.isoformat()}; again from {first.isoformat()})"
    )
