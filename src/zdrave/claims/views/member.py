"""The member's claim pages (issue 10; 004 Чл.29): "My claims" with what is left of the limits,
a new claim (kind and person, then the form with its lines and documents), the claim's status
page, documents sent later, withdrawal and a new account. Members only: every other role, and
a member who may not see the claim, gets 404 (``fetch.access_claim``). Views parse, call one
action and render; the decision letter is ``views/letters.py``."""

from __future__ import annotations

from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zdrave.base.audit.models import record_view
from zdrave.base.identity.permissions import has_role, is_signed_in
from zdrave.base.identity.roles import Role
from zdrave.base.ui.forms import submitted
from zdrave.claims.actions.account import change_account
from zdrave.claims.actions.intake import (
    ClaimInput,
    LineInput,
    stage_upload,
    staged_files,
    submit_claim,
)
from zdrave.claims.actions.intake import add_documents as add_claim_documents
from zdrave.claims.actions.intake import withdraw as withdraw_claim
from zdrave.claims.catalogue import (
    OFFERED_KINDS,
    Covered,
    abroad_people,
    covered_of,
    covered_people,
    document_names,
)
from zdrave.claims.claim_form import KEY as CLAIM_FORM
from zdrave.claims.claim_form import claim_form_file
from zdrave.claims.display import claim_page
from zdrave.claims.fetch import access_claim, visible_claims
from zdrave.claims.forms import (
    AccountForm,
    ClaimDetailsForm,
    DocumentsForm,
    KindForm,
    LineFormSet,
    WithdrawForm,
    clean_form_key,
    new_form_key,
)
from zdrave.claims.limits import person_limits
from zdrave.claims.models import ClaimKind, Payee, PaymentStatus
from zdrave.claims.views.abroad import new_refund
from zdrave.claims.views.uploads import (
    claim_checklist,
    form_checklist,
    stage_files,
    upload_fields,
)

MEMBER = "claims/member/"
ZERO = Decimal("0.00")
MAX_LINES_FIELD = "line-TOTAL_FORMS"


def member_page(view):
    """Members only (404 for other roles), and an action a member may not take on a claim is a
    404 too (``PermissionDenied``): nobody learns which claims exist. A form sent after the
    session expired goes to the log-in page, which brings the member back to the same form key:
    the files already uploaded are still there; what was typed is not (docs/decisions.md)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_signed_in(request.user):
            path = request.path
            key = clean_form_key(request.POST.get("form_key")) if request.method == "POST" else None
            login = redirect_to_login(f"{path}?key={key}" if key else request.get_full_path())
            if request.htmx:  # a swap would put the log-in page inside the form
                return HttpResponse(status=204, headers={"HX-Redirect": login["Location"]})
            return login
        if not has_role(request.user, Role.MEMBER):
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            raise Http404 from None

    return wrapped


# -- my claims ---------------------------------------------------------------------------------


@member_page
def mine(request):
    """The claims of the people the member may claim for, newest first, and what is left of each
    person's limits this insurance year (004 Чл.26; 002 II.Б … VI.Б)."""
    claims = (
        visible_claims(request.user)
        .annotate(paid=Sum("payments__amount", filter=Q(payments__status=PaymentStatus.PAID)))
        .order_by("-submitted", "-id")
    )
    people = covered_people(request.user)
    return render(
        request,
        MEMBER + "mine.html",
        {"claims": claims, "limits": [person_limits(c) for c in people], "can_claim": people},
    )


# -- a new claim ---------------------------------------------------------------------------------


@member_page
def new(request):
    """Step one: the kind of claim, explained, and who was treated."""
    people = covered_people(request.user)
    abroad = abroad_people(request.user)  # Best Doctors refunds (views/abroad.py)
    if not people and not abroad:
        return render(request, MEMBER + "no_cover.html")
    bound = "kind" in request.GET or "member" in request.GET
    first = people[0].member if people else abroad[0]
    form = KindForm(
        request.GET if bound else None,
        people=people,
        abroad=abroad,
        initial={"member": str(first.pk)},
    )
    if bound and form.is_valid():
        url = reverse("claims:new_claim", args=[form.cleaned_data["kind"]])
        return redirect(f"{url}?member={form.cleaned_data['member']}")
    return render(request, MEMBER + "new.html", {"form": form})


