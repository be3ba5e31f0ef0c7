"""The duplicate check at intake: a line already claimed is flagged for a person and never paid
twice. Two rules (docs/decisions.md): the same invoice number from the same provider, or the
same person, date of service and amount."""

from __future__ import annotations

from django.db.models import Q

from zdrave.claims.models import Claim, ClaimLine, ClaimStatus

IGNORED = (ClaimStatus.WITHDRAWN,)


def duplicate_flags(claim: Claim) -> list[dict]:
    """[{"line", "rule", "claim"}] for each line of ``claim`` that another live claim already
    holds."""
    flags: list[dict] = []
    others = ClaimLine.objects.exclude(claim=claim).exclude(claim__status__in=IGNORED)
    for line in claim.lines.all():
        query = Q(member_id=line.member_id, date=line.date, amount=line.amount)
        if line.invoice_number:
            query |= Q(invoice_number__iexact=line.invoice_number) & Q(
                claim__provider__iexact=claim.provider
            )
        for other in others.filter(query).select_related("claim")[:5]:
            same_invoice = bool(line.invoice_number) and (
                other.invoice_number.casefold() == line.invoice_number.casefold()
                and other.claim.provider.casefold() == claim.provider.casefold()
            )
            flags.append(
                {
                    "line": line.index,
                    "rule": "same_invoice" if same_invoice else "same_person_date_amount",
                    "claim": other.claim.number,
                }
            )
    return flags
