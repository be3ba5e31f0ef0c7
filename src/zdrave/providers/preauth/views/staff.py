"""The medical expert's pages: the queue of open requests with each one's turnaround clock
(working hours on the Bulgarian calendar, ``clocks``), oldest due first and the overdue
flagged; the decision on a request and the release of a guarantee letter. Each form posts, runs
one action and comes back to the request."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zdrave.base.identity.permissions import access_required, can_decide_preauth_requests
from zdrave.base.ui.forms import submitted
from zdrave.providers.preauth import actions, fetch
from zdrave.providers.preauth.clocks import Flag, clock_for
from zdrave.providers.preauth.display import service_name
from zdrave.providers.preauth.forms import DecisionForm, ReleaseForm
from zdrave.providers.preauth.models import OPEN_STATUSES, LetterStatus
from zdrave.providers.preauth.views.requests import detail_context

expert_page = access_required(can_decide_preauth_requests)
RECENTLY_DECIDED = 20


@expert_page
def queue(request):
    open_rows = fetch.visible_requests(request.user).filter(status__in=OPEN_STATUSES)
    rows = [(row, service_name(row), clock_for(row)) for row in open_rows.order_by("due_at", "id")]
    decided = (
        fetch.visible_requests(request.user)
        .exclude(status__in=OPEN_STATUSES)
        .order_by("-decided_at", "-id")[:RECENTLY_DECIDED]
    )
    return render(
        request,
        "preauth/queue.html",
        {
            "rows": rows,
            "overdue": sum(1 for *_x, clock in rows if clock.flag == Flag.OVERDUE),
            "decided": decided,
        },
    )


@expert_page
@require_POST
def decide(request, number: str):
    found = fetch.access_request(request.user, number)
    form = DecisionForm(request.POST)

    def act(data):
        if data["outcome"] == DecisionForm.REFUSE:
            return actions.refuse_request(
                found, actor=request.user, reason_code=data["reason_code"], reasons=data["reasons"]
            )
        return actions.approve_request(
            found,
            actor=request.user,
            amount=data["amount"],
            covers=data["covers"],
            valid_until=data["valid_until"],
            reason_code=data["reason_code"],
            reasons=data["reasons"],
        )

    if submitted(request, form, act):
        messages.success(request, _("The decision on %(number)s is recorded.") % {"number": number})
        return redirect("preauth:detail", number=number)
    found.refresh_from_db()
    return render(
        request, "preauth/detail.html", detail_context(request, found, decision=form), status=400
    )


@expert_page
@require_POST
def release(request, number: str):
    found = fetch.access_request(request.user, number)
    letter = fetch.letter_of(found)
    form = ReleaseForm(request.POST)
    if letter is None or letter.status != LetterStatus.HELD:
        return redirect("preauth:detail", number=number)
    if submitted(
        request, form, lambda data: actions.release_guarantee(letter, actor=request.user, **data)
    ):
        messages.success(request, _("The guarantee is released."))
        return redirect("preauth:detail", number=number)
    return render(
        request, "preauth/detail.html", detail_context(request, found, release=form), status=400
    )
