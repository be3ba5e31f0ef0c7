"""The network's forms: the members' search, the staff's institution, price, doctor, location,
account and leave forms, and the front desk's question."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.roles import Role
from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.providers.network.models import Specialty

PACKAGE_CHOICES = [
    (1, _("1 · Prevention")),
    (2, _("2 · Outpatient care")),
    (3, _("3 · Hospital care")),
    (4, _("4 · Home care and extra conditions")),
    (5, _("5 · Medical goods")),
    (6, _("6 · Dental care")),
]
DATE = forms.DateInput(attrs={"type": "date"})


class SearchForm(forms.Form):
    city = forms.ChoiceField(label=_("City"), required=False)
    specialty = forms.ChoiceField(label=_("Specialty"), required=False)

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("All cities")), *[(c, c) for c in cities]]
        self.fields["specialty"].choices = [("", _("All specialties")), *Specialty.choices]


class InstitutionForm(LabelledErrorsForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    eik = forms.CharField(label=_("Company number (ЕИК)"), max_length=13)
    address = forms.CharField(label=_("Address"), max_length=300)
    city = forms.CharField(label=_("City"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.EmailField(label=_("E-mail"), required=False)
    specialties = forms.MultipleChoiceField(
        label=_("Specialties"), choices=Specialty.choices, widget=forms.CheckboxSelectMultiple
    )
    packages = forms.TypedMultipleChoiceField(
        label=_("Packages served (002)"),
        choices=PACKAGE_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    agreement_from = forms.DateField(label=_("Agreement from"), widget=DATE)
    agreement_to = forms.DateField(label=_("Agreement until"), required=False, widget=DATE)


class PriceForm(LabelledErrorsForm):
    service = forms.CharField(
        label=_("Service code (002)"), max_length=32, help_text=_("For example 2.8.e (MRI).")
    )
    price = forms.DecimalField(
        label=_("Agreed price (EUR)"), max_digits=10, decimal_places=2, min_value=0.01
    )
    needs_preauthorisation = forms.BooleanField(label=_("Needs pre-authorisation"), required=False)


class DoctorForm(LabelledErrorsForm):
    name = forms.CharField(label=_("Doctor's name"), max_length=200)
    specialty = forms.ChoiceField(label=_("Specialty"), choices=Specialty.choices)


class LocationForm(LabelledErrorsForm):
    name = forms.CharField(label=_("Location name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300)
    city = forms.CharField(label=_("City"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


class LinkUserForm(LabelledErrorsForm):
    user = forms.ModelChoiceField(label=_("Front-desk account"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model().objects.filter(role=Role.PROVIDER, is_active=True).order_by("username")
        )


class LeaveForm(LabelledErrorsForm):
    effective = forms.DateField(label=_("Leaves the network from"), widget=DATE)


class CheckForm(LabelledErrorsForm):
    """The front desk's question: the patient by ЕГН or by the card's number, and the service."""

    egn = forms.CharField(
        label=_("Personal number (ЕГН)"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    card = forms.CharField(
        label=_("or card number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    service = forms.ChoiceField(label=_("Service"))
    day = forms.DateField(label=_("Date of the service"), widget=DATE)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = list(services)

    def clean(self):
        data = super().clean()
        if not data.get("egn") and not data.get("card"):
            self.add_error("egn", _("type the patient's ЕГН or the number of their card."))
        return data


class EditInstitutionForm(InstitutionForm):
    """The listed details; the ЕИК identifies the institution and stays."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["eik"]
