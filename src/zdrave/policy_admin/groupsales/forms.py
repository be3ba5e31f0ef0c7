"""Forms of the group sale: the quote (start, instalments, census file) and the employer's
details on applying."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.policy_admin.groupsales.headcount import MAX_GROUP
from zdrave.policy_admin.sales.forms import (
    DATE_INPUT,
    chosen,
    clean_form_key,
    instalment_choices,
    package_fields,
)


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


class HeadcountForm(LabelledErrorsForm):
    """The quick quote by head-count (no census): how many employees and family members in each
    of the tariff's age bands (004 Чл.1), the packages everyone takes (one select per package,
    002), the start and how to pay (004 Чл.25 т.2). No names, no ЕГН, no health data."""

    start = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    instalments = forms.TypedChoiceField(label=_("How to pay"), coerce=int)

    def __init__(self, *args, tariff, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instalments"].choices = instalment_choices(tariff)
        self.package_names = list(package_fields(version))
        self.fields.update(package_fields(version))
        self.version = version
        self.bands = []
        for i, band in enumerate(tariff.age_bands):
            ages = f"{band.from_years}–{band.to_years}"
            names = []
            # An employee is of age (004 Чл.24 т.2 group of employees); a child is family.
            kinds = [("f", _("Family members aged %(ages)s"))]
            if band.from_years >= 18:
                kinds.insert(0, ("e", _("Employees aged %(ages)s")))
            for kind, label in kinds:
                name = f"{kind}{i}"
                self.fields[name] = forms.IntegerField(
                    label=label % {"ages": ages},
                    required=False,
                    min_value=0,
                    max_value=MAX_GROUP,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                    error_messages={
                        "invalid": _("enter a whole number of people, e.g. 12."),
                        "min_value": _("a number of people cannot be negative."),
                        "max_value": _(
                            "at most %(limit_value)s people; for a larger group upload the census."
                        ),
                    },
                )
                names.append(name)
            self.bands.append((ages, names))

    def band_rows(self):
        return [
            {"ages": ages, "fields": [self[name] for name in names]} for ages, names in self.bands
        ]

    def package_fields_bound(self):
        return [self[name] for name in self.package_names]

    def counts(self) -> dict[int, tuple[int, int]]:
        data = self.cleaned_data
        return {i: (data.get(f"e{i}") or 0, data.get(f"f{i}") or 0) for i in range(len(self.bands))}

    def choices(self) -> list[dict]:
        return chosen(self.cleaned_data, self.version)
