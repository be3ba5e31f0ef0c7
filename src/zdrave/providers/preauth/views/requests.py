"""The requests as the front desk and the member see them: their list with each status, a new
request, one request with its decision and the guarantee letter (HTML and PDF). The medical
expert opens the same request page, with the decision form (``views.staff``)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record_view
from zdrave.base.identity.permissions import (
    access_required,
    can_decide_preauth_requests,
    has_role,
)
from zdrave.base.identity.roles import Role
from zdrave.base.ui.forms import submitted
from zdrave.claims.catalogue import HEALTH, service_label
from zdrave.contracts.models import InsuredPerson
from zdrave.engine.adjudication.index import index_for
from zdrave.products.terms import UnknownTerms, version_in_force
from zdrave.providers.network.fetch import (
    health_membership,
    institution_of,
    network_on,
    price_list,
)
from zdrave.providers.network.models import EligibilityCheck, Verdict
from zdrave.providers.preauth import actions, fetch
from zdrave.providers.preauth.clocks import clock_for
from zdrave.providers.preauth.display import service_name
from zdrave.providers.preauth.forms import (
    DecisionForm,
    MemberRequestForm,
    ProviderRequestForm,
    ReleaseForm,
)
from zdrave.providers.preauth.letters import guarantee_pdf
from zdrave.providers.preauth.models import RequestStatus

CHECK_DAYS = 7
asker = access_required(lambda user: has_role(user, Role.PROVIDER, Role.MEMBER))
reader = access_required(
    lambda user: has_role(user, Role.PROVIDER, Role.MEMBER) or can_decide_preauth_requests(user)
)


@asker
def mine(request):
    rows = fetch.visible_requests(request.user).order_by("-submitted_at", "-id")[:100]
    return render(
        request,
        "preauth/mine.html",
        {"rows": [(row, service_name(row)) for row in rows], "institution": _institution(request)},
    )


def _institution(request):
    if not has_role(request.user, Role.PROVIDER):
        return None
    found = institution_of(request.user)
    if found is None:
        raise PermissionDenied
    return found


def _recent_checks(institution):
    since = timezone.now() - dt.timedelta(days=CHECK_DAYS)
    return (
        EligibilityCheck.objects.filter(
            institution=institution,
            verdict=Verdict.PREAUTHORISATION,
            person__isnull=False,
            at__gte=since,
        )
        .select_related("person")
        .order_by("-at", "-id")[:50]
    )


def _ask_provider(request, institution):
    checks = {c.pk: c for c in _recent_checks(institution)}
    choices = [
        (pk, f"{c.person.full_name} · {c.service} · {c.day:%d.%m.%Y}") for pk, c in checks.items()
    ]
    initial = {"form_key": actions.new_form_key()}
    first = next(iter(checks.values()), None)
    if first is not None:
        initial |= {"check_id": first.pk, "planned_date": first.day}
        prices = price_list(institution)
        if first.service in prices:
            initial["estimated_amount"] = prices[first.service].price
    form = ProviderRequestForm(
        request.POST or None, request.FILES or None, initial=initial, checks=choices
    )

    def send(data):
        check = checks.get(data["check_id"])
        if check is None:
            raise PermissionDenied
        return actions.submit_request(
            actor=request.user,
            member=_membership(check.person, data),
            institution=institution,
            service=check.service,
            planned_date=data["planned_date"],
            estimated_amount=data["estimated_amount"],
            diagnosis=data["diagnosis"],
            notes=data["notes"],
            documents=data["documents"],
            form_key=data["form_key"],
        )

    return form, send


def _membership(person: InsuredPerson, data):
    member = health_membership(data["planned_date"], person=person)
    if member is None:
        raise actions.field_error(
            "planned_date",
            _("Planned date: no health contract covers this person on that day (004 Чл.24 т.3)."),
        )
    return member


def _member_services() -> list[tuple[str, str]]:
    try:
        index = index_for(version_in_force(HEALTH, timezone.localdate()))
    except UnknownTerms:
        return []
    return [(code, f"{code} · {service_label(info)}") for code, info in index.services.items()]


def _ask_member(request):
    person = InsuredPerson.objects.filter(user=request.user).first()
    if person is None:
        raise PermissionDenied
    today = timezone.localdate()
    institutions = [(i.pk, f"{i.name} · {i.city}") for i in network_on(today)]
    form = MemberRequestForm(
        request.POST or None,
        request.FILES or None,
        initial={"form_key": actions.new_form_key()},
        institutions=institutions,
        services=_member_services(),
    )

    def send(data):
        institution = network_on(today).filter(pk=data["institution"]).first()
        if institution is None:
            raise actions.field_error("institution", _("Medical institution: not in the network."))
        return actions.submit_request(
            actor=request.user,
            member=_membership(person, data),
            institution=institution,
            service=data["service"],
            planned_date=data["planned_date"],
            estimated_amount=data["estimated_amount"],
            diagnosis=data["diagnosis"],
            notes=data["notes"],
            documents=data["documents"],
            form_key=data["form_key"],
        )

    return form, send


@asker
def ask(request):
    institution = _institution(request)
    if institution is not None:
        form, send = _ask_provider(request, institution)
    else:
        form, send = _ask_member(request)
    if found := submitted(request, form, send):
        messages.success(request, _("Request %(number)s is sent.") % {"number": found.number})
        return redirect("preauth:detail", number=found.number)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "preauth/ask.html",
        {"form": form, "institution": institution},
        status=status,
    )


def detail_context(request, found, *, decision=None, release=None) -> dict:
    letter = fetch.letter_of(found)
    expert = can_decide_preauth_requests(request.user)
    return {
        "item": found,
        "service": service_name(found),
        "clock": clock_for(found),
        "letter": letter,
        "expert": expert,
        "decision_form": decision
        or (DecisionForm(initial={"amount": found.estimated_amount}) if expert else None),
        "release_form": release or (ReleaseForm() if expert else None),
        "statuses": RequestStatus,
    }


@reader
def detail(request, number: str):
    found = fetch.access_request(request.user, number)
    record_view(request, verb="view_preauth_request", obj=found.member.person, number=found.number)
    return render(request, "preauth/detail.html", detail_context(request, found))


@reader
def letter_pdf(request, number: str):
    found = fetch.access_request(request.user, number)
    letter = fetch.letter_of(found)
    if letter is None:
        return redirect("preauth:detail", number=number)
    pdf = guarantee_pdf(letter, translation.get_language() or "bg")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.number}.pdf"'
    return response
