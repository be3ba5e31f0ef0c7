"""The member's and employer's complaint pages: "My complaints", a new complaint, and one
complaint with its status, due date and answer. Other roles get 404 here (staff have the queue);
a complaint the user may not see is a 404 too (``fetch.access_complaint``)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zdrave.base.audit.models import record_view
from zdrave.base.identity.permissions import can_file_complaint, has_role, is_signed_in
from zdrave.base.identity.roles import Role
from zdrave.base.ui.forms import submitted
from zdrave.claims.fetch import visible_claims
from zdrave.claims.models import Claim
from zdrave.contracts.models import Contract
from zdrave.member_rights.complaints.actions import ComplaintInput, file_complaint
from zdrave.member_rights.complaints.clocks import flag_of
from zdrave.member_rights.complaints.fetch import access_complaint, visible_complaints
from zdrave.member_rights.complaints.forms import ComplaintForm, clean_form_key, new_form_key
from zdrave.member_rights.complaints.models import ComplainantKind
from zdrave.treatment_abroad.fetch import visible_cases
from zdrave.treatment_abroad.models import AbroadCase

PAGES = "complaints/member/"


def complainant_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        if not can_file_complaint(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@complainant_page
def mine(request):
    complaints = visible_complaints(request.user).order_by("-received_on", "-id")
    rows = [(c, flag_of(c)) for c in complaints]
    return render(request, PAGES + "mine.html", {"rows": rows})


@complainant_page
@require_http_methods(["GET", "POST"])
def new(request):
    """The complaint form; the same one-time key sent twice is one complaint (PRG)."""
    user = request.user
    posted = request.method == "POST"
    key = clean_form_key(request.POST.get("form_key") if posted else None) or new_form_key()
    existing = visible_complaints(user).filter(idempotency_key=key).first()
    if existing is not None:  # a second click, a reload
        return redirect("complaints:detail", number=existing.number)
    data = request.POST.copy() if posted else None
    if data is not None:
        data["form_key"] = key
    initial = {
        "form_key": key,
        "email": user.email,
        "language": (getattr(user, "language", "") or get_language() or "bg")[:2],
        "subject": request.GET.get("about", ""),
    }
    if initial["subject"].startswith("claim:"):
        initial["category"] = "claim_decision"
    elif initial["subject"].startswith("case:"):
        initial["category"] = "case_decision"
    form = ComplaintForm(data, request.FILES if posted else None, user=user, initial=initial)
    complaint = submitted(request, form, lambda d: _file(request, d))
    if complaint is not None:
        messages.success(
            request,
            _("Complaint %(number)s registered. We answer in writing by %(due)s.")
            % {"number": complaint.number, "due": f"{complaint.due_on:%d.%m.%Y}"},
        )
        return redirect("complaints:detail", number=complaint.number)
    return render(request, PAGES + "new.html", {"form": form})


def _file(request, data):
    user = request.user
    subject = data["subject"]
    employer = has_role(user, Role.EMPLOYER)
    return file_complaint(
        ComplaintInput(
            category=data["category"],
            text=data["text"],
            complainant_kind=ComplainantKind.EMPLOYER if employer else ComplainantKind.INSURED,
            complainant_name=user.get_full_name() or user.get_username(),
            claim=subject if isinstance(subject, Claim) else None,
            case=subject if isinstance(subject, AbroadCase) else None,
            contract=subject if isinstance(subject, Contract) else None,
            reassessment=data.get("reassessment", False),
            email=data["email"],
            phone=data["phone"],
            language=data["language"],
            files=data["files"],
            idempotency_key=data["form_key"],
            site_url=request.build_absolute_uri("/"),
        ),
        actor=user,
    )


@complainant_page
def detail(request, number: str):
    complaint = access_complaint(request.user, number)
    record_view(request, verb="complaint_viewed", obj=complaint)
    claim_link = (
        complaint.claim_id is not None
        and visible_claims(request.user).filter(pk=complaint.claim_id).exists()
    )
    return render(
        request,
        PAGES + "detail.html",
        {
            "complaint": complaint,
            "flag": flag_of(complaint),
            "files": complaint.files.select_related("file"),
            "claim_link": claim_link,
            "case_link": complaint.case_id is not None
            and visible_cases(request.user).filter(pk=complaint.case_id).exists(),
        },
    )
