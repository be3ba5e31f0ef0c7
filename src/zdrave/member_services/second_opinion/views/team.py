"""The partner team's side of the second opinion (000 а) стъпки 6–7, 17), the specialist's
report upload and the live chat (стъпка 9) for both sides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import has_role, role_required
from zdrave.base.ui.forms import submitted
from zdrave.contracts.eligibility import Ineligible
from zdrave.member_services.second_opinion import actions, fetch
from zdrave.member_services.second_opinion.forms import ChatForm, ForwardForm, ReportForm
from zdrave.member_services.second_opinion.models import ChatMessage, OpinionCase
from zdrave.member_services.second_opinion.views.cases import error_messages, not_eligible


@role_required(Role.PARTNER)
def team(request):
    """000 а) стъпка 6: new requests with applicant, e-mail and documents; the cases in work;
    the members who wrote in the chat."""
    threads = (
        ChatMessage.objects.filter(partner_code=request.user.partner_code)
        .order_by()
        .values_list("member_id", flat=True)
        .distinct()
    )
    members = get_user_model().objects.filter(pk__in=list(threads)).order_by("last_name")
    return render(
        request,
        "second_opinion/team.html",
        {
            "requests": fetch.team_requests(request.user),
            "work": fetch.team_work(request.user),
            "chat_members": members,
        },
    )


def _team_case(request, pk: int) -> OpinionCase:
    case = fetch.access_case(request.user, pk)
    if not fetch.is_team_of(request.user, case):
        raise Http404(pk)
    return case


@role_required(Role.PARTNER)
@require_POST
def forward(request, pk: int):
    """000 а) стъпки 6–7: forward to the chosen specialist; the member gets the e-mail link."""
    case = _team_case(request, pk)
    form = ForwardForm(request.POST, specialists=fetch.specialists(case.partner_code))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("second_opinion:case", pk=case.pk)
    return _act(
        request,
        case,
        actions.forward_request,
        specialist=form.cleaned_data["specialist"],
        done=_("The case is opened and the member has been e-mailed the sign-in link."),
    )


def _team_view(action, done: str):
    """The partner team's POST view of an ``action`` on a case that takes nothing else; then
    says ``done``."""

    @role_required(Role.PARTNER)
    @require_POST
    def view(request, pk: int):
        return _act(request, _team_case(request, pk), action, done=done)

    return view


decline = _team_view(actions.decline_request, gettext_lazy("The request is declined."))
resend_link = _team_view(actions.resend_link, gettext_lazy("A new sign-in link is e-mailed."))
pass_on = _team_view(
    actions.pass_to_specialist, gettext_lazy("The case is with the specialist now.")
)
email_report = _team_view(
    actions.email_report, gettext_lazy("The report is e-mailed to the member.")
)
close = _team_view(actions.close_case, gettext_lazy("The case is closed."))


@login_required
@require_POST
def report(request, pk: int):
    """000 а) стъпка 17: the specialist, or the team on their behalf, uploads the report."""
    case = fetch.access_case(request.user, pk)
    if not (fetch.is_team_of(request.user, case) or fetch.is_specialist_of(request.user, case)):
        raise Http404(pk)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("second_opinion:case", pk=case.pk)
    try:
        actions.upload_report(case, form.cleaned_data["report"], actor=request.user)
    except ValidationError as error:
        messages.error(request, _("Report: %(reason)s") % {"reason": " ".join(error.messages)})
    else:
        messages.success(request, _("The report is uploaded and the member is notified by e-mail."))
    return redirect("second_opinion:case", pk=case.pk)


# -- live chat, 000 а) стъпка 9 ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def member_chat(request):
    """The member's side: htmx polls GET every few seconds; POST sends a message."""
    if not has_role(request.user, Role.MEMBER):
        raise Http404
    try:
        fetch.check_account_access(request.user)
    except Ineligible as refusal:
        return not_eligible(request, refusal)
    partner_code = fetch.chat_partner_code(request.user)
    return _chat(request, request.user, partner_code, reverse("second_opinion:chat"))


@role_required(Role.PARTNER)
@require_http_methods(["GET", "POST"])
def team_chat(request, member_id: int):
    """The team's side of one member's chat (only members with a case of this partner)."""
    partner_code = request.user.partner_code
    with_cases = get_user_model().objects.filter(opinion_cases__partner_code=partner_code)
    member = get_object_or_404(with_cases.distinct(), pk=member_id)
    if not request.htmx and request.method == "GET":
        return render(
            request,
            "second_opinion/team_chat.html",
            {
                "member": member,
                "chat": fetch.chat_messages(member, partner_code),
                "chat_form": ChatForm(),
                "chat_endpoint": reverse("second_opinion:team_chat", args=[member.pk]),
                "cases": fetch.visible_cases(request.user).filter(member=member),
            },
        )
    return _chat(
        request, member, partner_code, reverse("second_opinion:team_chat", args=[member.pk])
    )


def _chat(request, member, partner_code: str, endpoint: str):
    form = ChatForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: actions.post_chat_message(
            actor=request.user, member=member, partner_code=partner_code, body=data["body"]
        ),
    ):
        form = ChatForm()
    context = {
        "chat": fetch.chat_messages(member, partner_code),
        "chat_form": form,
        "chat_endpoint": endpoint,
    }
    if request.htmx:
        return render(request, "second_opinion/_chat.html", context)
    if member.pk == request.user.pk:
        return redirect("second_opinion:account")
    return redirect(endpoint)


def _act(request, case: OpinionCase, action, *, done: str, **kwargs):
    try:
        action(case, actor=request.user, **kwargs)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, done)
    return redirect("second_opinion:case", pk=case.pk)
