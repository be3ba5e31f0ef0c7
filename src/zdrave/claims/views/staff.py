"""The staff pages of claims (issue 10, "Staff: queue, review, decide"): the claims adjusters'
queue sorted by the statutory clock (004 Чл.29 т.2), a claim's review with the engine's
proposal and overrides, the medical expert's opinion, the second approval (four eyes),
reopening, and the claims dashboard. Views parse input, call one action and render; who may
open what is decided in ``base.identity.permissions`` and applied in ``claims.staff_fetch``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zdrave.base.audit.models import record_view
from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import (
    access_required,
    can_approve_claim_decisions,
    can_review_claims_medically,
    can_work_claims,
    role_required,
)
from zdrave.base.ui.forms import submitted
from zdrave.claims import staff_fetch
from zdrave.claims.actions import decide as deciding
from zdrave.claims.actions import work
from zdrave.claims.models import ClaimStatus
from zdrave.claims.staff_forms import DecideForm, MedicalOpinionForm, NoteForm, QueueFilterForm
from zdrave.claims.views import context

S = ClaimStatus


# Claims adjusters and the medical expert; anonymous users go to log-in, everybody else gets 403.
claims_staff = access_required(
    lambda user: can_work_claims(user) or can_review_claims_medically(user)
)


def adjusters_only(request) -> None:
    if not can_work_claims(request.user):
        raise PermissionDenied


# -- the queue ---------------------------------------------------------------------------------


@claims_staff
@require_http_methods(["GET", "POST"])
def queue(request):
    """The queue; a POST takes a claim from it (assigns it to the user)."""
    if request.method == "POST":
        return _take(request)
    medical = can_review_claims_medically(request.user)
    form = QueueFilterForm(
        request.GET or None,
        products=staff_fetch.product_choices(get_language()),
        medical=medical,
    )
    rows = staff_fetch.queue(request.user, form.filters())
    page = Paginator(rows, staff_fetch.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "claims/staff/queue.html",
        {
            "form": form,
            "page": page,
            "rows": [_queue_row(row) for row in page.object_list],
            "medical": medical,
            "query": query.urlencode(),
        },
    )


def _queue_row(row: staff_fetch.QueueRow) -> dict:
    return {
        "claim": row.claim,
        "claimed": row.claimed,
        "clock": row.clock,
        "flag": staff_fetch.FLAG_LABELS[row.clock.flag],
    }


def _take(request):
    claim = staff_fetch.access_staff_claim(request.user, request.POST.get("number", ""))
    try:
        work.assign(claim, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("claims:queue")
    messages.success(request, _("Claim %(number)s is assigned to you.") % {"number": claim.number})
    return redirect("claims:review", number=claim.number)


# -- the review ---------------------------------------------------------------------------------


@claims_staff
@require_GET
def review(request, number: str):
    claim = staff_fetch.access_staff_claim(request.user, number)
    return _render_review(request, claim)


def _render_review(request, claim, **forms):
    record_view(request, verb="claim_viewed", obj=claim)
    return render(
        request, "claims/staff/review.html", context.review_context(request, claim, forms)
    )


@claims_staff
@require_POST
def decide(request, number: str):
    adjusters_only(request)
    claim = staff_fetch.access_staff_claim(request.user, number)
    form = DecideForm(request.POST, proposal=context.engine_proposal(claim)["lines"])
    if status := submitted(
        request,
        form,
        lambda data: deciding.decide(
            claim, actor=request.user, overrides=form.overrides, note=data["note"]
        ),
    ):
        if status == S.AWAITING_APPROVAL:
            messages.success(
                request, _("The decision waits for the approval of a second claims adjuster.")
            )
        else:
            messages.success(
                request, _("Decision saved: %(status)s.") % {"status": S(status).label}
            )
        return redirect("claims:review", number=claim.number)
    claim.refresh_from_db()
    return _render_review(request, claim, decide_form=form)


@claims_staff
@require_POST
def refer(request, number: str):
    """An adjuster sends the claim to the medical expert; the medical expert sends it back to
    the adjusters without an opinion (with what they should know)."""
    claim = staff_fetch.access_staff_claim(request.user, number)
    medical = can_review_claims_medically(request.user)
    target = S.REFERRED_ADJUSTER if medical else request.POST.get("to", S.REFERRED_MEDICAL)
    if target not in (S.REFERRED_MEDICAL, S.REFERRED_ADJUSTER):
        target = S.REFERRED_MEDICAL
    form = (
        NoteForm(request.POST, required=True, label=_("What the adjuster should know"))
        if medical
        else NoteForm(request.POST)
    )
    if submitted(
        request,
        form,
        lambda data: deciding.refer(claim, to=target, actor=request.user, note=data["note"]),
    ):
        messages.success(
            request,
            _("Claim %(number)s: %(status)s.")
            % {"number": claim.number, "status": S(target).label},
        )
        if medical:
            return redirect("claims:queue")
        return redirect("claims:review", number=claim.number)
    key = "back_form" if medical else "refer_form"
    return _render_review(request, claim, **{key: form})


@claims_staff
@require_http_methods(["GET", "POST"])
def medical(request, number: str):
    """The medical expert's opinion: the ICD-10 code, necessity, a pre-existing condition."""
    if not can_review_claims_medically(request.user):
        raise PermissionDenied
    claim = staff_fetch.access_staff_claim(request.user, number)
    if request.method == "GET":
        return redirect("claims:review", number=claim.number)
    form = MedicalOpinionForm(request.POST)
    if submitted(
        request,
        form,
        lambda data: deciding.code_diagnosis(
            claim,
            actor=request.user,
            icd10=data["icd10"],
            note=form.note(),
            circumstances=form.circumstances(),
        ),
    ):
        messages.success(
            request,
            _("Claim %(number)s is back with the claims adjusters with your opinion.")
            % {"number": claim.number},
        )
        return redirect("claims:queue")
    return _render_review(request, claim, medical_form=form)


