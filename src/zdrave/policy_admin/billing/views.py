"""The billing desk (billing officers and administrators, ``can_handle_billing``) and the loss
ratio dashboard (underwriters and administrators, ``can_review_loss_ratios``). Every form
posts, then redirects (POST/redirect/GET); a form that creates a payment carries a one-time
key, so a double submit books once."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zdrave.base.identity.permissions import (
    access_required,
    can_decide_repricing,
    can_handle_billing,
    can_review_loss_ratios,
)
from zdrave.base.ui.forms import submitted
from zdrave.contracts.models import Contract, TerminationReason
from zdrave.policy_admin.billing import best_doctors, fetch, forms, letters
from zdrave.policy_admin.billing.actions import (
    payments,
    refunds,
    statements,
    tasks,
    termination,
)
from zdrave.policy_admin.billing.actions.tasks import HEALTH
from zdrave.policy_admin.billing.chart import loss_chart
from zdrave.policy_admin.billing.models import (
    OPEN_TASKS,
    BankStatement,
    BillingTask,
    LineStatus,
    PremiumPayment,
    TaskKind,
    TaskStatus,
    Termination,
)
from zdrave.policy_admin.billing.models import BestDoctorsTermination as BD

billing_desk = access_required(can_handle_billing)
loss_desk = access_required(can_review_loss_ratios)
ANY_TASK = access_required(lambda u: can_handle_billing(u) or can_review_loss_ratios(u))
# The tasks of the billing desk; the Best Doctors grounds (``actions.grounds``) among them.
GROUND_KINDS = (TaskKind.BD_UNPAID, TaskKind.BD_MISREPRESENTATION)
BILLING_KINDS = (TaskKind.ARREARS, TaskKind.LAPSE, *GROUND_KINDS)


@billing_desk
@require_http_methods(["GET", "POST"])
def desk(request):
    find = forms.FindContractForm(request.POST or None)
    if request.method == "POST" and find.is_valid():
        number = find.cleaned_data["number"].strip().upper()
        if Contract.objects.filter(number=number).exists():
            return redirect("billing:contract", number=number)
        find.add_error("number", _("no contract has the number %(n)s.") % {"n": number})
    open_tasks = BillingTask.objects.filter(
        kind__in=BILLING_KINDS, status__in=OPEN_TASKS
    ).select_related("contract__holder", "instalment", "claim")
    open_tasks, grounds = (
        [t for t in open_tasks if t.kind not in GROUND_KINDS],
        [t for t in open_tasks if t.kind in GROUND_KINDS],
    )
    return render(
        request,
        "billing/desk.html",
        {
            "find": find,
            "tasks": open_tasks,
            "grounds": grounds,
            "to_match": fetch.lines_to_match().count(),
            "payments": PremiumPayment.objects.select_related("contract")[:20],
            "terminations": Termination.objects.select_related("contract")[:20],
        },
    )


@billing_desk
@require_http_methods(["GET", "POST"])
def contract(request, number: str):
    found = fetch.access_contract(number)
    action = request.POST.get("action", "")
    pay = forms.PaymentForm(
        request.POST if action == "pay" else None,
        initial={"received_on": timezone.localdate(), "form_key": forms.one_time_key()},
    )
    bd = best_doctors.is_best_doctors(found)
    end = forms.TerminationForm(
        request.POST if action in ("preview", "terminate") else None,
        kinds=best_doctors.kinds_for(found) if bd else None,
        # From a Best Doctors ground's task: its kind and the day the insurer learned.
        initial={k: request.GET[k] for k in ("kind", "since") if bd and request.GET.get(k)},
    )
    preview = None
    done_termination = Termination.objects.filter(contract=found).first()
    refund = forms.RefundForm(
        request.POST if action == "refund" else None,
        initial={
            "iban": refunds.known_account(done_termination) if done_termination else "",
            "payee_name": found.holder.name,
        },
    )
    if (
        action == "refund"
        and done_termination is not None
        and submitted(
            request,
            refund,
            lambda data: refunds.pay_refund(done_termination, actor=request.user, **data),
        )
    ):
        messages.success(request, _("Refund scheduled: it goes out in the next payment batch."))
        return redirect("billing:contract", number=found.number)
    if action == "pay" and submitted(
        request,
        pay,
        lambda data: payments.record_payment(
            found,
            amount=data["amount"],
            received_on=data["received_on"],
            payer=data["payer"],
            actor=request.user,
            idempotency_key=data["form_key"],
        ),
    ):
        messages.success(request, _("Payment recorded."))
        return redirect("billing:contract", number=found.number)
    if action == "preview" and end.is_valid():
        preview = _preview(found, end)
    if action == "terminate" and (
        done := submitted(
            request,
            end,
            lambda data: termination.terminate(
                found,
                kind=data["kind"],
                effective_on=data["effective_on"],
                actor=request.user,
                note=data["note"],
                since=data["since"],
            ),
        )
    ):
        messages.success(
            request,
            _("Contract terminated as of %(day)s; refund %(refund)s EUR.")
            % {"day": done.effective_on.strftime("%d.%m.%Y"), "refund": done.refund},
        )
        return redirect("billing:contract", number=found.number)
    return render(
        request,
        "billing/contract.html",
        {
            "contract": found,
            "instalments": list(found.instalments.order_by("due")),
            "payments": found.premium_payments.all(),
            "tasks": found.billing_tasks.all(),
            "termination": done_termination,
            "refund_form": refund,
            "refund_payments": list(refunds.refund_payments(done_termination))
            if done_termination
            else [],
            "refund_to_pay": done_termination is not None
            and refunds.refund_to_pay(done_termination),
            "outstanding": fetch.outstanding(found),
            "pay": pay,
            "end": end,
            "preview": preview,
            "costs_percent": fetch.costs_percent(),
            "terminable": found.product_code == HEALTH or bd,
            "best_doctors": bd,
        },
    )


def _preview(found, form):
    data = form.cleaned_data
    kind = data["kind"]
    if best_doctors.is_best_doctors(found):
        try:
            termination.check_best_doctors(
                found, kind, data["effective_on"], data["since"], timezone.localdate()
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return None
        return best_doctors.money(found, kind, data["effective_on"])
    if data["effective_on"] is None and kind != TerminationReason.NOTICE:
        form.add_error("effective_on", _("enter the date."))
        return None
    effective = fetch.effective_date(found, kind, data["effective_on"], timezone.localdate())
    costs = fetch.costs_percent() if kind == TerminationReason.MUTUAL else Decimal(0)
    return fetch.termination_preview(found, kind, effective, costs=costs)


@ANY_TASK
@require_http_methods(["GET", "POST"])
def task(request, pk: int):
    found = fetch.access_task(pk, _task_kinds(request.user))
    # A Best Doctors lapse is not a decision (001 т.27.4, т.41): the task page only informs.
    may_act = found.kind in (TaskKind.ARREARS, *GROUND_KINDS) or (
        found.kind == TaskKind.REPRICING and can_decide_repricing(request.user)
    )
    action = request.POST.get("action", "")
    note = forms.NoteForm(request.POST if action in ("wait", "close", "keep") else None)
    end = forms.TaskTerminationForm(request.POST if action == "terminate" else None)
    reprice = forms.RepricingForm(request.POST if action == "propose" else None)
    if request.method == "POST":
        if not may_act or not found.is_open:
            raise Http404
        if found.kind in GROUND_KINDS and action not in ("keep", "close"):
            raise Http404  # decided on the termination page, or kept with a reason
        done = None
        if action == "notice":
            done = _simple(request, lambda: tasks.send_arrears_notice(found, actor=request.user))
        elif action == "wait":
            done = submitted(
                request, note, lambda d: tasks.decide_to_wait(found, actor=request.user, **d)
            )
        elif action == "close" or (action == "keep" and found.kind in GROUND_KINDS):
            done = submitted(
                request, note, lambda d: tasks.close_task(found, actor=request.user, **d)
            )
        elif action == "propose":
            done = submitted(
                request,
                reprice,
                lambda d: tasks.propose_repricing(found, actor=request.user, premium=d["premium"]),
            )
        elif action == "terminate":
            done = submitted(
                request,
                end,
                lambda d: termination.terminate(
                    found.contract,
                    kind=termination.TASK_KIND[found.kind],
                    effective_on=d["effective_on"],
                    actor=request.user,
                    note=d["note"],
                    task=found,
                ),
            )
        if done is not None:
            messages.success(request, _("Done."))
            return redirect("billing:task", pk=found.pk)
    money = None
    if found.is_open and found.kind in termination.TASK_KIND:
        money = fetch.termination_preview(
            found.contract,
            termination.TASK_KIND[found.kind],
            timezone.localdate(),
            costs=Decimal(0),
        )
    return render(
        request,
        "billing/task.html",
        {
            "task": found,
            "may_act": may_act and found.is_open,
            "note_form": note,
            "end": end,
            "reprice": reprice,
            "money": money,
            "termination": Termination.objects.filter(task=found).first()
            or (
                Termination.objects.filter(contract=found.contract).first()
                if found.kind in GROUND_KINDS
                else None
            ),
            "outstanding": fetch.outstanding(found.contract),
            "decide_at": _decide_at(found) if found.kind in GROUND_KINDS else "",
        },
    )


def _task_kinds(user) -> tuple[str, ...]:
    return tuple(
        kind
        for kind, allowed in (
            *((k, can_handle_billing(user)) for k in BILLING_KINDS),
            (TaskKind.REPRICING, can_review_loss_ratios(user)),
        )
        if allowed
    )


def _decide_at(task: BillingTask) -> str:
    """The termination page for a Best Doctors ground, with the kind the clause gives chosen:
    misrepresentation and the day learned (001 т.27.3), or the insurer's three months' notice
    (003 т.24 б)); 001 gives no right for an unpaid premium but its automatic lapse (т.27.4)."""
    url = reverse("billing:contract", args=[task.contract.number])
    document = best_doctors.document(task.contract)
    if document == "001" and task.kind == TaskKind.BD_MISREPRESENTATION:
        query = {"kind": BD.MISREPRESENTATION, "since": task.learned_on.isoformat()}
    elif document == "003":
        query = {"kind": BD.INSURER_NOTICE, "since": timezone.localdate().isoformat()}
    else:
        query = {}
    return f"{url}?{urlencode(query)}#end-heading" if query else url


def _simple(request, act):
    try:
        return act()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None


@billing_desk
@require_http_methods(["GET", "POST"])
def statement_list(request):
    form = forms.StatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if result := submitted(
            request,
            form,
            lambda data: statements.import_statement(
                upload.name, upload.read(), actor=request.user
            ),
            field="file",
        ):
            if not result.new:
                messages.warning(
                    request, _("This file was imported before; nothing was booked again.")
                )
            else:
                messages.success(request, _("Statement imported."))
            return redirect("billing:statement", pk=result.statement.pk)
    return render(
        request,
        "billing/statements.html",
        {
            "form": form,
            "statements": BankStatement.objects.all()[:50],
            "lines": list(fetch.lines_to_match()[:200]),
        },
    )


@billing_desk
@require_http_methods(["GET", "POST"])
def statement(request, pk: int):
    found = get_object_or_404(BankStatement, pk=pk)
    bad = None
    if request.method == "POST":
        line = fetch.access_line(int(request.POST.get("line", "0") or 0))
        if line.statement_id != found.pk:
            raise Http404
        aside = request.POST.get("action") == "aside"
        form = forms.NoteForm(request.POST) if aside else forms.MatchForm(request.POST)

        def act(data):
            if aside:
                return statements.set_aside(line, actor=request.user, note=data["note"])
            return statements.match_by_hand(line, data["contract"], actor=request.user)

        if submitted(request, form, act):
            messages.success(request, _("Line %(n)s done.") % {"n": line.index})
            return redirect("billing:statement", pk=found.pk)
        bad = (line.pk, form)
    lines = list(found.lines.select_related("contract"))
    return render(
        request,
        "billing/statement.html",
        {
            "statement": found,
            "lines": lines,
            "bad": bad,
            "to_match": {LineStatus.UNMATCHED, LineStatus.AMBIGUOUS, LineStatus.SURPLUS},
            "booked": statements.total(x for x in lines if x.status == LineStatus.BOOKED),
        },
    )


@loss_desk
@require_GET
def loss(request):
    rows = fetch.loss_ratios(timezone.localdate())
    return render(
        request,
        "billing/loss.html",
        {
            "rows": rows,
            "chart": loss_chart(rows),
            "tasks": BillingTask.objects.filter(kind=TaskKind.REPRICING).select_related("contract"),
            "open_status": TaskStatus.OPEN,
        },
    )


@ANY_TASK
@require_GET
def task_letter(request, pk: int):
    found = fetch.access_task(pk, _task_kinds(request.user))
    if found.kind in GROUND_KINDS:
        raise Http404  # no letter of its own: the decision's letter is the termination's
    if found.kind == TaskKind.REPRICING and found.proposed_premium is None:
        raise Http404
    context_of = {
        TaskKind.ARREARS: letters.arrears_context,
        TaskKind.LAPSE: letters.lapse_context,
    }.get(found.kind, letters.repricing_context)
    language = letters.holder_language(found.contract)
    return _pdf(letters.pdf(context_of, found, language), f"{found.contract.number}-{found.kind}")


@ANY_TASK
@require_GET
def termination_letter(request, pk: int):
    found = get_object_or_404(Termination.objects.select_related("contract__holder"), pk=pk)
    if not can_handle_billing(request.user) and found.kind != TerminationReason.REPRICING_REFUSED:
        raise Http404
    language = letters.holder_language(found.contract)
    return _pdf(
        letters.pdf(letters.termination_context, found, language),
        f"{found.contract.number}-termination",
    )


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{name}.pdf")
    return response
