"""The provider's pages: its claims to the insurer (one form, a batch file), and its monthly
statements (HTML, PDF, CSV). A provider user sees its own institution only; staff open any
statement (``can_access_provider_settlement``)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zdrave.base.identity.permissions import access_required, can_access_provider_settlement
from zdrave.base.ui.forms import submitted
from zdrave.providers.settlement import actions, documents, fetch
from zdrave.providers.settlement import batch as batch_file
from zdrave.providers.settlement.forms import BatchForm, ClaimForm


def _institution(request):
    found = fetch.own_institution(request.user)
    if found is None or not can_access_provider_settlement(request.user, found):
        raise PermissionDenied
    return found


def _is_provider(user) -> bool:
    return fetch.own_institution(user) is not None


def _sent(request, billed):
    messages.success(
        request,
        _("Claim %(number)s is sent: %(status)s.")
        % {"number": billed.claim.number, "status": billed.claim.get_status_display()},
    )
    return redirect("settlement:provider")


@access_required(_is_provider)
def claims(request):
    institution = _institution(request)
    if request.method == "POST":
        # The same form sent again: its check is billed and no longer offered, so the answer is
        # the first submission's (one claim, however often the form is sent).
        billed = fetch.already_sent(institution, request.POST.get("idempotency_key", ""))
        if billed is not None:
            return _sent(request, billed)
    checks = fetch.billable_checks(institution)[:100]
    form = ClaimForm(
        request.POST or None,
        checks=checks,
        initial={"idempotency_key": uuid.uuid4().hex, "quantity": 1},
    )
    billed = submitted(
        request,
        form,
        lambda data: actions.submit_provider_claim(
            actions.ProviderClaimInput(
                check_id=data["check"],
                reference=data["reference"],
                amount=data["amount"],
                diagnosis=data["diagnosis"],
                quantity=data["quantity"],
                idempotency_key=data["idempotency_key"],
                letter=data["letter"],
            ),
            actor=request.user,
            institution=institution,
        ),
    )
    if billed is not None:
        return _sent(request, billed)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "settlement/provider.html",
        {
            "institution": institution,
            "form": form,
            "claims": fetch.claims_of(institution)[:100],
            "statements": fetch.statements_of(institution),
        },
        status=status,
    )


@access_required(_is_provider)
def batch(request):
    institution = _institution(request)
    form = BatchForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        rows, row_errors = batch_file.parse(form.cleaned_data["file"].read())
        if not row_errors:
            outcome = actions.submit_batch(rows, actor=request.user, institution=institution)
            row_errors = outcome.errors
            if not row_errors:
                messages.success(
                    request, _("%(count)s claims are sent.") % {"count": len(outcome.claims)}
                )
                return redirect("settlement:provider")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "settlement/batch.html",
        {"institution": institution, "form": form, "row_errors": row_errors},
        status=status,
    )


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


@access_required(_signed_in)
def statement(request, pk: int):
    found = fetch.access_statement(request.user, pk)
    return render(
        request,
        "settlement/statement.html",
        documents.statement_context(found) | {"statement": found},
    )


@access_required(_signed_in)
def statement_pdf(request, pk: int):
    found = fetch.access_statement(request.user, pk)
    response = HttpResponse(
        documents.statement_pdf(found, get_language()[:2]), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{found.number}.pdf"'
    return response


@access_required(_signed_in)
def statement_csv(request, pk: int):
    found = fetch.access_statement(request.user, pk)
    response = HttpResponse(documents.statement_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.number}.csv"'
    return response