@claims_staff
@require_POST
def reopen(request, number: str):
    adjusters_only(request)
    claim = staff_fetch.access_staff_claim(request.user, number)
    form = NoteForm(request.POST)
    if submitted(
        request, form, lambda data: deciding.reopen(claim, actor=request.user, note=data["note"])
    ):
        messages.success(request, _("The claim is reopened: decide it again."))
        return redirect("claims:review", number=claim.number)
    return _render_review(request, claim, reopen_form=form)


@claims_staff
@require_http_methods(["GET", "POST"])
def approve(request, number: str):
    """Four eyes: a second claims adjuster approves the proposed decision or sends it back with
    a reason. The adjuster who proposed it sees it but cannot approve it."""
    adjusters_only(request)
    claim = staff_fetch.access_staff_claim(request.user, number)
    version = claim.versions.select_related("decided_by").order_by("-number").first()
    awaiting = claim.status == S.AWAITING_APPROVAL and version is not None
    form = NoteForm(request.POST or None, label=_("Note or reason"))
    if request.method == "POST":
        if not awaiting:
            messages.error(request, _("Status: there is no decision to approve."))
            return redirect("claims:review", number=claim.number)
        if not can_approve_claim_decisions(request.user, version):
            raise PermissionDenied
        send_back = request.POST.get("decision") == "send_back"
        act = deciding.send_back if send_back else deciding.approve
        if submitted(request, form, lambda data: act(claim, actor=request.user, note=data["note"])):
            if send_back:
                messages.success(request, _("The decision is sent back to the claims adjusters."))
            else:
                messages.success(request, _("The decision is approved."))
            return redirect("claims:review", number=claim.number)
    record_view(request, verb="claim_viewed", obj=claim)
    words = staff_fetch.words_for(claim, get_language())
    return render(
        request,
        "claims/staff/approve.html",
        {
            "claim": claim,
            "version": version,
            "awaiting": awaiting,
            "lines": context.approval_lines(claim, version, words) if version else [],
            "may_approve": awaiting and can_approve_claim_decisions(request.user, version),
            "form": form,
        },
    )


@role_required(Role.CLAIMS_ADJUSTER, Role.ADMINISTRATOR)
@require_GET
def dashboard(request):
    """Claims adjusters and administrators: figures over all claims. The administrator sees the
    numbers only; the adjusters also the overdue claims, with links to them."""
    figures = staff_fetch.dashboard()
    return render(
        request,
        "claims/staff/dashboard.html",
        {
            "figures": figures,
            "times": [
                (
                    label,
                    d.count,
                    staff_fetch.duration_text(d.median),
                    staff_fetch.duration_text(d.p90),
                )
                for label, d in (
                    (_("Decision"), figures.to_decision),
                    (_("Payment scheduled"), figures.to_scheduled),
                    (_("Paid"), figures.to_paid),
                )
            ],
            "status_bars": _bars([(label, n) for _s, label, n in figures.by_status if n]),
            "time_bars": _bars(figures.decision_times),
            "show_claims": can_work_claims(request.user),
        },
    )


BAR_ROW = 36
BAR_WIDTH = 240


def _bars(values: list[tuple[str, int]]) -> dict:
    """Rows of a horizontal bar chart drawn as inline SVG (no script; the CSP allows none):
    each row its label, and under it the bar and the count."""
    top = max((n for _label, n in values), default=0) or 1
    rows = []
    for i, (label, n) in enumerate(values):
        width = round(BAR_WIDTH * n / top) if n else 0
        rows.append(
            {
                "label": label,
                "count": n,
                "label_y": i * BAR_ROW + 12,
                "bar_y": i * BAR_ROW + 16,
                "count_y": i * BAR_ROW + 27,
                "width": width,
                "count_x": width + 6,
            }
        )
    return {"rows": rows, "height": max(len(rows) * BAR_ROW, BAR_ROW)}