@member_page
@require_http_methods(["GET", "POST"])
def new_claim(request, kind: str):
    """The claim form of one kind: the person, the provider, the diagnosis, how it happened,
    the lines, the account and the documents the lines need. Every file is stored as soon as
    it arrives under the form's key, so a form sent back for a mistake keeps them; the same key
    submitted twice is one claim (POST/redirect/GET)."""
    if kind == ClaimKind.BEST_DOCTORS:
        return new_refund(request)
    if kind not in OFFERED_KINDS:
        raise Http404(kind)
    people = covered_people(request.user)
    if not people:
        return render(request, MEMBER + "no_cover.html")
    posted = request.method == "POST"
    key = clean_form_key(request.POST.get("form_key") if posted else request.GET.get("key"))
    key = key or new_form_key()
    existing = visible_claims(request.user).filter(idempotency_key=key).first()
    if existing is not None:  # a second click, a reload, the other tab
        return redirect("claims:detail", number=existing.number)
    data = request.POST.copy() if posted else None
    action = data.get("action", "submit") if data else ""
    if data is not None:
        data["form_key"] = key  # a missing or mangled key is replaced, not refused
    if action == "add_line":
        count = _count(data.get(MAX_LINES_FIELD))
        data[MAX_LINES_FIELD] = str(count + 1)
        data[f"line-{count}-quantity"] = "1"
    details = ClaimDetailsForm(data, people=people, initial=_initial(request, people, key))
    covered = _chosen(details, people)
    lines = LineFormSet(data, prefix="line", form_kwargs={"covered": covered, "kind": kind})
    file_errors = stage_files(request, key, covered) if posted else {}
    if action == "submit" and lines.is_valid() and not file_errors:
        claim = submitted(
            request, details, lambda _data: _submit(request, kind, details, lines, covered, key)
        )
        if claim is not None:
            messages.success(
                request,
                _("Claim %(number)s received. We e-mailed you a receipt.")
                % {"number": claim.number},
            )
            return redirect("claims:detail", number=claim.number)
    checklist = form_checklist(lines, covered, details)
    show_errors = action == "submit"
    return render(
        request,
        MEMBER + "new_claim.html",
        {
            "kind": kind,
            "kind_label": ClaimKind(kind).label,
            "details": details,
            "lines": lines,
            "show_errors": show_errors,
            "has_errors": show_errors and (bool(details.errors) or lines.total_error_count() > 0),
            "file_errors": file_errors,
            "checklist": checklist,
            "uploads": upload_fields(request, key, covered, checklist, file_errors),
            "max_lines": lines.max_num,
        },
    )


def _count(value) -> int:
    try:
        return max(1, min(int(value), LineFormSet.max_num - 1))
    except (TypeError, ValueError):
        return 1


def _initial(request, people: list[Covered], key: str) -> dict:
    chosen = next((c for c in people if str(c.member.pk) == request.GET.get("member")), people[0])
    own = chosen.member.person.user_id == request.user.pk
    return {
        "form_key": key,
        "member": str(chosen.member.pk),
        # A child's reimbursement goes to the policyholder (the parent) unless said otherwise.
        "payee": Payee.INSURED if own else Payee.HOLDER,
    }


def _chosen(details: ClaimDetailsForm, people: list[Covered]) -> Covered:
    value = details.data.get("member") if details.is_bound else details.initial.get("member")
    return next((c for c in people if str(c.member.pk) == str(value)), people[0])


def _payee_name(member, payee: str) -> str:
    """The account holder the member chose: themselves, or the policyholder (004 Чл.29 т.7)."""
    return member.person.full_name if payee == Payee.INSURED else member.contract.holder.name


