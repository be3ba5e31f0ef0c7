"""Pages of the psychologist consultation (000 б)): the member books and chooses, the partner
team proposes and keeps its calendar, the therapist sees their sessions. Views parse input,
call one action and render; who may see what is decided in ``fetch``."""

from __future__ import annotations

import datetime as dt
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zdrave.base.audit.models import record_view
from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import role_required
from zdrave.base.ui.forms import submitted
from zdrave.base.ui.validators import parse_date_parameter
from zdrave.contracts.eligibility import Ineligible
from zdrave.contracts.fetch import member_email
from zdrave.engine import dates
from zdrave.member_services import journey
from zdrave.member_services.consultations import actions, calendar, fetch
from zdrave.member_services.consultations.forms import (
    BookingForm,
    ChooseForm,
    NoteForm,
    ProposeForm,
)
from zdrave.member_services.consultations.models import ConsultationStatus

Status = ConsultationStatus
# 000 б) стъпка 1: what a user without Extra Care sees instead of the journey.
NOT_ELIGIBLE = "consultations/not_eligible.html"


@login_required
def mine(request):
    """The member's consultations; partner and therapist users land on their own pages."""
    if page := journey.staff_page(
        request.user, team="consultations:team", specialist="consultations:sessions"
    ):
        return redirect(page)
    try:
        fetch.extra_care_cover(request.user)
    except Ineligible as refusal:
        return journey.not_eligible(request, refusal, template=NOT_ELIGIBLE)
    consultations = fetch.visible_consultations(request.user).order_by("-created_at")
    return render(request, "consultations/mine.html", {"consultations": consultations})


@login_required
@journey.extra_care_required(fetch.extra_care_cover, template=NOT_ELIGIBLE)
def book(request, specialist_id: int, *, cover):
    """000 б) стъпки 3–4: the booking form for the chosen therapist."""
    therapist = fetch.access_therapist(specialist_id)
    form = BookingForm(request.POST or None, initial={"email": member_email(request.user)})
    consultation = submitted(
        request,
        form,
        lambda data: actions.book_consultation(
            actor=request.user,
            cover=cover,
            therapist=therapist,
            email=data["email"],
            theme=data["theme"],
            channel=data["channel"],
            preferred_times=form.preferred_times(),
            preferred_note=data["preferred_note"],
            site_url=request.build_absolute_uri("/"),
        ),
    )
    if consultation:
        messages.success(
            request,
            _("Your booking is sent. The %(partner)s team will e-mail you proposed dates.")
            % {"partner": fetch.service().partner_name},
        )
        return redirect("consultations:detail", pk=consultation.pk)
    return render(
        request,
        "consultations/book.html",
        {"form": form, "therapist": therapist, "partner_name": fetch.service().partner_name},
    )


@login_required
def detail(request, pk: int):
    consultation = fetch.access_consultation(request.user, pk)
    # The theme of a therapy session is health data: every view is recorded.
    record_view(request, verb="view_consultation", obj=consultation)
    is_member = consultation.member_id == request.user.pk
    is_team = fetch.is_team_of(request.user, consultation)
    context = {
        "consultation": consultation,
        "svc": fetch.service_of(consultation),
        "is_member": is_member,
        "is_team": is_team,
        "is_therapist": consultation.therapist.user_id == request.user.pk,
        "events": consultation.events.select_related("actor"),
        "slots": consultation.current_slots(),
        "now": timezone.now(),
        "note_form": NoteForm(),
    }
    if is_member and consultation.status == Status.PROPOSED:
        context["choose_form"] = ChooseForm(consultation=consultation)
    return render(request, "consultations/detail.html", context)


@login_required
def propose(request, pk: int):
    """000 б) стъпка 5: the partner team proposes dates."""
    consultation = fetch.access_consultation(request.user, pk)
    if not fetch.is_team_of(request.user, consultation):
        raise Http404(pk)
    form = ProposeForm(request.POST or None, consultation=consultation)
    proposed = submitted(
        request,
        form,
        lambda data: actions.propose_dates(
            consultation, actor=request.user, starts=form.starts(), phone=data.get("phone", "")
        ),
    )
    if proposed:
        messages.success(request, _("The dates are proposed and the member is notified by e-mail."))
        return redirect("consultations:team")
    return render(
        request,
        "consultations/propose.html",
        {"form": form, "consultation": consultation, "previous": consultation.current_slots()},
    )


