"""Pages of a treatment-abroad case: the member's cases and the notification form, the case
page (timeline, documents, decision, statement with the limits chart, messages, objections,
history) that the member and the case manager share with the forms each may use, and the case
managers' queue. Thin: a form, one action, POST/redirect/GET."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zdrave.base.audit.models import record_view
from zdrave.base.identity.permissions import (
    access_required,
    can_work_abroad_cases,
    is_signed_in,
)
from zdrave.base.ui.forms import submitted
from zdrave.claims.abroad import abroad_terms
from zdrave.claims.forms import clean_form_key, new_form_key
from zdrave.treatment_abroad import forms, letters, money, steps
from zdrave.treatment_abroad.actions import cases as case_actions
from zdrave.treatment_abroad.actions import daily, talk
from zdrave.treatment_abroad.actions import money as money_actions
from zdrave.treatment_abroad.fetch import (
    access_case,
    member_side,
    openable_members,
    visible_cases,
)
from zdrave.treatment_abroad.fetch import (
    queue as queue_of,
)
from zdrave.treatment_abroad.models import CaseStatus, CaseTask, Objection
from zdrave.treatment_abroad.states import ACTIVE, FINAL

S = CaseStatus


@access_required(is_signed_in)
def mine(request):
    if can_work_abroad_cases(request.user):
        return redirect("treatment_abroad:queue")
    cases = visible_cases(request.user).order_by("-opened", "-id")
    members = openable_members(request.user)
    if not members and not cases.exists():
        raise Http404("treatment abroad")
    return render(
        request, "treatment_abroad/mine.html", {"cases": cases, "can_open": bool(members)}
    )


@access_required(is_signed_in)
def new(request):
    members = openable_members(request.user)
    if not members:
        raise Http404("treatment abroad")
    posted = request.method == "POST"
    key = clean_form_key(request.POST.get("form_key") if posted else None) or new_form_key()
    data = request.POST.copy() if posted else None
    if data is not None:
        data["form_key"] = key
    form = forms.OpenForm(
        data,
        request.FILES or None,
        members=members,
        initial={"form_key": key, "member": str(members[0].pk)},
    )

    def act(cleaned):
        return case_actions.open_case(
            actor=request.user,
            member=form.members[cleaned["member"]],
            condition=cleaned["condition"],
            diagnosis=cleaned["diagnosis"],
            treating_doctor=cleaned["treating_doctor"],
            files=[cleaned["file"]] if cleaned.get("file") else [],
            idempotency_key=key,
        )

    if case := submitted(request, form, act, field="file"):
        messages.success(
            request,
            _("Case %(number)s is open. Your case manager will contact you.")
            % {"number": case.number},
        )
        return redirect("treatment_abroad:detail", number=case.number)
    terms = abroad_terms(members[0].contract)
    return render(
        request,
        "treatment_abroad/new.html",
        {"form": form, "show_errors": posted, "conditions_clause": terms.conditions_clause},
    )


def _forms_for(case, user, bound=None):
    """The forms the user may use on the case in its current step, ``bound`` replacing one."""
    manager = can_work_abroad_cases(user)
    found = {}
    status = case.status
    if manager:
        if status == S.NOTIFIED:
            found["file_complete"] = forms.NoteForm()
        if status == S.FILE_COMPLETE:
            found["send_to_experts"] = forms.NoteForm()
            found["request_documents"] = forms.NoteForm()
        if status == S.EXPERT_REVIEW:
            found["opinion"] = forms.OpinionForm()
        if status in (S.NOTIFIED, S.FILE_COMPLETE, S.EXPERT_REVIEW):
            found["refuse"] = forms.RefuseForm()
        if status == S.HOSPITAL_CHOSEN:
            found["precertificate"] = forms.PrecertificateForm()
        if status == S.PRECERTIFICATE_ISSUED:
            found["travel"] = forms.TravelForm()
        if status in (S.HOSPITAL_CHOSEN, S.PRECERTIFICATE_ISSUED, S.TRAVEL_BOOKED):
            found["reissue"] = forms.NoteForm()
        if status == S.TRAVEL_BOOKED:
            found["admit"] = forms.MomentForm()
        if status == S.ADMITTED:
            found["discharge"] = forms.MomentForm()
        if status == S.DISCHARGED:
            found["returned"] = forms.DayForm()
        if status in money_actions.BILLABLE:
            found["bill"] = forms.BillForm()
        if status == S.REASSESSMENT:
            found["opinion"] = forms.OpinionForm()
        if status in (
            S.RETURNED,
            S.FOLLOW_UP,
            S.TREATED_IN_BULGARIA,
            S.LIMIT_EXHAUSTED,
            S.REASSESSMENT,
        ):
            found["close"] = forms.NoteForm()
        if status in ACTIVE:
            found["suspend"] = forms.NoteForm()
        if status == S.SUSPENDED:
            found["resume"] = forms.NoteForm()
        if status in (*ACTIVE, S.SUSPENDED):
            found["contract_ended"] = forms.NoteForm()
        if case.owner_id != user.pk:
            found["take"] = forms.NoteForm()
    elif member_side(user, case):
        if status == S.OPINION_RECEIVED:
            found["choose"] = forms.ChoiceForm(hospitals=case.hospitals)
        if (
            status in money_actions.AFTER_DISCHARGE
            and not case.costs.filter(benefit="daily-hospital-cash")
            .exclude(status="refused")
            .exists()
        ):
            found["allowance"] = forms.AllowanceForm(initial={"form_key": new_form_key()})
        if status in money_actions.AFTER_DISCHARGE:
            found["medicines"] = forms.MedicinesForm()
        if status == S.RETURNED:
            found["follow_up"] = forms.NoteForm()
        if status in (S.RETURNED, S.FOLLOW_UP):
            found["reassess"] = forms.NoteForm()
        if status not in FINAL:
            found["document"] = forms.DocumentForm()
        found["objection"] = forms.ObjectionForm()
    if manager or member_side(user, case):
        found["message"] = forms.MessageForm()
    if bound is not None:
        found[bound[0]] = bound[1]
    return found


def _page(request, case, bound=None):
    today = timezone.localdate()
    record_view(request, verb="view_abroad_case", obj=case)
    labels = {
        "year": _("This insurance year"),
        "lifetime": _("The whole term of the insurance"),
        "medicines": _("Medicines after the return"),
    }
    terms = abroad_terms(case.member.contract)
    manager = can_work_abroad_cases(request.user)
    statement = money.statement(case)
    return render(
        request,
        "treatment_abroad/detail.html",
        {
            "case": case,
            "manager": manager,
            "next": steps.timeline(case, today),
            "forms": [
                (name, ACTION_TITLES[name], form, bound is not None and bound[0] == name)
                for name, form in _forms_for(case, request.user, bound).items()
            ],
            "statement": statement,
            "bars": money.limit_bars(case, today, labels),
            "messages_list": case.messages.select_related("author"),
            "objections": case.objections.all(),
            "events": case.events.select_related("actor"),
            "documents": case.documents.select_related("file"),
            "version": steps.version_of(terms),
            "answer_form": forms.AnswerForm() if manager else None,
            "tasks": case.tasks.filter(done_on__isnull=True) if manager else (),
            "task_form": forms.TaskForm() if manager else None,
            "medicines_clause": terms.benefit("medicines-after-return").clause,
        },
    )


ACTION_TITLES = {
    "file_complete": gettext_lazy("The medical file is complete"),
    "request_documents": gettext_lazy("Ask for more documents"),
    "send_to_experts": gettext_lazy("Send the file to the experts"),
    "opinion": gettext_lazy("Record the experts' opinion and the hospitals"),
    "refuse": gettext_lazy("Refuse the case"),
    "choose": gettext_lazy("Your decision"),
    "precertificate": gettext_lazy("Issue the pre-certificate"),
    "travel": gettext_lazy("Travel and stay booked"),
    "reissue": gettext_lazy("New list of hospitals (the three months ran out)"),
    "admit": gettext_lazy("Admitted to hospital"),
    "discharge": gettext_lazy("Discharged from hospital"),
    "returned": gettext_lazy("Back in Bulgaria"),
    "bill": gettext_lazy("Record a bill the insurer pays"),
    "close": gettext_lazy("Close the case"),
    "suspend": gettext_lazy("Put on hold: premiums unpaid"),
    "resume": gettext_lazy("Premiums paid: go on with the case"),
    "contract_ended": gettext_lazy("The contract ended"),
    "take": gettext_lazy("Take the case"),
    "allowance": gettext_lazy("Ask for the daily allowance"),
    "medicines": gettext_lazy("Medicines for after the operation, bought abroad"),
    "follow_up": gettext_lazy("Ask for follow-up care"),
    "reassess": gettext_lazy("Ask for a reassessment"),
    "document": gettext_lazy("Add a medical document"),
    "message": gettext_lazy("Write to your case manager"),
    "objection": gettext_lazy("Object to a decision"),
}


@access_required(is_signed_in)
def detail(request, number: str):
    return _page(request, access_case(request.user, number))


def _key(data) -> str:
    return clean_form_key(data.get("form_key")) or ""


ACTIONS = {
    # name: (form class, function(case, user, data, request))
    "file_complete": (forms.NoteForm, lambda c, u, d, r: case_actions.file_complete(c, actor=u)),
    "request_documents": (
        forms.NoteForm,
        lambda c, u, d, r: case_actions.request_documents(c, actor=u, note=d["note"]),
    ),
    "send_to_experts": (
        forms.NoteForm,
        lambda c, u, d, r: case_actions.send_to_experts(c, actor=u),
    ),
    "opinion": (
        forms.OpinionForm,
        lambda c, u, d, r: (
            case_actions.record_opinion(
                c, actor=u, opinion=d["opinion"], hospitals=d["hospitals"].splitlines()
            )
            if c.status == S.EXPERT_REVIEW
            else case_actions.step(
                c,
                S.OPINION_RECEIVED,
                "reassessed",
                actor=u,
                opinion=d["opinion"],
                hospitals=[h.strip() for h in d["hospitals"].splitlines() if h.strip()],
                opinion_on=timezone.localdate(),
                hospital="",
            )
        ),
    ),
    "refuse": (
        forms.RefuseForm,
        lambda c, u, d, r: case_actions.refuse(c, actor=u, reason=d["reason"]),
    ),
    "choose": (None, lambda c, u, d, r: case_actions.choose(c, actor=u, choice=d["choice"])),
    "precertificate": (
        forms.PrecertificateForm,
        lambda c, u, d, r: money_actions.issue_precertificate(c, actor=u, amount=d["amount"]),
    ),
    "travel": (
        forms.TravelForm,
        lambda c, u, d, r: money_actions.book_travel(
            c,
            actor=u,
            travel=d["travel"],
            accommodation=d["accommodation"],
            companions=d["companions"],
            start=d["start"],
            agency=d["agency"],
            iban=d["iban"],
            idempotency_key=_key(d),
        ),
    ),
    "reissue": (
        forms.NoteForm,
        lambda c, u, d, r: case_actions.reissue_list(c, actor=u, note=d["note"]),
    ),
    "admit": (forms.MomentForm, lambda c, u, d, r: case_actions.admit(c, actor=u, at=d["at"])),
    "discharge": (
        forms.MomentForm,
        lambda c, u, d, r: case_actions.discharge(c, actor=u, at=d["at"]),
    ),
    "returned": (forms.DayForm, lambda c, u, d, r: case_actions.returned(c, actor=u, on=d["on"])),
    "bill": (
        forms.BillForm,
        lambda c, u, d, r: money_actions.record_bill(
            c,
            actor=u,
            benefit=d["benefit"],
            amount=d["amount"],
            date=d["date"],
            paid_to=d["paid_to"],
            iban=d["iban"],
            idempotency_key=_key(d),
            by_member_or_relative=d["by_member_or_relative"],
            post_operative_medicine=d["post_operative_medicine"],
        ),
    ),
    "close": (forms.NoteForm, lambda c, u, d, r: case_actions.close(c, actor=u, note=d["note"])),
    "suspend": (
        forms.NoteForm,
        lambda c, u, d, r: case_actions.suspend(c, actor=u, note=d["note"]),
    ),
    "resume": (forms.NoteForm, lambda c, u, d, r: case_actions.resume(c, actor=u)),
    "contract_ended": (
        forms.NoteForm,
        lambda c, u, d, r: case_actions.contract_ended(c, actor=u, note=d["note"]),
    ),
    "take": (forms.NoteForm, lambda c, u, d, r: case_actions.take(c, actor=u)),
    "allowance": (
        forms.AllowanceForm,
        lambda c, u, d, r: money_actions.request_daily_allowance(
            c, actor=u, iban=d["iban"], idempotency_key=clean_form_key(d.get("form_key")) or ""
        ),
    ),
    "medicines": (
        forms.MedicinesForm,
        lambda c, u, d, r: money_actions.request_medicines_refund(
            c,
            actor=u,
            amount=d["amount"],
            purchased=d["purchased"],
            dose_days=d["dose_days"],
            country=d["country"],
            iban=d["iban"],
            idempotency_key=_key(d),
        ),
    ),
    "follow_up": (
        forms.NoteForm,
        lambda c, u, d, r: case_actions.request_follow_up(c, actor=u, note=d["note"]),
    ),
    "reassess": (
        forms.NoteForm,
        lambda c, u, d, r: case_actions.reassess(c, actor=u, note=d["note"]),
    ),
    "document": (
        forms.DocumentForm,
        lambda c, u, d, r: case_actions.add_document(c, d["file"], actor=u),
    ),
    "message": (
        forms.MessageForm,
        lambda c, u, d, r: talk.post_message(c, actor=u, body=d["body"], idempotency_key=_key(d)),
    ),
    "objection": (
        forms.ObjectionForm,
        lambda c, u, d, r: talk.file_objection(c, actor=u, text=d["text"], idempotency_key=_key(d)),
    ),
}


@require_POST
@access_required(is_signed_in)
def act(request, number: str, action: str):
    case = access_case(request.user, number)
    if action not in ACTIONS:
        raise Http404(action)
    form_class, function = ACTIONS[action]
    allowed = _forms_for(case, request.user)
    if action not in allowed:
        raise PermissionDenied
    if form_class is None:
        form = forms.ChoiceForm(request.POST, hospitals=case.hospitals)
    else:
        form = form_class(request.POST, request.FILES or None)
    if submitted(
        request,
        form,
        lambda data: function(case, request.user, data, request) or True,
        field="file" if action == "document" else None,
    ):
        messages.success(request, _("Saved."))
        return redirect("treatment_abroad:detail", number=case.number)
    case.refresh_from_db()
    return _page(request, case, bound=(action, form))


@require_POST
@access_required(can_work_abroad_cases)
def answer(request, number: str, pk: int):
    case = access_case(request.user, number)
    objection = get_object_or_404(Objection, pk=pk, case=case)
    form = forms.AnswerForm(request.POST)
    if submitted(
        request,
        form,
        lambda d: talk.answer_objection(
            objection, actor=request.user, answer=d["answer"], upheld=d["upheld"]
        ),
    ):
        messages.success(request, _("Answer sent."))
        return redirect("treatment_abroad:detail", number=case.number)
    return _page(request, case)


@require_POST
@access_required(can_work_abroad_cases)
def resolve_task(request, number: str, pk: int):
    case = access_case(request.user, number)
    task = get_object_or_404(CaseTask, pk=pk, case=case)
    form = forms.TaskForm(request.POST)
    if submitted(
        request,
        form,
        lambda d: daily.resolve_task(task, actor=request.user, decision=d["decision"]),
    ):
        messages.success(request, _("Decision recorded."))
        return redirect("treatment_abroad:detail", number=case.number)
    return _page(request, case)


@access_required(is_signed_in)
def precertificate(request, number: str):
    """The pre-certificate as a PDF, for the member and the case managers; logged."""
    case = access_case(request.user, number)
    if not case.precertificate_issued:
        raise Http404(number)
    record_view(request, verb="view_abroad_precertificate", obj=case)
    pdf = letters.precertificate_pdf(case, translation.get_language() or "bg")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.precertificate_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@access_required(can_work_abroad_cases)
def queue(request):
    form = forms.QueueFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    cases = queue_of(
        status=data.get("status", ""),
        mine_of=request.user if data.get("mine") else None,
        overdue_only=bool(data.get("overdue")),
    )
    today = timezone.localdate()
    return render(
        request,
        "treatment_abroad/queue.html",
        {"form": form, "cases": cases[:200], "today": today},
    )
