"""Pages of the second medical opinion (000 а), стъпки 5–17) for the member, the partner team
and the specialist. Views parse input, call one action and render; who may see what is
decided in ``fetch_cases`` (404 for everyone else). The team's pages and the chat are in
``views_team``; the ordering steps in ``views_order``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import has_role, role_required
from zdrave.contracts.eligibility import Ineligible
from zdrave.contracts.models import InsuredPerson
from zdrave.member_services.second_opinion import actions, fetch, tokens
from zdrave.member_services.second_opinion.forms import (
    ChatForm,
    ForwardForm,
    ReportForm,
    RequestForm,
    UploadForm,
)
from zdrave.member_services.second_opinion.models import CaseStatus

SIGNED_IN_BY_LINK = "opinions_link_member"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@login_required
@require_http_methods(["GET", "POST"])
def request_opinion(request, pk: int):
    """000 а) стъпка 5: the form behind "Получете второ медицинско мнение"."""
    try:
        cover = fetch.extra_care_cover(request.user)
    except Ineligible as refusal:
        return not_eligible(request, refusal)
    specialist = fetch.access_specialist(pk)
    form = RequestForm(request.POST or None, initial={"email": member_email(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_opinion(
                actor=request.user,
                cover=cover,
                specialist=specialist,
                email=form.cleaned_data["email"],
                documents_description=form.cleaned_data["documents_description"],
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return render(
                request,
                "second_opinion/request_sent.html",
                {"specialist": specialist, "partner_name": fetch.service().partner_name},
            )
    return render(
        request,
        "second_opinion/request.html",
        {"form": form, "specialist": specialist, "partner_name": fetch.service().partner_name},
    )


@login_required
def account(request):
    """000 а) стъпка 9: partner contacts, open cases, password change and the live chat."""
    if has_role(request.user, Role.PARTNER):
        return redirect("second_opinion:team")
    if has_role(request.user, Role.SPECIALIST):
        return redirect("second_opinion:assigned")
    try:
        fetch.extra_care_cover(request.user)
    except Ineligible as refusal:
        if not fetch.visible_cases(request.user).exists():
            return not_eligible(request, refusal)
    svc = fetch.service()
    partner_code = fetch.chat_partner_code(request.user)
    return render(
        request,
        "second_opinion/account.html",
        {
            "svc": svc,
            "open_cases": fetch.open_cases(request.user),
            "chat": fetch.chat_messages(request.user, partner_code),
            "chat_form": ChatForm(),
            "chat_endpoint": reverse("second_opinion:chat"),
            "chat_note": _("Write to the %(partner)s team in Bulgarian or English.")
            % {"partner": svc.partner_name},
            "needs_password": not request.user.has_usable_password(),
        },
    )


@login_required
def my_cases(request):
    """000 а) стъпка 10: "Моите случаи" — open cases first, then the closed ones."""
    if has_role(request.user, Role.PARTNER):
        return redirect("second_opinion:team")
    if has_role(request.user, Role.SPECIALIST):
        return redirect("second_opinion:assigned")
    cases = fetch.visible_cases(request.user).order_by("-created_at")
    return render(
        request,
        "second_opinion/mine.html",
        {
            "open_cases": [c for c in cases if c.is_open],
            "closed_cases": [c for c in cases if not c.is_open],
        },
    )


@login_required
def case_detail(request, pk: int):
    """000 а) стъпка 11: the case's state and history; the member continues the order with the
    green button, the team and the specialist act from here."""
    case = fetch.access_case(request.user, pk)
    is_team = fetch.is_team_of(request.user, case)
    is_specialist = fetch.is_specialist_of(request.user, case)
    documents = fetch.files_for_specialist(case) if is_specialist else case.documents()
    context = {
        "case": case,
        "svc": fetch.service_of(case),
        "is_member": case.member_id == request.user.pk,
        "is_team": is_team,
        "is_specialist": is_specialist,
        "events": case.events.select_related("actor"),
        "documents": documents,
        "report": case.report,
        "next_step": min(case.order_step + 1, actions.LAST_ORDER_STEP),
    }
    if is_team and case.status == CaseStatus.REQUESTED:
        context["forward_form"] = ForwardForm(
            initial={"specialist": case.requested_specialist},
            specialists=fetch.specialists(case.partner_code),
        )
    if (is_team or is_specialist) and case.status == CaseStatus.WITH_SPECIALIST:
        context["report_form"] = ReportForm()
    if is_team and case.status in {CaseStatus.OPEN, CaseStatus.SUBMITTED}:
        context["upload_form"] = UploadForm()
    return render(request, "second_opinion/detail.html", context)


@role_required(Role.SPECIALIST)
def assigned(request):
    """A specialist's cases: only those assigned to them that the team has passed on."""
    cases = fetch.visible_cases(request.user).order_by("-created_at")
    return render(request, "second_opinion/assigned.html", {"cases": cases})


# -- the one-time link, 000 а) стъпки 7–8 -----------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_in(request, token: str):
    """GET shows a button, POST uses the link: mail scanners that open links must not use up a
    single-use link. A new account sets its password next; an existing one goes to the account."""
    try:
        link = tokens.peek(token)
        if request.method == "POST":
            link = tokens.consume(token)
    except tokens.LinkRefused as refusal:
        return render(
            request, "second_opinion/link_refused.html", {"reason": refusal.reason}, status=410
        )
    if request.method == "GET":
        return render(request, "second_opinion/sign_in.html", {"link": link})
    login(request, link.member, backend=MODEL_BACKEND)
    if not link.member.has_usable_password():
        request.session[SIGNED_IN_BY_LINK] = link.member.pk
        return redirect("second_opinion:set_password")
    messages.success(request, _("You are signed in. Your case is under “My cases”."))
    return redirect("second_opinion:account")


@login_required
@require_http_methods(["GET", "POST"])
def set_password(request):
    """000 а) стъпка 8, "регистрирате се": a new account chooses its password (only right after
    signing in with the e-mail link)."""
    if request.session.get(SIGNED_IN_BY_LINK) != request.user.pk:
        return redirect("identity:password_change")
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, request.user, backend=MODEL_BACKEND)  # the session survives the change
        request.session.pop(SIGNED_IN_BY_LINK, None)
        messages.success(request, _("Your password is set. Welcome!"))
        return redirect("second_opinion:account")
    return render(request, "second_opinion/set_password.html", {"form": form})


# -- shared helpers --------------------------------------------------------------------------


def add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def member_email(user) -> str:
    if user.email:
        return user.email
    person = InsuredPerson.objects.filter(user=user).only("email").first()
    return person.email if person else ""


def not_eligible(request, refusal: Ineligible):
    """000 а) стъпка 1: only members whose contract includes Extra Care may ask; everyone else
    is told why."""
    return render(
        request, "second_opinion/not_eligible.html", {"reason": refusal.reason}, status=403
    )
