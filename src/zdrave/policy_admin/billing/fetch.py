"""Reads for billing: a contract's schedule as the engine's ``Instalment``s, the money of a
termination before it is decided, the match of a bank line to contracts, the loss ratio of
group contracts (claims paid from ``zdrave.claims``), and ``access_*`` fetches with a 404."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404

from zdrave.base.banking.transliteration import transliterate
from zdrave.claims.models import Payment, PaymentStatus
from zdrave.contracts.models import (
    Contract,
    ContractStatus,
    ContractType,
    PremiumInstalment,
)
from zdrave.engine.adjudication.health_contract import Termination, notice_termination_date
from zdrave.engine.premiums import (
    Instalment,
    TerminationMoney,
    earned_premium,
    loss_ratio,
    termination_money,
)
from zdrave.policy_admin.billing.models import TO_MATCH, BillingTask, StatementLine

ZERO = Decimal("0.00")
# Claim payments that count as paid by the insurer for the loss ratio: made or on their way;
# a returned or cancelled payment was not paid, money to recover is taken off.
CLAIMS_PAID = (PaymentStatus.SCHEDULED, PaymentStatus.EXPORTED, PaymentStatus.PAID)


def costs_percent() -> Decimal:
    """004 Чл.25 т.7: the share of the premium built in for making and keeping the contract,
    deducted from a refund by agreement. The seeds give no figure: a reviewed setting
    (``settings.BILLING_COSTS_PERCENT``, default 20; docs/decisions.md "Billing (issue 11)")."""
    return Decimal(str(getattr(settings, "BILLING_COSTS_PERCENT", "20")))


def schedule(contract: Contract) -> list[Instalment]:
    return [
        Instalment(i.due, i.amount, i.paid_on)
        for i in PremiumInstalment.objects.filter(contract_id=contract.pk).order_by("due")
    ]


def effective_date(contract: Contract, kind: str, on: dt.date, decided_on: dt.date) -> dt.date:
    """By notice the termination takes effect at the end of the current insurance period with
    a month's notice (004 Чл.28 т.5); every other kind on the day the person chose."""
    if kind == Termination.NOTICE:
        return notice_termination_date(contract.start, decided_on)
    return on


def termination_preview(
    contract: Contract, kind: str, effective_on: dt.date, *, costs: Decimal | None = None
) -> TerminationMoney:
    return termination_money(
        Termination(kind),
        start=contract.start,
        end=contract.end,
        schedule=schedule(contract),
        effective_on=effective_on,
        costs_percent=costs_percent() if costs is None else costs,
    )


def outstanding(contract: Contract) -> Decimal:
    return sum(
        (i.amount - i.paid_amount for i in contract.instalments.filter(paid_on__isnull=True)),
        start=ZERO,
    )


# -- matching a bank line ------------------------------------------------------------------------

TOKEN = re.compile(r"[0-9A-ZА-Я][0-9A-ZА-Я\-/]{3,31}")


@dataclass(frozen=True)
class Match:
    """``contracts`` found for a line and how: ``reference`` (a contract number in the payment
    details), ``amount+payer`` (an instalment of that amount owed by a holder of that name),
    or nothing."""

    contracts: tuple[Contract, ...]
    how: str


def _norm_name(text: str) -> str:
    latin = transliterate(text or "")
    plain = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    noise = {"eood", "ood", "ad", "ead", "et", "sd", "kd"}
    return " ".join(w for w in words if w not in noise)


def names_match(payer: str, holder: str) -> bool:
    a, b = _norm_name(payer), _norm_name(holder)
    return bool(a) and bool(b) and (a == b or set(a.split()) == set(b.split()))


def match_line(remittance: str, reference: str, amount: Decimal, payer: str) -> Match:
    text = f"{remittance} {reference}".upper()
    tokens = {t.strip("-/") for t in TOKEN.findall(text)}
    by_number = list(Contract.objects.filter(number__in=tokens).select_related("holder"))
    if by_number:
        return Match(tuple(by_number), "reference")
    # Without a number: every contract in force with an untouched unpaid instalment of this
    # amount, compared by the holder's name (normalised in Python: Cyrillic or Latin).
    owed = (
        PremiumInstalment.objects.filter(
            paid_on__isnull=True,
            contract__status=ContractStatus.IN_FORCE,
            amount=amount,
            paid_amount=0,
        )
        .values_list("contract_id", "contract__holder__name")
        .distinct()
    )
    ids = {pk for pk, name in owed if names_match(payer, name)}
    named = list(Contract.objects.filter(pk__in=ids).select_related("holder").order_by("number"))
    return Match(tuple(named), "amount+payer" if named else "")


def lines_to_match():
    return StatementLine.objects.filter(status__in=TO_MATCH).select_related("statement", "contract")


# -- loss ratio ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LossRow:
    contract: Contract
    premium: Decimal
    earned: Decimal
    claims_paid: Decimal
    ratio: Decimal
    may_reprice: bool
    task: BillingTask | None


def claims_paid(contract_ids: list[int]) -> dict[int, Decimal]:
    rows = (
        Payment.objects.filter(claim__contract_id__in=contract_ids)
        .values("claim__contract_id")
        .annotate(
            paid=Sum("amount", filter=Q(status__in=CLAIMS_PAID)),
            back=Sum("amount", filter=Q(status=PaymentStatus.TO_RECOVER)),
        )
    )
    return {r["claim__contract_id"]: (r["paid"] or ZERO) - abs(r["back"] or ZERO) for r in rows}


def loss_ratios(on: dt.date) -> list[LossRow]:
    """Every group contract in force or ended early this term: premium, premium earned by
    ``on``, claims paid and the ratio (004 Чл.25 т.8), highest ratio first."""
    contracts = list(
        Contract.objects.filter(
            type=ContractType.GROUP,
            status__in=(ContractStatus.IN_FORCE, ContractStatus.TERMINATED),
        ).select_related("holder")
    )
    ids = [c.pk for c in contracts]
    premiums = dict(
        PremiumInstalment.objects.filter(contract_id__in=ids)
        .values("contract_id")
        .annotate(total=Sum("amount"))
        .values_list("contract_id", "total")
    )
    paid = claims_paid(ids)
    tasks = {
        t.contract_id: t
        for t in BillingTask.objects.filter(contract_id__in=ids, kind="repricing").order_by("id")
    }
    rows = []
    for contract in contracts:
        premium = premiums.get(contract.pk) or ZERO
        earned = earned_premium(contract.start, contract.end, premium, on, contract.terminated_on)
        claims = paid.get(contract.pk, ZERO)
        ratio = loss_ratio(claims, earned)
        rows.append(
            LossRow(
                contract,
                premium,
                earned,
                claims,
                ratio.loss_ratio,
                ratio.insurer_may_propose,
                tasks.get(contract.pk),
            )
        )
    rows.sort(key=lambda r: -r.ratio if r.ratio.is_finite() else Decimal("-1e9"))
    return rows


# -- 404 fetches ----------------------------------------------------------------------------------


def access_contract(number: str) -> Contract:
    return get_object_or_404(Contract.objects.select_related("holder"), number=number)


def access_task(pk: int, kinds: tuple[str, ...]) -> BillingTask:
    return get_object_or_404(
        BillingTask.objects.select_related("contract__holder", "instalment"), pk=pk, kind__in=kinds
    )


def access_line(pk: int) -> StatementLine:
    return get_object_or_404(StatementLine.objects.select_related("statement"), pk=pk)
