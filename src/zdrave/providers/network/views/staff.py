"""Provider relations' pages (administrators and underwriters,
``can_manage_provider_network``): the registry with a new institution's form, and one
institution's page — its details, agreed prices, locations, doctors, front-desk accounts and
its leaving the network. Each form posts to its own address, runs one action and comes back."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zdrave.base.identity.permissions import access_required, can_manage_provider_network
from zdrave.base.ui.forms import submitted
from zdrave.providers.network import actions
from zdrave.providers.network.forms import (
    DoctorForm,
    EditInstitutionForm,
    InstitutionForm,
    LeaveForm,
    LinkUserForm,
    LocationForm,
    PriceForm,
)
from zdrave.providers.network.models import Institution, Specialty

staff_page = access_required(can_manage_provider_network)


def _site(request) -> str:
    return request.build_absolute_uri("/")


@staff_page
def registry(request):
    form = InstitutionForm(request.POST or None)
    if found := submitted(
        request,
        form,
        lambda data: actions.add_institution(actor=request.user, site_url=_site(request), **data),
    ):
        messages.success(request, _("%(name)s is in the network.") % {"name": found.name})
        return redirect("network:staff_institution", pk=found.pk)
    rows = Institution.objects.prefetch_related("staff").order_by("city", "name")
    return render(request, "network/staff/registry.html", {"form": form, "rows": rows})


def _initial(institution: Institution) -> dict:
    return {
        "name": institution.name,
        "eik": institution.eik,
        "address": institution.address,
        "city": institution.city,
        "phone": institution.phone,
        "email": institution.email,
        "specialties": institution.specialties,
        "packages": sorted(institution.packages_of("health")),
        "agreement_from": institution.agreement_from,
        "agreement_to": institution.agreement_to,
    }


def _page(request, institution: Institution, **forms):
    context = {
        "institution": institution,
        "labels": dict(Specialty.choices),
        "edit_form": forms.get("edit_form") or EditInstitutionForm(initial=_initial(institution)),
        "price_form": forms.get("price_form") or PriceForm(),
        "doctor_form": forms.get("doctor_form") or DoctorForm(),
        "location_form": forms.get("location_form") or LocationForm(),
        "user_form": forms.get("user_form") or LinkUserForm(),
        "leave_form": forms.get("leave_form")
        or LeaveForm(initial={"effective": timezone.localdate()}),
        "prices": institution.prices.order_by("service"),
        "doctors": institution.doctors.select_related("location"),
        "locations": institution.locations.all(),
        "accounts": institution.staff.select_related("user"),
        "changes": institution.changes.all()[:20],
        "in_network": institution.in_network_on(timezone.localdate()),
    }
    status = 400 if forms else 200
    return render(request, "network/staff/institution.html", context, status=status)


@staff_page
def institution(request, pk: int):
    return _page(request, get_object_or_404(Institution, pk=pk))


def _posted(form_name: str, form_class, run):
    """A POST-only view for one form of the institution page: valid and accepted → back to the
    page with a message; otherwise the page with this form's errors."""

    @staff_page
    @require_POST
    def view(request, pk: int):
        found = get_object_or_404(Institution, pk=pk)
        form = form_class(request.POST)
        if submitted(request, form, lambda data: run(request, found, data)):
            messages.success(request, _("Saved."))
            return redirect("network:staff_institution", pk=found.pk)
        return _page(request, found, **{form_name: form})

    return view


edit = _posted(
    "edit_form",
    EditInstitutionForm,
    lambda request, found, data: actions.update_institution(found, actor=request.user, **data),
)
price = _posted(
    "price_form",
    PriceForm,
    lambda request, found, data: actions.set_price(found, actor=request.user, **data),
)
doctor = _posted(
    "doctor_form",
    DoctorForm,
    lambda request, found, data: actions.add_doctor(found, actor=request.user, **data),
)
location = _posted(
    "location_form",
    LocationForm,
    lambda request, found, data: actions.add_location(found, actor=request.user, **data),
)
account = _posted(
    "user_form",
    LinkUserForm,
    lambda request, found, data: actions.link_provider_user(
        data["user"], found, actor=request.user
    ),
)
leave = _posted(
    "leave_form",
    LeaveForm,
    lambda request, found, data: actions.leave_network(
        found, actor=request.user, effective=data["effective"], site_url=_site(request)
    ),
)