def _submit(request, kind, details, lines, covered: Covered, key: str):
    data = details.cleaned_data
    member = covered.member
    claim_input = ClaimInput(
        member=member,
        kind=kind,
        lines=[
            LineInput(
                service=line["service"],
                date=line["date"],
                amount=line["amount"],
                currency=line["currency"],
                quantity=line["quantity"],
                invoice_number=line["invoice_number"],
                prescribed=line.get("prescribed"),
                nhif_paid=line.get("nhif_paid") or ZERO,
                other_insurer_paid=line.get("other_insurer_paid") or ZERO,
                dose_days=line.get("dose_days"),
            )
            for line in lines.cleaned_data
            if line
        ],
        iban=data["iban"],
        payee=data["payee"],
        payee_name=_payee_name(member, data["payee"]),
        provider=data["provider"],
        diagnosis=data["diagnosis"],
        diagnosis_text=data["diagnosis_text"],
        circumstances=list(data["circumstances"]),
        idempotency_key=key,
        site_url=request.build_absolute_uri("/"),
    )
    staged = staged_files(request.user, key)
    if not any(document == CLAIM_FORM for document, _file in staged):
        stage_upload(
            claim_form_file(
                claim_input,
                covered,
                submitted_by=request.user.get_full_name() or request.user.get_username(),
                documents=sorted({CLAIM_FORM, *(document for document, _file in staged)}),
                circumstances=dict(details.fields["circumstances"].choices),
            ),
            actor=request.user,
            form_key=key,
            document=CLAIM_FORM,
        )
    return submit_claim(claim_input, actor=request.user)


# -- one claim -------------------------------------------------------------------------------


@member_page
def detail(request, number: str):
    """The status page: every step with its date, what is missing and by when, the decision per
    line with its clause, payments, earlier decisions. Every view is logged (health data)."""
    claim = access_claim(request.user, number)
    record_view(request, verb="view_claim", obj=claim)
    return render(request, MEMBER + "detail.html", {"page": claim_page(claim, request.user)})


@member_page
@require_http_methods(["GET", "POST"])
def add_documents(request, number: str):
    """Documents sent later to the same claim; the last one requested restarts the statutory
    clock (004 Чл.29 т.2)."""
    claim = access_claim(request.user, number)
    if request.method == "GET":  # the page lists the claim's missing documents: health data
        record_view(request, verb="view_claim_documents", obj=claim)
    covered = covered_of(claim.member)
    key = clean_form_key(request.POST.get("form_key")) or new_form_key()
    form = DocumentsForm(
        request.POST if request.method == "POST" else None, initial={"form_key": key}
    )
    file_errors = {}
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["form_key"]
        file_errors = stage_files(request, key, covered)
    if not file_errors and submitted(
        request,
        form,
        lambda data: add_claim_documents(claim, actor=request.user, form_key=data["form_key"]),
    ):
        messages.success(request, _("Thank you: the documents were added to the claim."))
        return redirect("claims:detail", number=claim.number)
    names = document_names(covered.version)
    checklist = claim_checklist(claim, covered)
    return render(
        request,
        MEMBER + "add_documents.html",
        {
            "claim": claim,
            "form": form,
            "missing": [names.get(k, k) for k in claim.missing_documents],
            "uploads": upload_fields(request, key, covered, checklist, file_errors),
            "file_errors": file_errors,
        },
    )


@member_page
@require_http_methods(["GET", "POST"])
def withdraw(request, number: str):
    """Withdraw a claim that is not decided yet, after a confirmation."""
    claim = access_claim(request.user, number)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # A refusal (the claim was decided meanwhile) is told on the claim's page.
        try:
            withdraw_claim(claim, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The claim was withdrawn."))
        return redirect("claims:detail", number=claim.number)
    return render(request, MEMBER + "withdraw.html", {"claim": claim, "form": form})


@member_page
@require_http_methods(["GET", "POST"])
def new_account(request, number: str):
    """Another account for the payment: after the bank returned it, or before it is scheduled
    (004 Чл.29 т.7: the insured person's own account or the policyholder's)."""
    claim = access_claim(request.user, number)
    member = claim.member
    form = AccountForm(
        request.POST if request.method == "POST" else None,
        initial={"payee": claim.payee or Payee.INSURED, "iban": claim.iban},
    )
    if submitted(
        request,
        form,
        lambda data: change_account(
            claim,
            actor=request.user,
            iban=data["iban"],
            payee=data["payee"],
            payee_name=_payee_name(member, data["payee"]),
        ),
    ):
        messages.success(request, _("The new account was saved."))
        return redirect("claims:detail", number=claim.number)
    return render(request, MEMBER + "new_account.html", {"claim": claim, "form": form})
