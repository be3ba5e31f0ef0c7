"""The duplicate check at intake: a line already claimed is flagged for a person and never paid
twice. Two rules (docs/decisions.md): the same invoice number from the same provider, or the
same person, date of service and amount."""

from __future__ import annotations

from django.db.models import Q

from zdrave.claims.models import Claim, ClaimLine, ClaimStatus

IGNORED = (ClaimStatus.WITHDRAWN,)


def duplicate_flags(
    claim: Claim, rows: list[ClaimLine] | None = None, others: list[dict] | None = None
) -> list[dict]:
    """[{"line", "rule", "claim"}] for each line of ``claim`` that another live claim already
    holds — one query for all the lines. ``others``: the lines that query finds, when the
    caller has read them already (a submission on PostgreSQL: ``fetch.read_after_lock``, which
    asks the same in SQL)."""
    rows = list(claim.lines.all()) if rows is None else rows
    if not rows:
        return []
    if others is None:
        others = candidates(claim, rows)
    return _flags(claim, rows, others)


def candidates(claim: Claim, rows: list[ClaimLine]) -> list[dict]:
    """Other live claims' lines with the same person, date and amount as a line of ``claim``,
    or the same invoice number from the same provider (case aside), at most 50."""
    query = Q()
    for line in rows:
        query |= Q(member_id=line.member_id, date=line.date, amount=line.amount)
        if line.invoice_number:
            query |= Q(invoice_number__iexact=line.invoice_number) & Q(
                claim__provider__iexact=claim.provider
            )
    others = ClaimLine.objects.all() if claim.pk is None else ClaimLine.objects.exclude(claim=claim)
    others = (
        others.exclude(claim__status__in=IGNORED)
        .filter(query)
        .values("member_id", "date", "amount", "invoice_number", "claim__provider", "claim__number")
    )
    return list(others[:50])


def _flags(claim: Claim, rows: list[ClaimLine], others: list[dict]) -> list[dict]:
    flags: list[dict] = []
    for other in others:
        for line in rows:
            same_invoice = bool(line.invoice_number) and (
                other["invoice_number"].casefold() == line.invoice_number.casefold()
                and other["claim__provider"].casefold() == claim.provider.casefold()
            )
            same_day = (other["member_id"], other["date"], other["amount"]) == (
                line.member_id,
                line.date,
                line.amount,
            )
            if same_invoice or same_day:
                flags.append(
                    {
                        "line": line.index,
                        "rule": "same_invoice" if same_invoice else "same_person_date_amount",
                        "claim": other["claim__number"],
                    }
                )
    return flags
