"""Reads, each behind ``can_access_provider_settlement``: a provider sees its own institution's
claims and statements; staff see all. ``access_*`` answers 404 so nobody learns what exists."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zdrave.base.identity.permissions import can_access_provider_settlement
from zdrave.providers.network.fetch import institution_of
from zdrave.providers.network.models import EligibilityCheck, Institution, Verdict
from zdrave.providers.settlement.models import (
    ProviderClaim,
    Recovery,
    RecoveryStatus,
    SettlementBatch,
    Statement,
    StatementStatus,
)


def own_institution(user) -> Institution | None:
    return institution_of(user)


def claims_of(institution: Institution) -> QuerySet[ProviderClaim]:
    return (
        ProviderClaim.objects.filter(institution=institution)
        .select_related("claim__member__person", "statement", "guarantee_letter")
        .order_by("-created_at", "-id")
    )


def statements_of(institution: Institution) -> QuerySet[Statement]:
    return Statement.objects.filter(institution=institution).order_by("-month", "-id")


def billable_checks(institution: Institution) -> QuerySet[EligibilityCheck]:
    """The institution's checks a claim may still be sent for: a person found and covered (or
    covered on a guarantee letter), no claim yet."""
    return (
        EligibilityCheck.objects.filter(
            institution=institution,
            verdict__in=(Verdict.COVERED, Verdict.COPAYMENT, Verdict.PREAUTHORISATION),
            person__isnull=False,
            provider_claims__isnull=True,
        )
        .select_related("person")
        .order_by("-at", "-id")
    )


def already_sent(institution: Institution, key: str) -> ProviderClaim | None:
    """The claim a form with this one-time ``key`` already made (a double click, a reload)."""
    key = (key or "").strip()[:40]
    if not key:
        return None
    return ProviderClaim.objects.filter(idempotency_key=f"{institution.pk}:{key}").first()


def access_statement(user, pk: int) -> Statement:
    found = Statement.objects.select_related("institution").filter(pk=pk).first()
    if found is None or not can_access_provider_settlement(user, found.institution):
        raise Http404(pk)
    return found


def access_provider_claim(user, pk: int) -> ProviderClaim:
    found = ProviderClaim.objects.select_related("institution", "claim").filter(pk=pk).first()
    if found is None or not can_access_provider_settlement(user):
        raise Http404(pk)
    return found


def access_recovery(user, pk: int) -> Recovery:
    found = Recovery.objects.select_related("provider_claim__claim").filter(pk=pk).first()
    if found is None or not can_access_provider_settlement(user):
        raise Http404(pk)
    return found


def access_batch(user, pk: int) -> SettlementBatch:
    found = SettlementBatch.objects.filter(pk=pk).first()
    if found is None or not can_access_provider_settlement(user):
        raise Http404(pk)
    return found


def overview():
    return {
        "unsettled": ProviderClaim.objects.filter(statement__isnull=True)
        .select_related("institution", "claim__member__person")
        .order_by("institution__name", "id")[:200],
        "to_send": Statement.objects.filter(status=StatementStatus.CLOSED)
        .select_related("institution")
        .order_by("id"),
        "statements": Statement.objects.select_related("institution", "batch").order_by(
            "-month", "institution__name"
        )[:100],
        "batches": SettlementBatch.objects.order_by("-created_at", "-id")[:20],
        "recoveries": Recovery.objects.select_related(
            "provider_claim__claim", "provider_claim__institution", "offset_statement"
        ).order_by("status", "-opened_at")[:100],
        "settled": ProviderClaim.objects.filter(statement__isnull=False)
        .select_related("institution", "claim", "statement")
        .order_by("-statement__month", "-id")[:100],
        "open_recoveries": Recovery.objects.filter(status=RecoveryStatus.OPEN).count(),
    }
