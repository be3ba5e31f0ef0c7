"""The payments desk (claims adjusters and administrators, ``can_handle_claim_payments``):
scheduled payments waiting for a batch, batches with their SEPA file, the bank's confirmation,
returned payments entered by hand or read from the bank's file. Every form posts, then
redirects (POST/redirect/GET); a second "create batch" finds nothing waiting."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zdrave.base.banking import reasons as bank_reasons
from zdrave.base.banking.iban import format_iban
from zdrave.base.banking.schemas import MAX_FILE_BYTES
from zdrave.base.identity.permissions import access_required, can_handle_claim_payments
from zdrave.base.ui.forms import LabelledErrorsForm, submitted
from zdrave.claims.actions import bank
from zdrave.claims.emails import plain_return_reason
from zdrave.claims.models import Payment, PaymentBatch, PaymentStatus

ZERO = Decimal("0.00")
RESULTS = "claims.payments.returns"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# Anonymous users go to log-in; anyone who may not handle claim payments gets 403.
payments_desk = access_required(can_handle_claim_payments)


# -- forms ---------------------------------------------------------------------------------------


class BatchForm(LabelledErrorsForm):
    execution_date = forms.DateField(
        label=gettext_lazy("Execution date"),
        widget=DATE_INPUT,
        help_text=gettext_lazy("The day the bank is to pay: a Bulgarian working day."),
    )


class ConfirmForm(LabelledErrorsForm):
    on = forms.DateField(label=gettext_lazy("Paid on"), widget=DATE_INPUT)


def reason_choices():
    return [
        ("", gettext_lazy("— no code: say why below —")),
        *((code, f"{code} · {bank_reasons.REASONS[code]}") for code in bank.REASON_CHOICES),
    ]


class ReturnForm(LabelledErrorsForm):
    end_to_end_id = forms.CharField(widget=forms.HiddenInput, max_length=35)
    reason_code = forms.ChoiceField(label=gettext_lazy("Bank's reason"), required=False)
    reason_text = forms.CharField(label=gettext_lazy("Details"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = reason_choices()


class ReturnsFileForm(LabelledErrorsForm):
    file = forms.FileField(
        label=gettext_lazy("Bank file"),
        help_text=gettext_lazy(
            "A payment status report (pain.002) or a debit/credit notification (camt.054)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                _("the file is larger than %(limit)d MB; a bank file is much smaller.")
                % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


# -- pages ---------------------------------------------------------------------------------------


def _waiting():
    return list(
        Payment.objects.filter(
            status=PaymentStatus.SCHEDULED, batch__isnull=True, amount__gt=ZERO
        ).select_related("claim__member__person", "contract__holder")
    )


@payments_desk
@require_http_methods(["GET", "POST"])
def batches(request):
    form = BatchForm(initial={"execution_date": bank.first_execution_date()})
    return_form = None
    if request.method == "POST":
        if request.POST.get("action") == "fail":
            return_form = ReturnForm(request.POST)
            if _record_return(request, return_form):
                return redirect("claims:batches")
        else:
            form = BatchForm(request.POST)
            if result := submitted(
                request,
                form,
                lambda data: bank.create_batch(
                    actor=request.user, execution_date=data["execution_date"]
                ),
            ):
                _tell_created(request, result)
                return redirect("claims:batch", pk=result.batch.pk)
    waiting = _waiting()
    rows = [(p, format_iban(p.iban), bank.unsendable(p)) for p in waiting]
    return render(
        request,
        "claims/payments/batches.html",
        {
            "form": form,
            "return_form": return_form,
            "reason_choices": reason_choices(),
            "rows": rows,
            "waiting_total": sum((p.amount for p in waiting), ZERO),
            "batches": PaymentBatch.objects.select_related("created_by")[:50],
        },
    )


def _tell_created(request, result: bank.BatchResult) -> None:
    batch = result.batch
    messages.success(
        request,
        _("Batch %(id)s created: %(count)s payments, %(total)s EUR. Download its file below.")
        % {"id": batch.message_id, "count": batch.count, "total": batch.total},
    )
    for item in result.left_out:
        messages.warning(
            request,
            _("Left out %(id)s: %(problem)s")
            % {"id": item.payment.end_to_end_id, "problem": item.problem},
        )


def _record_return(request, form: ReturnForm) -> bool:
    outcome = submitted(
        request,
        form,
        lambda data: bank.record_return(
            data["end_to_end_id"],
            reason_code=data["reason_code"],
            reason_text=data["reason_text"],
            actor=request.user,
        ),
    )
    if outcome is None:
        return False
    texts = {
        "returned": _("Payment %(id)s is returned; the member is asked for another account."),
        "already": _("Payment %(id)s was already returned; nothing changed."),
        "unknown": _("There is no payment %(id)s."),
    }
    messages.success(request, texts[outcome.outcome] % {"id": outcome.end_to_end_id})
    return True


@payments_desk
@require_http_methods(["GET", "POST"])
def batch(request, pk: int):
    batch = get_object_or_404(PaymentBatch.objects.select_related("created_by"), pk=pk)
    today = timezone.localdate()
    confirm_form = ConfirmForm(initial={"on": min(batch.execution_date, today)})
    return_form = None
    if request.method == "POST":
        if request.POST.get("action") == "return":
            return_form = ReturnForm(request.POST)
            if _record_return(request, return_form):
                return redirect("claims:batch", pk=batch.pk)
        else:
            confirm_form = ConfirmForm(request.POST)
            count = submitted(
                request,
                confirm_form,
                lambda data: bank.confirm_batch_paid(batch, actor=request.user, on=data["on"]),
            )
            if count is not None:  # 0 is an answer too: nothing in the batch was still sent
                messages.success(
                    request,
                    _("Batch %(id)s confirmed paid: %(count)s payments; members are told.")
                    % {"id": batch.message_id, "count": count},
                )
                return redirect("claims:batch", pk=batch.pk)
    payments = [
        (p, format_iban(p.iban), str(plain_return_reason(p)))
        for p in batch.payments.select_related(
            "claim__member__person", "contract__holder"
        ).order_by("id")
    ]
    by_status = batch.payments.values("status").annotate(count=Count("id"), total=Sum("amount"))
    labels = dict(PaymentStatus.choices)
    return render(
        request,
        "claims/payments/batch.html",
        {
            "batch": batch,
            "payments": payments,
            "by_status": [
                (labels[row["status"]], row["count"], row["total"])
                for row in by_status.order_by("status")
            ],
            "confirm_form": confirm_form,
            "return_form": return_form,
            "reason_choices": reason_choices(),
            "returnable": (PaymentStatus.EXPORTED, PaymentStatus.PAID),
        },
    )


@payments_desk
@require_GET
def batch_file(request, pk: int):
    batch = get_object_or_404(PaymentBatch, pk=pk)
    response = HttpResponse(
        bank.batch_file(batch, actor=request.user), content_type="application/xml"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{batch.message_id}.xml")
    response["Cache-Control"] = "private, no-store"
    return response


@payments_desk
@require_http_methods(["GET", "POST"])
def returns(request):
    form = ReturnsFileForm()
    if request.method == "POST":
        form = ReturnsFileForm(request.POST, request.FILES)
        outcomes = submitted(
            request,
            form,
            lambda data: bank.import_returns(data["file"].read(), actor=request.user),
            field="file",
        )
        if outcomes is not None:  # an empty list too: the file named no returned payment
            request.session[RESULTS] = [
                {
                    "end_to_end_id": o.end_to_end_id,
                    "outcome": o.outcome,
                    "claim": o.claim,
                    "reason": o.reason,
                }
                for o in outcomes
            ]
            return redirect("claims:returns")
    results = request.session.pop(RESULTS, None) if request.method == "GET" else None
    return render(
        request,
        "claims/payments/returns.html",
        {"form": form, "results": results},
    )
