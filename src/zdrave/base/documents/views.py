"""Members upload their medical files and download them; every download is checked and logged."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.defaults import page_not_found, permission_denied

from zdrave.base.audit.models import record_view
from zdrave.base.documents import storage
from zdrave.base.documents.actions import log_access, upload_medical_file
from zdrave.base.documents.forms import UploadForm
from zdrave.base.documents.models import AccessOutcome, MedicalFile
from zdrave.base.documents.permissions import can_access
from zdrave.base.ui.forms import submitted


@login_required
@require_http_methods(["GET", "POST"])
def my_files(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if medical_file := submitted(
        request,
        form,
        lambda data: upload_medical_file(data["file"], uploaded_by=request.user, kind=data["kind"]),
        field="file",
    ):
        messages.success(
            request, _("“%(name)s” was uploaded.") % {"name": medical_file.original_name}
        )
        return redirect("documents:list")
    files = MedicalFile.objects.filter(owner=request.user)
    return render(request, "documents/list.html", {"form": form, "files": files})


@require_http_methods(["GET"])
def download(request, public_id):
    medical_file = MedicalFile.objects.filter(public_id=public_id).first()

    def log(outcome: AccessOutcome) -> None:
        log_access(
            user=request.user,
            requested_id=str(public_id),
            outcome=outcome,
            medical_file=medical_file,
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("User-Agent", ""),
        )

    # Responses are returned, not raised, so the log row is kept whatever the transaction setup.
    if not request.user.is_authenticated:
        log(AccessOutcome.REFUSED)
        return redirect_to_login(request.get_full_path())
    if medical_file is None:
        log(AccessOutcome.NOT_FOUND)
        return page_not_found(request, exception=None)
    if not can_access(request.user, medical_file):
        log(AccessOutcome.REFUSED)
        return permission_denied(request, exception=None)
    try:
        handle = storage.path_of(medical_file.storage_name).open("rb")
    except FileNotFoundError:
        log(AccessOutcome.NOT_FOUND)
        return page_not_found(request, exception=None)
    log(AccessOutcome.SERVED)
    # The platform-wide audit trail too, like every other view of health data.
    record_view(
        request,
        verb="view_medical_file",
        obj=medical_file,
        subject_type=medical_file.subject_type,
        subject_id=medical_file.subject_id,
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=medical_file.download_name,
        content_type=medical_file.mime_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
