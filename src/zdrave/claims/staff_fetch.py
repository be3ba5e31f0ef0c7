"""Reads for the staff pages of claims: which claims a staff member may open, the queue sorted by
the statutory clock (004 Чл.29 т.2), the words the pages show for stored codes (reasons,
documents, services, history steps), and the figures of the claims dashboard."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.permissions import can_review_claims_medically, can_work_claims
from zdrave.claims import states
from zdrave.claims.clocks import Clock, Flag, clock_for
from zdrave.claims.fetch import visible_claims
from zdrave.claims.models import Claim, ClaimStatus
from zdrave.engine.adjudication.index import index_for
from zdrave.engine.adjudication.reasons import EXCLUDED_PREFIX, REASON_CODES
from zdrave.engine.money import ZERO, to_eur
from zdrave.products.models import Product
from zdrave.products.terms import terms

S = ClaimStatus
# The adjusters' open work; decided, paid and withdrawn claims are found with the status filter.
QUEUE_STATUSES = (*states.OPEN, S.AWAITING_APPROVAL, S.PAYMENT_FAILED)
PAGE_SIZE = 50


# -- who opens what ------------------------------------------------------------------------------


def staff_claims(user) -> QuerySet[Claim]:
    """The claims a staff member works: a claims adjuster every claim, the medical expert the
    claims referred to the medical expert (the medical questions only); nobody else any."""
    claims = visible_claims(user)
    if can_work_claims(user):
        return claims
    if can_review_claims_medically(user):
        return claims.filter(status=S.REFERRED_MEDICAL)
    return claims.none()


def access_staff_claim(user, number: str) -> Claim:
    """The claim ``number`` for a staff page, or 404 (nobody learns which numbers exist)."""
    claim = (
        staff_claims(user)
        .select_related("assigned_to", "contract__holder")
        .filter(number=number)
        .first()
    )
    if claim is None:
        raise Http404(number)
    return claim


# -- the queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    product: str = ""
    due: str = ""  # "" | "overdue" | "at_risk" (at risk or overdue)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    mine: bool = False


@dataclass(frozen=True)
class QueueRow:
    claim: Claim
    claimed: Decimal  # the lines' amounts in euro (leva at the fixed rate)
    clock: Clock


def queue(user, filters: QueueFilters, *, today: dt.date | None = None) -> list[QueueRow]:
    """The claims ``user`` works, filtered, soonest statutory due date first (004 Чл.29 т.2)."""
    today = today or timezone.localdate()
    claims = staff_claims(user).select_related("assigned_to")
    if filters.status:
        claims = claims.filter(status=filters.status)
    elif can_work_claims(user):
        claims = claims.filter(status__in=QUEUE_STATUSES)
    if filters.product:
        claims = claims.filter(contract__product_code=filters.product)
    if filters.mine:
        claims = claims.filter(assigned_to=user)
    claims = claims.annotate(
        eur=Sum("lines__amount", filter=Q(lines__currency="EUR")),
        bgn=Sum("lines__amount", filter=Q(lines__currency="BGN")),
    )
    rows = []
    for claim in claims:
        claimed = to_eur(claim.eur or ZERO, "EUR") + to_eur(claim.bgn or ZERO, "BGN")
        if filters.amount_min is not None and claimed < filters.amount_min:
            continue
        if filters.amount_max is not None and claimed > filters.amount_max:
            continue
        clock = clock_for(claim, today)
        if filters.due == Flag.OVERDUE and clock.flag != Flag.OVERDUE:
            continue
        if filters.due == Flag.AT_RISK and clock.flag not in (Flag.AT_RISK, Flag.OVERDUE):
            continue
        rows.append(QueueRow(claim, claimed, clock))
    rows.sort(key=lambda r: (r.clock.due or dt.date.max, r.claim.submitted, r.claim.pk))
    return rows


def product_choices(language: str) -> list[tuple[str, str]]:
    return [(p.code, p.name(language)) for p in Product.objects.order_by("code")]


# -- words for stored codes ----------------------------------------------------------------------

FLAG_LABELS = {
    Flag.ON_TIME: _("On time"),
    Flag.AT_RISK: _("At risk"),
    Flag.OVERDUE: _("Overdue"),
    Flag.DONE: _("Clock stopped"),
}
CLOCK_LABELS = {
    "request_documents": _("Ask for missing documents by"),
    "pay": _("Decide and pay by"),
    "final_answer": _("Final answer by"),
}
DUPLICATE_RULES = {
    "same_invoice": _("Same invoice number from the same provider"),
    "same_person_date_amount": _("Same person, date of service and amount"),
}
EVENT_LABELS = {
    "submitted": _("Claim received"),
    "auto_decided": _("Decided by the platform"),
    "documents_requested": _("Missing documents requested"),
    "documents_added": _("Documents added"),
    "referred": _("Referred"),
    "medical_opinion": _("Medical opinion given"),
    "decision_proposed": _("Decision proposed for a second approval"),
    "approved": _("Decision approved (second person)"),
    "approval_note": _("Note of the second person"),
    "sent_back": _("Decision sent back"),
    "decided": _("Decided by a claims adjuster"),
    "reopened": _("Reopened"),
    "withdrawn": _("Withdrawn by the member"),
    "assigned": _("Taken from the queue"),
    "payment_scheduled": _("Payment scheduled"),
    "overpayment": _("Overpayment to recover"),
    "paid": _("Paid"),
    "payment_failed": _("Payment failed"),
    "payment_returned": _("Payment returned by the bank"),
    "account_changed": _("New account given"),
}

# Steps whose note lists document keys, and steps whose note is about money or accounts.
DOCUMENT_KINDS = ("documents_requested", "documents_added")
PAYMENT_KINDS = (
    "payment_scheduled",
    "overpayment",
    "paid",
    "payment_failed",
    "payment_returned",
    "account_changed",
)


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, _("Other step")))


@dataclass
class Words:
    """The names of a claim's services, documents and reasons in ``language``, from the terms
    of the claim's product version."""

    language: str
    services: dict[str, str] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)
    exclusions: dict[str, str] = field(default_factory=dict)
    circumstances: dict[str, str] = field(default_factory=dict)

    def service(self, code: str) -> str:
        return self.services.get(code, "")

    def document(self, key: str) -> str:
        return self.documents.get(key) or str(_("Other document"))

    def circumstance(self, value: str) -> str:
        """A declared circumstance by the exclusion of 004 Чл.21 it brings into play."""
        return self.circumstances.get(value) or str(_("Other circumstance"))

    def reason(self, reason: dict) -> str:
        """A reason in plain words: the engine's reason codes (``docs/reason-codes.md``), an
        exclusion's title, or the adjuster's own words for an override."""
        code = reason.get("code", "")
        if code == "override":
            return reason.get("message", "")
        known = REASON_CODES.get(code)
        if known is not None:
            return known.en if self.language.startswith("en") else known.bg
        if code.startswith(EXCLUDED_PREFIX):
            title = self.exclusions.get(code[len(EXCLUDED_PREFIX) :])
            if title:
                return title
        return reason.get("message", "")


