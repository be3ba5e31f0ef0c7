"""Pages of the second medical opinion (000 а), стъпки 5–17) for the member, the partner team
and the specialist. Views parse input, call one action and render; who may see what is
decided in ``fetch_cases`` (404 for everyone else). The team's pages and the chat are in
``views_team``; the ordering steps in ``views_order``."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zdrave.base.audit.models import record_view
from zdrave.base.identity.lockout import client_address
from zdrave.base.identity.models import Role, User
from zdrave.base.identity.permissions import role_required
from zdrave.base.ui.forms import submitted
from zdrave.contracts.eligibility import Ineligible
from zdrave.contracts.fetch import member_email
from zdrave.member_services import journey
from zdrave.member_services.second_opinion import actions, fetch, tokens
from zdrave.member_services.second_opinion.forms import (
    ChatForm,
    ForwardForm,
    ReportForm,
    RequestForm,
    UploadForm,
)
from zdrave.member_services.second_opinion.models import CaseStatus

# Partner-team and specialist users have their own pages instead of the member's.
_staff_page = partial(
    journey.staff_page, team="second_opinion:team", specialist="second_opinion:assigned"
)

SIGNED_IN_BY_LINK = "opinions_link_member"
PENDING_LINK = "opinions_link_token"
# The set-password step opened by a link must be finished in one sitting.
SET_PASSWORD_WITHIN = timedelta(minutes=30)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# 000 а) стъпка 1: what a user without Extra Care sees instead of the journey.
NOT_ELIGIBLE = "second_opinion/not_eligible.html"
not_eligible = partial(journey.not_eligible, template=NOT_ELIGIBLE)


@login_required
@require_http_methods(["GET", "POST"])
@journey.extra_care_required(fetch.extra_care_cover, template=NOT_ELIGIBLE)
def request_opinion(request, pk: int, *, cover):
    """000 а) стъпка 5: the form behind "Получете второ медицинско мнение"."""
    specialist = fetch.access_specialist(pk)
    context = {"specialist": specialist, "partner_name": fetch.service().partner_name}
    if request.method == "GET" and "sent" in request.GET:
        if fetch.open_request(request.user, specialist) is None:
            return redirect("second_opinion:request", pk=specialist.pk)
        return render(request, "second_opinion/request_sent.html", context)
    form = RequestForm(request.POST or None, initial={"email": member_email(request.user)})
    if submitted(
        request,
        form,
        lambda data: actions.request_opinion(
            actor=request.user,
            cover=cover,
            specialist=specialist,
            email=data["email"],
            documents_description=data["documents_description"],
            site_url=request.build_absolute_uri("/"),
        ),
    ):
        # POST/redirect/GET: reloading the confirmation must not send the form again.
        return redirect(reverse("second_opinion:request", args=[specialist.pk]) + "?sent=1")
    return render(request, "second_opinion/request.html", {"form": form, **context})


@login_required
def account(request):
    """000 а) стъпка 9: partner contacts, open cases, password change and the live chat."""
    if page := _staff_page(request.user):
        return redirect(page)
    try:
        fetch.check_account_access(request.user)
    except Ineligible as refusal:
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
    if page := _staff_page(request.user):
        return redirect(page)
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
    # The member's question and documents are health data: every view is recorded.
    record_view(request, verb="view_opinion_case", obj=case)
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
    """The e-mailed URL: the token moves into the session at once and the browser goes on to the
    clean ``sign_in_continue`` URL, so the token stays out of the history, the Referer header
    and every later log line (docs/decisions.md, issue 8)."""
    address = client_address(request)
    if tokens.is_throttled(address):
        return link_refused(request, tokens.THROTTLED, status=429)
    try:
        tokens.peek(token)
    except tokens.LinkRefused as refusal:
        return refuse_link(request, address, refusal)
    request.session[PENDING_LINK] = token
    return redirect("second_opinion:sign_in_continue")


@require_http_methods(["GET", "POST"])
def sign_in_continue(request):
    """GET shows a button, POST uses the link: mail scanners that open links must not use up a
    single-use link. The link leads only to what it was made for: an account that already has a
    password logs in with it (the link alone never opens it); a new account gets a session that
    can do nothing but set its password (docs/decisions.md, issue 8)."""
    address = client_address(request)
    token = request.session.get(PENDING_LINK, "")
    if tokens.is_throttled(address):
        return link_refused(request, tokens.THROTTLED, status=429)
    if not token:  # opened without an e-mailed link first: nothing was guessed
        return link_refused(request, tokens.LinkRefused.INVALID, status=410)
    try:
        link = tokens.consume(token) if request.method == "POST" else tokens.peek(token)
    except tokens.LinkRefused as refusal:
        request.session.pop(PENDING_LINK, None)
        return refuse_link(request, address, refusal)
    if request.method == "GET":
        return render(request, "second_opinion/sign_in.html", {"link": link})
    request.session.pop(PENDING_LINK, None)
    member = link.member
    if member.has_usable_password():
        if request.user.pk == member.pk:
            return redirect("second_opinion:case", pk=link.case_id)
        messages.info(request, _("Your account has a password: log in with it to see your case."))
        return redirect_to_login(reverse("second_opinion:case", args=[link.case_id]))
    if request.user.is_authenticated:
        logout(request)
    request.session.cycle_key()
    request.session[SIGNED_IN_BY_LINK] = {
        "member": member.pk,
        "case": link.case_id,
        "until": (timezone.now() + SET_PASSWORD_WITHIN).isoformat(),
    }
    return redirect("second_opinion:set_password")


@require_http_methods(["GET", "POST"])
def set_password(request):
    """000 а) стъпка 8, "регистрирате се": a new account chooses its password, right after using
    the e-mail link. Until then nobody is signed in: the link opens this step only."""
    member = _member_setting_password(request)
    if member is None:
        if request.user.is_authenticated:
            return redirect("identity:password_change")
        return redirect_to_login(request.get_full_path())
    form = SetPasswordForm(member, request.POST or None)
    if submitted(request, form, lambda data: form.save()):
        request.session.pop(SIGNED_IN_BY_LINK, None)
        login(request, member, backend=MODEL_BACKEND)
        messages.success(request, _("Your password is set. Welcome!"))
        return redirect("second_opinion:account")
    return render(request, "second_opinion/set_password.html", {"form": form})


def _member_setting_password(request):
    pending = request.session.get(SIGNED_IN_BY_LINK)
    if not isinstance(pending, dict):
        return None
    until = parse_datetime(str(pending.get("until", "")))
    if until is None or until <= timezone.now():
        request.session.pop(SIGNED_IN_BY_LINK, None)
        return None
    member = User.objects.filter(pk=pending.get("member"), is_active=True).first()
    if member is None or member.has_usable_password():
        return None
    return member


def refuse_link(request, address: str, refusal: tokens.LinkRefused):
    if refusal.reason == tokens.LinkRefused.INVALID:
        tokens.note_failure(address)
    return link_refused(request, refusal.reason, status=410)


def link_refused(request, reason: str, *, status: int):
    return render(request, "second_opinion/link_refused.html", {"reason": reason}, status=status)


# -- shared helpers --------------------------------------------------------------------------


def error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)
