"""What the staff pages of a claim show: the engine's proposal computed read-only, each line
with its service and reasons in plain words, the documents, the clock, the history, the earlier
decision versions; for the medical expert, the medical questions only (no account, payee,
amounts or payments)."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zdrave.base.identity.permissions import (
    can_approve_claim_decisions,
    can_review_claims_medically,
    can_work_claims,
)
from zdrave.claims import staff_fetch, states
from zdrave.claims.actions import decide as deciding
from zdrave.claims.actions import work
from zdrave.claims.clocks import clock_for, working_days_left
from zdrave.claims.display import decided_on_covers
from zdrave.claims.models import ClaimStatus, Outcome
from zdrave.claims.staff_forms import DecideForm, MedicalOpinionForm, NoteForm
from zdrave.claims.states import By
from zdrave.engine.adjudication.index import index_for
from zdrave.products.terms import terms

S = ClaimStatus


def engine_proposal(claim) -> dict:
    """What the engine would decide now (the decision ``decide`` starts from), computed in a
    read-only transaction where the database offers one: the page never writes."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")
        return deciding.engine_decision(claim).to_json()


def review_context(request, claim, forms: dict) -> dict:
    user = request.user
    adjuster = can_work_claims(user)
    words = staff_fetch.words_for(claim, get_language())
    proposal = engine_proposal(claim)
    decide_form = forms.get("decide_form") or DecideForm(proposal=proposal["lines"])
    proposed = {line["index"]: line for line in proposal["lines"]}
    rows = list(claim.lines.order_by("index"))
    product = terms(claim.contract.product_code, claim.contract.product_version)
    # Lines on two covers (an annex between them): the cover each is decided on (004 Чл.27 т.2).
    covers = (
        decided_on_covers(claim, rows, index_for(product), get_language())
        if product.packages
        else {}
    )
    lines = []
    for line in rows:
        engine = proposed.get(line.index, {})
        lines.append(
            {
                "line": line,
                "number": line.index + 1,
                "service": words.service(line.service),
                "engine": engine,
                "engine_outcome": _outcome(engine.get("outcome", "")),
                "outcome": _outcome(line.outcome),
                "engine_reasons": _reasons(engine.get("reasons", []), words),
                "cover": covers.get(line.index, ""),
                "reasons": _reasons(line.reasons, words),
                "fields": decide_form.line_fields(line.index)
                if f"payable_{line.index}" in decide_form.fields
                else None,
            }
        )
    clock = clock_for(claim)
    left = working_days_left(clock)
    version = claim.versions.select_related("decided_by").order_by("-number").first()
    context = {
        "claim": claim,
        "adjuster": adjuster,
        "medical": can_review_claims_medically(user),
        "lines": lines,
        "proposal": proposal,
        "missing": [words.document(key) for key in proposal["missing_documents"]],
        "files": [
            {
                "name": words.document(f.key),
                "file": f.file,
                "image": f.file.mime_type in ("image/jpeg", "image/png", "image/webp"),
            }
            for f in claim.files.select_related("file")
        ],
        "clock": clock,
        "clock_label": staff_fetch.CLOCK_LABELS[clock.what],
        "flag": staff_fetch.FLAG_LABELS[clock.flag],
        "days_left": max(left, 0) if left is not None else None,
        "days_late": -left if left is not None and left < 0 else 0,
        "events": [
            {"event": e, "label": staff_fetch.event_label(e.kind), "note": _note(e, words)}
            for e in claim.events.select_related("actor").order_by("at", "id")
            if adjuster or e.kind not in staff_fetch.PAYMENT_KINDS
        ],
        "circumstances": [words.circumstance(c) for c in claim.circumstances],
    }
    if adjuster:
        context.update(
            {
                "duplicates": [
                    {
                        "line": flag["line"] + 1,
                        "rule": staff_fetch.DUPLICATE_RULES.get(flag["rule"], ""),
                        "number": flag["claim"],
                    }
                    for flag in claim.duplicate_flags
                ],
                "versions": _versions(claim, words),
                "payments": claim.payments.select_related("batch").order_by("created_at", "id"),
                "threshold": deciding.four_eyes_threshold(),
                "decide_form": decide_form,
                "can_decide": any(
                    states.allowed(claim.status, target, By.ADJUSTER)
                    for target in (*states.DECIDED, S.AWAITING_APPROVAL)
                ),
                "can_refer_medical": states.allowed(claim.status, S.REFERRED_MEDICAL, By.ADJUSTER),
                "refer_form": forms.get("refer_form") or NoteForm(),
                "can_reopen": states.allowed(claim.status, S.REOPENED, By.ADJUSTER),
                "reopen_form": forms.get("reopen_form") or NoteForm(),
                "can_take": claim.assigned_to_id != user.pk and claim.status in work.TAKEABLE,
                "awaiting": claim.status == S.AWAITING_APPROVAL and version is not None,
                "may_approve": version is not None and can_approve_claim_decisions(user, version),
            }
        )
    else:
        context.update(
            {
                "medical_form": forms.get("medical_form")
                or MedicalOpinionForm(initial={"icd10": claim.diagnosis}),
                "back_form": forms.get("back_form")
                or NoteForm(required=True, label=_("What the adjuster should know")),
                "can_take": claim.assigned_to_id != user.pk,
            }
        )
    return context


def _note(event, words: staff_fetch.Words) -> str:
    """A history step's note as staff read it: document keys by their names. The payment steps
    (amounts, the bank's words, accounts) are not shown to the medical expert at all."""
    if event.kind in staff_fetch.DOCUMENT_KINDS:
        return ", ".join(words.document(key.strip()) for key in event.note.split(",") if key)
    return event.note


def _outcome(value: str) -> str:
    return str(Outcome(value).label) if value in Outcome.values else ""


def _reasons(reasons: list[dict], words: staff_fetch.Words) -> list[dict]:
    return [{"text": words.reason(r), "clause": r.get("clause", "")} for r in reasons]


def _versions(claim, words) -> list[dict]:
    rows = []
    for version in claim.versions.select_related("decided_by", "approved_by").order_by("-number"):
        rows.append(
            {
                "version": version,
                "lines": [
                    {
                        "number": line["index"] + 1,
                        "outcome": _outcome(line["outcome"]),
                        "payable": line["payable"],
                        "override": line.get("override"),
                        "reasons": _reasons(line.get("reasons", []), words),
                    }
                    for line in version.lines
                ],
            }
        )
    return rows


# -- decisions ---------------------------------------------------------------------------------


def approval_lines(claim, version, words) -> list[dict]:
    engine = {line["index"]: line for line in version.engine.get("lines", [])}
    rows = []
    for line in claim.lines.order_by("index"):
        proposed = next((d for d in version.lines if d["index"] == line.index), {})
        rows.append(
            {
                "number": line.index + 1,
                "line": line,
                "service": words.service(line.service),
                "engine": engine.get(line.index, {}),
                "engine_outcome": _outcome(engine.get(line.index, {}).get("outcome", "")),
                "proposed": proposed,
                "proposed_outcome": _outcome(proposed.get("outcome", "")),
                "override": proposed.get("override"),
            }
        )
    return rows


# -- the dashboard -----------------------------------------------------------------------------
