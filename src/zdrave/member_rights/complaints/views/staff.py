"""The complaints staff's pages: the queue (soonest due first, with the at-risk / overdue flag
and filters), recording a complaint received by letter, e-mail, phone or at an office, one
complaint with its work (take, escalate to a second level, answer with a letter, reopen the
claim), and the monthly register for the supervisor. ``can_handle_complaints`` or 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zdrave.base.audit.models import record, record_view
from zdrave.base.identity.permissions import (
    access_required,
    can_answer_complaint,
    can_handle_complaints,
)
from zdrave.base.ui.forms import submitted
from zdrave.engine.complaints import Flag
from zdrave.member_rights.complaints import actions, register
from zdrave.member_rights.complaints.abroad import can_reassess_case
from zdrave.member_rights.complaints.clocks import flag_of
from zdrave.member_rights.complaints.fetch import access_complaint, visible_complaints
from zdrave.member_rights.complaints.forms import (
    AnswerForm,
    EscalateForm,
    QueueFilterForm,
    RegisterForm,
    StaffComplaintForm,
    clean_form_key,
    new_form_key,
)
from zdrave.member_rights.complaints.models import ComplaintStatus

PAGES = "complaints/staff/"
staff_page = access_required(can_handle_complaints)
PER_PAGE = 50


@staff_page
@require_GET
def queue(request):
    form = QueueFilterForm(request.GET or None)
    rows = visible_complaints(request.user).order_by("due_on", "id")
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    status = data.get("status")
    rows = rows.filter(status=status) if status else rows.exclude(status=ComplaintStatus.ANSWERED)
    for name in ("category", "channel"):
        if data.get(name):
            rows = rows.filter(**{name: data[name]})
    if data.get("mine"):
        rows = rows.filter(owner=request.user) | rows.filter(escalated_to=request.user)
    today = timezone.localdate()
    flagged = [(c, flag_of(c, today)) for c in rows]
    if data.get("flag"):
        flagged = [(c, f) for c, f in flagged if f == data["flag"]]
    page = Paginator(flagged, PER_PAGE).get_page(request.GET.get("page"))
    counts = {
        "overdue": sum(1 for _c, f in flagged if f == Flag.OVERDUE),
        "at_risk": sum(1 for _c, f in flagged if f == Flag.AT_RISK),
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        PAGES + "queue.html",
        {
            "form": form,
            "page": page,
            "rows": page.object_list,
            "counts": counts,
            "query": query.urlencode(),
        },
    )


@staff_page
@require_http_methods(["GET", "POST"])
def record_complaint(request):
    """A complaint received otherwise than through the portal; the same form key twice is one
    complaint."""
    posted = request.method == "POST"
    key = clean_form_key(request.POST.get("form_key") if posted else None) or new_form_key()
    existing = visible_complaints(request.user).filter(idempotency_key=key).first()
    if existing is not None:
        return redirect("complaints:review", number=existing.number)
    data = request.POST.copy() if posted else None
    if data is not None:
        data["form_key"] = key
    form = StaffComplaintForm(
        data,
        request.FILES if posted else None,
        initial={"form_key": key, "received_on": timezone.localdate(), "language": "bg"},
    )
    complaint = submitted(request, form, lambda d: _record(request, d))
    if complaint is not None:
        messages.success(
            request,
            _("Complaint %(number)s registered; the answer is due by %(due)s.")
            % {"number": complaint.number, "due": f"{complaint.due_on:%d.%m.%Y}"},
        )
        return redirect("complaints:review", number=complaint.number)
    return render(request, PAGES + "record.html", {"form": form})


def _record(request, data):
    return actions.file_complaint(
        actions.staff_input(
            category=data["category"],
            text=data["text"],
            channel=data["channel"],
            received_on=data["received_on"],
            complainant_kind=data["complainant_kind"],
            complainant_name=data["complainant_name"],
            complainant_user=data["account"],
            claim=data["claim_number"],
            contract=data["contract_number"],
            case=data["case_number"],
            reassessment=data["reassessment"],
            email=data["email"] or (data["account"].email if data["account"] else ""),
            postal_address=data["postal_address"],
            phone=data["phone"],
            language=data["language"],
            files=data["files"],
            idempotency_key=data["form_key"],
            site_url=request.build_absolute_uri("/"),
        ),
        actor=request.user,
    )


def _review_context(request, complaint, **forms):
    can_reopen = actions.can_reopen_claim(complaint)
    return {
        "complaint": complaint,
        "flag": flag_of(complaint),
        "files": complaint.files.select_related("file"),
        "events": complaint.events.select_related("actor"),
        "can_answer": can_answer_complaint(request.user, complaint),
        "can_escalate": complaint.status in (ComplaintStatus.REGISTERED, ComplaintStatus.IN_REVIEW),
        "can_take": complaint.status in (ComplaintStatus.REGISTERED, ComplaintStatus.IN_REVIEW)
        and complaint.owner_id != request.user.pk,
        "escalate_form": forms.get("escalate_form") or EscalateForm(user=request.user),
        "answer_form": forms.get("answer_form")
        or AnswerForm(
            can_reopen=can_reopen,
            can_reassess=can_reassess_case(complaint),
            initial={"language": complaint.language},
        ),
    }


@staff_page
@require_GET
def review(request, number: str):
    complaint = access_complaint(request.user, number)
    record_view(request, verb="complaint_viewed", obj=complaint)
    return render(request, PAGES + "review.html", _review_context(request, complaint))


@staff_page
@require_POST
def take(request, number: str):
    complaint = access_complaint(request.user, number)
    try:
        actions.take(complaint, actor=request.user)
    except actions.ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("complaints:review", number=complaint.number)


@staff_page
@require_POST
def escalate(request, number: str):
    complaint = access_complaint(request.user, number)
    form = EscalateForm(request.POST, user=request.user)
    done = submitted(
        request,
        form,
        lambda d: actions.escalate(complaint, actor=request.user, to=d["to"], note=d["note"]),
        field="to",
    )
    if done is not None:
        messages.success(request, _("The complaint went to the second level."))
        return redirect("complaints:review", number=complaint.number)
    context = _review_context(request, complaint, escalate_form=form)
    return render(request, PAGES + "review.html", context, status=400)


@staff_page
@require_POST
def answer(request, number: str):
    complaint = access_complaint(request.user, number)
    form = AnswerForm(
        request.POST,
        can_reopen=actions.can_reopen_claim(complaint),
        can_reassess=can_reassess_case(complaint),
    )
    done = submitted(
        request,
        form,
        lambda d: actions.answer(
            complaint,
            actor=request.user,
            outcome=d["outcome"],
            reasons=d["reasons"],
            reopen=d.get("reopen", False),
            reassess=d.get("reassess", False),
            language=d["language"],
        ),
    )
    if done is not None:
        messages.success(
            request,
            _("The answer is sent; the letter is below.")
            if done.email or done.complainant_user_id
            else _("The answer is recorded: print the letter and post it."),
        )
        return redirect("complaints:review", number=complaint.number)
    context = _review_context(request, complaint, answer_form=form)
    return render(request, PAGES + "review.html", context, status=400)


@staff_page
@require_GET
def register_page(request):
    today = timezone.localdate()
    form = RegisterForm(request.GET or {"month": f"{today:%Y-%m}"})
    year, month = form.cleaned_data["month"] if form.is_valid() else (today.year, today.month)
    rows = register.month_rows(year, month)
    return render(
        request,
        PAGES + "register.html",
        {"form": form, "rows": rows, "columns": register.columns(), "month": f"{year}-{month:02d}"},
    )


@staff_page
@require_GET
def register_file(request, extension: str):
    today = timezone.localdate()
    form = RegisterForm(request.GET or {"month": f"{today:%Y-%m}"})
    year, month = form.cleaned_data["month"] if form.is_valid() else (today.year, today.month)
    rows = register.month_rows(year, month)
    if extension == "xlsx":
        content = register.as_xlsx(rows, title=f"{year}-{month:02d}")
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, kind = register.as_csv(rows), "text/csv; charset=utf-8"
    record(
        actor=request.user,
        verb="complaints_register_exported",
        obj=request.user,
        month=f"{year}-{month:02d}",
        format=extension,
        rows=len(rows),
    )
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = content_disposition_header(
        True, register.file_name(year, month, extension)
    )
    response["Cache-Control"] = "private, no-store"
    return response
