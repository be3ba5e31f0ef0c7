"""Forms of the group sale: the quote (start, instalments, census file) and the employer's
details on applying."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.policy_admin.sales.forms import DATE_INPUT, clean_form_key, instalment_choices


class GroupQuoteForm(LabelledErrorsForm):
    start = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    instalments = forms.TypedChoiceField(label=_("How to pay"), coerce=int)
    census = forms.FileField(
        label=_("Census (CSV or XLSX)"),
        help_text=_(
            "Columns: ЕГН, first name, last name, role (employee, spouse, child), packages, "
            "option, clause, e-mail. Family members follow their employee."
        ),
    )

    def __init__(self, *args, tariff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instalments"].choices = instalment_choices(tariff)


class EmployerForm(LabelledErrorsForm):
    employer_name = forms.CharField(label=_("Company name"), max_length=200)
    eik = forms.CharField(label=_("ЕИК"), max_length=13)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_form_key(self):
        return clean_form_key(self.cleaned_data["form_key"])
