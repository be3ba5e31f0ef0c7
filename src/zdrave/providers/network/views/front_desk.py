"""A provider user's front desk: the patient by ЕГН (or by the card's number, ``?card=`` from
the card's QR code fills it in), the service from the institution's price list, the date; the
answer with the remaining limit, the waiting period and the clauses. The question is posted, so
the ЕГН stays out of addresses and server logs; each one is logged (``actions.
check_eligibility``). The same page lists the institution's recent checks and its API keys."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zdrave.base.identity.permissions import access_required, has_role
from zdrave.base.identity.roles import Role
from zdrave.base.ui.forms import submitted
from zdrave.claims.catalogue import HEALTH, service_label
from zdrave.engine.adjudication.index import index_for
from zdrave.products.terms import UnknownTerms, version_in_force
from zdrave.providers.network import actions, fetch
from zdrave.providers.network.forms import CheckForm
from zdrave.providers.network.models import ApiToken, EligibilityCheck

RECENT = 20


def _institution(request):
    found = fetch.institution_of(request.user)
    if found is None:
        raise PermissionDenied
    return found


def service_choices(institution) -> list[tuple[str, str]]:
    """The rows of the institution's price list, with the price; without one, every row of the
    packages it serves (002)."""
    try:
        index = index_for(version_in_force(HEALTH, timezone.localdate()))
    except UnknownTerms:
        return []
    prices = fetch.price_list(institution)
    if prices:
        codes = [c for c in prices if c in index.services]
    else:
        served = institution.packages_of(HEALTH)
        codes = [c for c, i in index.services.items() if i.package_number in served]
    return [
        (
            code,
            f"{code} · {service_label(index.services[code])}"
            + (f" · {prices[code].price} EUR" if code in prices else ""),
        )  # fmt: skip
        for code in codes
    ]


def _context(request, institution, form, answer=None, key=None):
    return {
        "institution": institution,
        "form": form,
        "answer": answer,
        "new_key": key,
        "checks": EligibilityCheck.objects.filter(institution=institution)
        .select_related("person", "asked_by")
        .order_by("-at", "-id")[:RECENT],
        "tokens": ApiToken.objects.filter(user=request.user),
    }


@access_required(lambda user: has_role(user, Role.PROVIDER))
def desk(request):
    institution = _institution(request)
    initial = {"day": timezone.localdate(), "card": request.GET.get("card", "")[:40]}
    form = CheckForm(request.POST or None, initial=initial, services=service_choices(institution))
    answer = submitted(
        request,
        form,
        lambda data: actions.check_eligibility(
            actor=request.user,
            institution=institution,
            service=data["service"],
            day=data["day"],
            egn=data["egn"],
            card=data["card"],
            ip_address=request.META.get("REMOTE_ADDR", ""),
            path=request.path,
        ),
    )
    status = 400 if request.method == "POST" and answer is None else 200
    return render(
        request,
        "network/front_desk.html",
        _context(request, institution, form, answer),
        status=status,
    )


@access_required(lambda user: has_role(user, Role.PROVIDER))
@require_POST
def new_key(request):
    """A new API key, shown once on the page that answers this POST."""
    institution = _institution(request)
    _token, key = actions.issue_token(actor=request.user)
    form = CheckForm(initial={"day": timezone.localdate()}, services=service_choices(institution))
    return render(request, "network/front_desk.html", _context(request, institution, form, key=key))


@access_required(lambda user: has_role(user, Role.PROVIDER))
@require_POST
def revoke_key(request, pk: int):
    _institution(request)
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    actions.revoke_token(token, actor=request.user)
    return redirect("network:front_desk")