def words_for(claim: Claim, language: str) -> Words:
    version = terms(claim.contract.product_code, claim.contract.product_version)
    index = index_for(version)
    rules = version.rules
    return Words(
        language=language,
        services={code: info.service.name.get(language) for code, info in index.services.items()},
        documents={d.key: d.name.get(language) for d in rules.documents},
        exclusions={e.code: e.title.get(language) for e in rules.exclusions},
        circumstances={
            str(value): f"{e.title.get(language)} ({e.clause})"
            for e in reversed(rules.exclusions)
            for value in e.match.circumstances
        },
    )


# -- the dashboard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Durations:
    count: int
    median: dt.timedelta | None
    p90: dt.timedelta | None


def durations(values: list[dt.timedelta]) -> Durations:
    """Median and 90th percentile (nearest rank: the smallest value with at least 90 % of the
    values at or below it)."""
    if not values:
        return Durations(0, None, None)
    ordered = sorted(values)
    p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]
    return Durations(len(ordered), statistics.median(ordered), p90)


def duration_text(value: dt.timedelta | None) -> str:
    """``00:02:05`` → "2 min 5 s": a time the dashboard shows, to the second under an hour."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return str(_("%(d)s d %(h)s h") % {"d": days, "h": hours})
    if hours:
        return str(_("%(h)s h %(m)s min") % {"h": hours, "m": minutes})
    if minutes:
        return str(_("%(m)s min %(s)s s") % {"m": minutes, "s": secs})
    return str(_("%(s)s s") % {"s": secs})


# Time to decision, in ranges an operations manager reads at a glance.
BUCKETS = (
    (dt.timedelta(minutes=1), _("under a minute")),
    (dt.timedelta(hours=1), _("under an hour")),
    (dt.timedelta(days=1), _("under a day")),
    (dt.timedelta(days=7), _("under a week")),
    (dt.timedelta(days=21), _("under three weeks")),
    (None, _("three weeks or more")),
)


@dataclass(frozen=True)
class Dashboard:
    total: int
    decided: int
    automatic: int
    to_decision: Durations
    to_scheduled: Durations
    to_paid: Durations
    by_status: list[tuple[str, str, int]]  # (status, label, count), every status
    decision_times: list[tuple[str, int]]  # (range, count)
    overdue: list[QueueRow]
    at_risk: int

    @property
    def automatic_percent(self) -> Decimal | None:
        if not self.decided:
            return None
        return (Decimal(100) * self.automatic / self.decided).quantize(Decimal("0.1"))


def dashboard(*, today: dt.date | None = None) -> Dashboard:
    """Figures over every claim: how many the engine decided alone, how long decisions and
    payments take (from the recorded history), how many claims stand in each status, and the
    open claims past their statutory due date."""
    today = today or timezone.localdate()
    decided_kinds = ("auto_decided", "decided", "approved")
    claims = Claim.objects.annotate(
        received_at=Min("events__at", filter=Q(events__kind="submitted")),
        decided_at_=Min("events__at", filter=Q(events__kind__in=decided_kinds)),
        auto_at=Min("events__at", filter=Q(events__kind="auto_decided")),
        scheduled_at=Min("events__at", filter=Q(events__to_status=S.PAYMENT_SCHEDULED)),
        paid_at_=Min("events__at", filter=Q(events__to_status=S.PAID)),
    ).values("status", "received_at", "decided_at_", "auto_at", "scheduled_at", "paid_at_")
    counts = dict.fromkeys(S.values, 0)
    to_decision, to_scheduled, to_paid = [], [], []
    automatic = 0
    for row in claims:
        counts[row["status"]] += 1
        start = row["received_at"]
        if row["decided_at_"] is None or start is None:
            continue
        # A claim counts as automatic when its first decision was the engine's alone.
        automatic += row["auto_at"] is not None and row["auto_at"] <= row["decided_at_"]
        to_decision.append(row["decided_at_"] - start)
        if row["scheduled_at"] is not None:
            to_scheduled.append(row["scheduled_at"] - start)
        if row["paid_at_"] is not None:
            to_paid.append(row["paid_at_"] - start)
    open_claims = Claim.objects.filter(status__in=QUEUE_STATUSES).select_related(
        "contract", "member__person"
    )
    clocks = [(claim, clock_for(claim, today)) for claim in open_claims]
    overdue = sorted(
        (QueueRow(c, ZERO, k) for c, k in clocks if k.flag == Flag.OVERDUE),
        key=lambda r: (r.clock.due, r.claim.pk),
    )
    return Dashboard(
        total=sum(counts.values()),
        decided=len(to_decision),
        automatic=automatic,
        to_decision=durations(to_decision),
        to_scheduled=durations(to_scheduled),
        to_paid=durations(to_paid),
        by_status=[(s.value, str(s.label), counts[s.value]) for s in S],
        decision_times=_buckets(to_decision),
        overdue=overdue,
        at_risk=sum(1 for _c, k in clocks if k.flag == Flag.AT_RISK),
    )


def _buckets(values: list[dt.timedelta]) -> list[tuple[str, int]]:
    counts = [0] * len(BUCKETS)
    for value in values:
        for position, (upper, _label) in enumerate(BUCKETS):
            if upper is None or value < upper:
                counts[position] += 1
                break
    return [(str(label), n) for (_upper, label), n in zip(BUCKETS, counts, strict=True)]