@require_POST
@login_required
def choose(request, pk: int):
    consultation = fetch.access_consultation(request.user, pk)
    form = ChooseForm(request.POST, consultation=consultation)
    if not form.is_valid():
        return _back_with_errors(request, consultation, form.errors.values())
    return _act(
        request,
        consultation,
        actions.choose_slot,
        slot_id=form.cleaned_data["slot"].pk,
        done=_(
            "Your session is confirmed. We have e-mailed you the details and a calendar invitation."
        ),
    )


def _note_view(action, done_message: str):
    """The POST view of an ``action`` that takes only a note, then says ``done_message``."""

    @require_POST
    @login_required
    def view(request, pk: int):
        return _note_action(request, pk, action, done_message)

    return view


other_dates = _note_view(
    actions.ask_other_dates, gettext_lazy("The team will propose other dates.")
)
move = _note_view(actions.ask_to_move, gettext_lazy("The team will propose new dates."))
cancel = _note_view(actions.cancel_consultation, gettext_lazy("The consultation is cancelled."))


@require_POST
@login_required
def done(request, pk: int):
    consultation = fetch.access_consultation(request.user, pk)
    return _act(
        request, consultation, actions.mark_done, done=_("The session is recorded as held.")
    )


@login_required
def invitation(request, pk: int):
    """The .ics of a scheduled session, for whoever may see it."""
    consultation = fetch.access_consultation(request.user, pk)
    if not consultation.is_scheduled:
        raise Http404(pk)
    svc = fetch.service_of(consultation)
    body = calendar.invitation(
        consultation, partner_name=svc.partner_name, partner_email=svc.partner.email or ""
    )
    response = HttpResponse(body, content_type=calendar.MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="{calendar.FILENAME}"'
    return response


@role_required(Role.PARTNER)
def team(request):
    """The partner team's queue: new bookings and requests for other dates (000 б) стъпка 5)."""
    queue = fetch.team_queue(request.user)
    waiting = fetch.visible_consultations(request.user).filter(status=Status.PROPOSED)
    return render(
        request,
        "consultations/team.html",
        {"queue": queue, "waiting": waiting.order_by("created_at")},
    )


@role_required(Role.PARTNER)
def team_calendar(request):
    return _week(request, "consultations:team_calendar")


@role_required(Role.SPECIALIST)
def sessions(request):
    """A therapist's own sessions, by week."""
    return _week(request, "consultations:sessions")


# -- helpers ---------------------------------------------------------------------------------


def _week(request, url_name: str):
    """Sessions of one week (Monday to Sunday, Europe/Sofia), listed by day."""
    monday = _monday(request.GET.get("week", ""))
    tz = timezone.get_current_timezone()
    start = datetime.combine(monday, time.min, tzinfo=tz)
    end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=tz)
    found = list(fetch.sessions_between(request.user, start, end))
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        days.append((day, [c for c in found if timezone.localtime(c.starts_at).date() == day]))
    base = reverse(url_name)
    return render(
        request,
        "consultations/calendar.html",
        {
            "days": days,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous_url": _week_url(base, monday - timedelta(days=7)),
            "next_url": _week_url(base, monday + timedelta(days=7)),
            "total": len(found),
        },
    )


def _monday(value: str) -> dt.date:
    """The Monday of ``?week=``; a missing, malformed or out-of-range date shows this week."""
    day = parse_date_parameter(value) or timezone.localdate()
    return day - timedelta(days=day.weekday())


def _week_url(base: str, monday: dt.date) -> str | None:
    """The link to the week starting ``monday``, or None at the edge of the accepted range."""
    if not dates.in_range(monday) or not dates.in_range(monday + timedelta(days=6)):
        return None
    return f"{base}?week={monday.isoformat()}"


def _note_action(request, pk: int, action, done_message: str):
    consultation = fetch.access_consultation(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _back_with_errors(request, consultation, form.errors.values())
    return _act(request, consultation, action, note=form.cleaned_data["note"], done=done_message)


def _act(request, consultation, action, *, done: str, **kwargs):
    try:
        action(consultation, actor=request.user, **kwargs)
    except ValidationError as error:
        return _back_with_errors(request, consultation, [error.messages])
    messages.success(request, done)
    return redirect("consultations:detail", pk=consultation.pk)


def _back_with_errors(request, consultation, error_lists):
    for errors in error_lists:
        for message in errors:
            messages.error(request, message)
    return redirect("consultations:detail", pk=consultation.pk)
