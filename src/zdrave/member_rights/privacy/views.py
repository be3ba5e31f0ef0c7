"""The member's "My data" pages, the data protection officer's requests and the audit search.
Thin: a form, one action, a redirect; every permission from ``base.identity.permissions``."""

from __future__ import annotations

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zdrave.base.identity.permissions import (
    access_required,
    can_handle_data_requests,
    can_read_audit_trail,
    can_use_my_data,
    sees_all_health_data,
)
from zdrave.base.ui.forms import submitted
from zdrave.member_rights.privacy import access_log, actions, consent, export, fetch, retention
from zdrave.member_rights.privacy.forms import (
    AnswerForm,
    AuditSearchForm,
    ConsentForm,
    CorrectionForm,
    ErasureForm,
    new_form_key,
)
from zdrave.member_rights.privacy.models import ConsentEvent, DataRequest, RequestStatus


@access_required(can_use_my_data)
@require_GET
def mine(request):
    user = request.user
    return render(
        request,
        "privacy/mine.html",
        {
            "consent": consent.current(user),
            "consent_text": consent.TEXTS[consent.TEXT_VERSION],
            "consent_form": ConsentForm(),
            "history": ConsentEvent.objects.filter(member=user).select_related("recorded_by"),
            "requests": DataRequest.objects.filter(member=user),
            "today": timezone.localdate(),
        },
    )


@access_required(can_use_my_data)
@require_GET
def download(request):
    """The archive, streamed (``export.stream_zip``); the download is logged first."""
    actions.log_export(request.user, request=request)
    response = StreamingHttpResponse(
        export.stream_zip(export.entries(request.user)), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.archive_name(request.user)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@access_required(can_use_my_data)
@require_POST
def set_consent(request):
    form = ConsentForm(request.POST)
    if event := submitted(
        request,
        form,
        lambda data: actions.set_marketing_consent(request.user, data["given"], actor=request.user),
    ):
        messages.success(
            request,
            _("You agreed to product news and surveys.")
            if event.given
            else _("Your consent is withdrawn: no more product news or surveys."),
        )
    else:
        messages.error(request, _("Choose whether you agree."))
    return redirect("privacy:mine")


def _request_page(request, form_class, action, template, extra=None):
    form = form_class(request.POST or None, initial={"form_key": new_form_key()})
    if data_request := submitted(request, form, action):
        if data_request.status == RequestStatus.REFUSED:
            messages.error(request, data_request.outcome)
        else:
            messages.success(
                request,
                _("Request %(number)s received. We answer by %(due)s.")
                % {"number": data_request.number, "due": f"{data_request.due_on:%d.%m.%Y}"},
            )
        return redirect("privacy:mine")
    return render(request, template, {"form": form, **(extra or {})})


@access_required(can_use_my_data)
@require_http_methods(["GET", "POST"])
def correction(request):
    return _request_page(
        request,
        CorrectionForm,
        lambda data: actions.request_correction(
            request.user, text=data["text"], key=data["form_key"]
        ),
        "privacy/correction.html",
    )


@access_required(can_use_my_data)
@require_http_methods(["GET", "POST"])
def erasure(request):
    plan = retention.erasure_plan(request.user)
    return _request_page(
        request,
        ErasureForm,
        lambda data: actions.request_erasure(request.user, text=data["text"], key=data["form_key"]),
        "privacy/erasure.html",
        {
            "erased": [r for r in plan if r.erase],
            "kept": [r for r in plan if not r.erase],
            "labels": retention.KIND_LABELS,
            "open_claims": list(retention.open_claims(request.user)),
            "still_open": (
                actions.still_open(matters)
                if (matters := retention.open_matters(request.user))
                else ""
            ),
        },
    )


@access_required(can_use_my_data)
@require_GET
def accesses(request):
    return render(
        request, "privacy/accesses.html", {"accesses": access_log.accesses_to(request.user)}
    )


# -- the data protection officer ---------------------------------------------------------------


@access_required(can_handle_data_requests)
@require_GET
def queue(request):
    return render(
        request,
        "privacy/queue.html",
        {
            "open": fetch.request_queue(),
            "answered": fetch.answered_requests(),
            "today": timezone.localdate(),
        },
    )


@access_required(can_handle_data_requests)
@require_http_methods(["GET", "POST"])
def request_detail(request, pk: int):
    data_request = fetch.access_request(request.user, pk)
    form = AnswerForm(request.POST or None)
    if data_request.is_open and submitted(
        request,
        form,
        lambda data: actions.answer_request(
            data_request, actor=request.user, done=data["done"], outcome=data["outcome"]
        ),
    ):
        messages.success(request, _("The answer is recorded."))
        return redirect("privacy:request", pk=data_request.pk)
    return render(
        request,
        "privacy/request.html",
        {
            "data_request": data_request,
            "form": form,
            "labels": retention.KIND_LABELS,
            "today": timezone.localdate(),
        },
    )


@access_required(can_read_audit_trail)
@require_GET
def audit(request):
    form = AuditSearchForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        query = fetch.AuditQuery(**form.cleaned_data)
        if not query.empty:
            result = fetch.search_audit(request.user, query)
    return render(
        request,
        "privacy/audit.html",
        {
            "form": form,
            "result": result,
            "show_details": sees_all_health_data(request.user),
        },
    )
