"""The member's Best Doctors refund form (issue 10; 001 / 003 §VII): the covered condition,
the treatment abroad, one cost with its country, the documents the terms name for it (001
т.65.1) and the account. Submitted through ``actions.intake.submit_claim``; the
treatment-abroad engine decides it (``claims.abroad``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zdrave.base.ui.forms import add_action_errors
from zdrave.claims.abroad import DOCUMENT_LABELS, document_checklist
from zdrave.claims.actions.intake import (
    ClaimInput,
    LineInput,
    stage_upload,
    staged_files,
    submit_claim,
)
from zdrave.claims.catalogue import abroad_people
from zdrave.claims.fetch import visible_claims
from zdrave.claims.forms import RefundForm, clean_form_key, new_form_key
from zdrave.claims.models import ClaimKind, Payee

TEMPLATE = "claims/member/new_refund.html"


def new_refund(request):
    """GET: the empty form; POST: store the files, then submit. Called by
    ``views.member.new_claim`` (members only) for ``ClaimKind.BEST_DOCTORS``."""
    members = abroad_people(request.user)
    if not members:
        raise Http404(ClaimKind.BEST_DOCTORS)
    posted = request.method == "POST"
    key = clean_form_key(request.POST.get("form_key") if posted else None) or new_form_key()
    existing = visible_claims(request.user).filter(idempotency_key=key).first()
    if existing is not None:
        return redirect("claims:detail", number=existing.number)
    data = request.POST.copy() if posted else None
    if data is not None:
        data["form_key"] = key
    chosen = request.GET.get("member") or str(members[0].pk)
    form = RefundForm(data, members=members, initial={"form_key": key, "member": chosen})
    file_errors = _stage(request, key) if posted else []
    if posted and form.is_valid() and not file_errors:
        claim = _submit(request, form, key)
        if claim is not None:
            messages.success(
                request,
                _("Claim %(number)s received. We e-mailed you a receipt.")
                % {"number": claim.number},
            )
            return redirect("claims:detail", number=claim.number)
    member = form.members.get(str(form["member"].value())) or members[0]
    benefit = form["benefit"].value() or form.fields["benefit"].choices[0][0]
    return render(
        request,
        TEMPLATE,
        {
            "form": form,
            "show_errors": posted,
            "file_errors": file_errors,
            "checklist": [name for _keys, name in document_checklist(member.contract, benefit)],
            "documents": list(DOCUMENT_LABELS.items()),
            "staged": sorted({k for k, _f in staged_files(request.user, key)}),
        },
    )


def _stage(request, key: str) -> list[str]:
    errors = []
    for document, label in DOCUMENT_LABELS.items():
        for upload in request.FILES.getlist(f"doc-{document}"):
            try:
                stage_upload(upload, actor=request.user, form_key=key, document=document)
            except ValidationError as error:
                errors.append(f"{label}: “{upload.name}”: {' '.join(error.messages)}")
    return errors


def _submit(request, form: RefundForm, key: str):
    data = form.cleaned_data
    member = form.members[data["member"]]
    claim_input = ClaimInput(
        member=member,
        kind=ClaimKind.BEST_DOCTORS,
        lines=[
            LineInput(
                service=data["benefit"],
                benefit=data["benefit"],
                country=data["country"],
                date=data["date"],
                amount=data["amount"],
                currency=data["currency"],
                invoice_number=data["invoice_number"],
                dose_days=data.get("dose_days"),
            )
        ],
        iban=data["iban"],
        payee=Payee.INSURED,
        payee_name=member.person.full_name,
        provider=data["provider"],
        diagnosis=data["diagnosis"],
        idempotency_key=key,
        site_url=request.build_absolute_uri("/"),
        condition=data["condition"],
        precertificate_issued=data.get("precertificate_issued"),
        hospital_nights=data.get("hospital_nights"),
        returned_home=data.get("returned_home"),
    )
    try:
        return submit_claim(claim_input, actor=request.user)
    except ValidationError as error:
        add_action_errors(form, error)
    except PermissionDenied:
        raise Http404 from None
    return None
