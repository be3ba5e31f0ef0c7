"""The members' list of the network by city and specialty (004 Чл.24 т.4: the insured may learn
which institutions the insurer has contracts with — name, address, phone), and one institution's
page with its locations and doctors. No map: a list that works on a phone. Prices are the
insurer's agreement with the institution and are not shown."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from zdrave.base.identity.permissions import access_required, has_role, sees_every_contract
from zdrave.base.identity.roles import Role
from zdrave.providers.network import fetch
from zdrave.providers.network.forms import SearchForm
from zdrave.providers.network.models import Specialty

PER_PAGE = 20


def may_search(user) -> bool:
    """Members (004 Чл.24 т.4) and insurer staff; a provider user sees only their own
    institution (``can_act_for_institution``), not the network."""
    return has_role(user, Role.MEMBER) or sees_every_contract(user)


@access_required(may_search)
def search(request):
    today = timezone.localdate()
    form = SearchForm(request.GET or None, cities=fetch.cities(today))
    city = specialty = ""
    if form.is_valid():
        city, specialty = form.cleaned_data["city"], form.cleaned_data["specialty"]
    found = fetch.search_network(today, city=city, specialty=specialty)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("city", city), ("specialty", specialty)) if v)
    return render(
        request,
        "network/search.html",
        {"form": form, "page": page, "query": query, "labels": dict(Specialty.choices)},
    )


@access_required(may_search)
def institution(request, pk: int):
    found = fetch.access_listed(pk, timezone.localdate())
    return render(
        request,
        "network/institution.html",
        {"institution": found, "labels": dict(Specialty.choices)},
    )
