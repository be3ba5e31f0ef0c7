"""Contract pages. Access is decided in ``zdrave.contracts.visibility`` only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zdrave.base.identity.models import Role
from zdrave.base.identity.permissions import role_required
from zdrave.base.ui.forms import submitted
from zdrave.contracts.actions import register_person
from zdrave.contracts.fetch import describe_contract
from zdrave.contracts.forms import InsuredPersonForm
from zdrave.contracts.visibility import contract_for


@login_required
def contract_detail(request, number: str):
    contract = contract_for(request.user, number)
    view = describe_contract(contract, request.user)
    return render(
        request,
        "contracts/contract_detail.html",
        {"view": view, "show_head_count": True},
    )


@role_required(Role.UNDERWRITER, Role.ADMINISTRATOR)
def person_new(request):
    form = InsuredPersonForm(request.POST or None)
    if person := submitted(request, form, lambda data: register_person(actor=request.user, **data)):
        messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
        return redirect("contracts:person_new")
    return render(request, "contracts/person_form.html", {"form": form})
