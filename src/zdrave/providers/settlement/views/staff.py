"""The insurer's side: decided provider claims waiting for a statement, closing a month, the
SEPA batch and its confirmation, recoveries with their letters. Billing, claims adjusters and
administrators (``can_access_provider_settlement`` with no institution)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zdrave.base.identity.permissions import access_required, can_access_provider_settlement
from zdrave.base.ui.forms import submitted
from zdrave.providers.settlement import actions, documents, fetch
from zdrave.providers.settlement.forms import (
    BatchDateForm,
    CloseForm,
    PaidForm,
    RecoveryForm,
    RepaidForm,
)

staff_only = access_required(can_access_provider_settlement)


def _page(request, *, close=None, batch=None, status=200):
    context = fetch.overview() | {
        "close_form": close or CloseForm(),
        "batch_form": batch
        or BatchDateForm(initial={"execution_date": actions.first_execution_date()}),
        "paid_form": PaidForm(),
    }
    return render(request, "settlement/staff.html", context, status=status)


@staff_only
def overview(request):
    return _page(request)


@staff_only
@require_POST
def close(request):
    form = CloseForm(request.POST)
    outcome = submitted(
        request, form, lambda data: actions.close_month(data["month"], actor=request.user)
    )
    if outcome is None:
        return _page(request, close=form, status=400)
    messages.success(
        request, _("%(count)s statements closed.") % {"count": len(outcome.statements)}
    )
    for institution in outcome.no_account:
        messages.warning(
            request,
            _("%(name)s: no bank account on file; its claims wait.") % {"name": institution.name},
        )
    return redirect("settlement:staff")


@staff_only
@require_POST
def new_batch(request):
    form = BatchDateForm(request.POST)
    made = submitted(
        request,
        form,
        lambda data: actions.create_settlement_batch(
            actor=request.user, execution_date=data["execution_date"]
        ),
    )
    if made is None:
        return _page(request, batch=form, status=400)
    messages.success(
        request,
        _("Batch %(id)s: %(count)s transfers, %(total)s EUR.")
        % {"id": made.message_id, "count": made.count, "total": made.total},
    )
    return redirect("settlement:staff")


@staff_only
def batch_xml(request, pk: int):
    found = fetch.access_batch(request.user, pk)
    response = HttpResponse(
        actions.batch_file(found, actor=request.user), content_type="application/xml"
    )
    response["Content-Disposition"] = f'attachment; filename="{found.message_id}.xml"'
    return response


@staff_only
@require_POST
def batch_paid(request, pk: int):
    found = fetch.access_batch(request.user, pk)
    form = PaidForm(request.POST)
    done = submitted(
        request,
        form,
        lambda data: actions.confirm_settlement_paid(found, actor=request.user, on=data["on"]),
    )
    if done is None:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        messages.success(request, _("%(count)s statements paid.") % {"count": done})
    return redirect("settlement:staff")


@staff_only
def recovery(request, pk: int):
    billed = fetch.access_provider_claim(request.user, pk)
    form = RecoveryForm(request.POST or None, initial={"amount": actions.recoverable(billed)})
    opened = submitted(
        request,
        form,
        lambda data: actions.open_recovery(billed, actor=request.user, **data),
    )
    if opened is not None:
        messages.success(request, _("Recovery opened; send the letter to the debtor."))
        return redirect("settlement:staff")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "settlement/recovery.html",
        {"billed": billed, "form": form},
        status=status,
    )


@staff_only
@require_POST
def repaid(request, pk: int):
    found = fetch.access_recovery(request.user, pk)
    form = RepaidForm(request.POST)
    done = submitted(
        request, form, lambda data: actions.record_repaid(found, actor=request.user, on=data["on"])
    )
    if done is None:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("settlement:staff")


@staff_only
def recovery_letter(request, pk: int):
    found = fetch.access_recovery(request.user, pk)
    response = HttpResponse(
        documents.recovery_pdf(found, get_language()[:2]), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="RC-{found.pk:06d}.pdf"'
    return response
