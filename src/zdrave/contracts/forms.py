"""Forms over the actions: field-level, translated errors that name the field and the rule."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zdrave.base.ui.validators import BirthDateField, DateField
from zdrave.contracts.models import Clause, IdKind, Option, Sex
from zdrave.contracts.validation import check_cover_terms, check_identity


class InsuredPersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Middle name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    id_kind = forms.ChoiceField(
        label=_("Identity document"), choices=IdKind.choices, initial=IdKind.EGN
    )
    id_number = forms.CharField(label=_("Identity number"), max_length=32)
    birth_date = BirthDateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("Only for people without an ЕГН: the ЕГН already contains it."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", "—"), *Sex.choices],
        required=False,
        help_text=_("Only for people without an ЕГН."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            number, birth, sex = check_identity(
                data["id_kind"], data["id_number"], data.get("birth_date"), data.get("sex", "")
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
            return data
        data.update(id_number=number, birth_date=birth, sex=sex)
        return data


class CoverForm(forms.Form):
    """A cover's product terms; the contract and the person come from the page."""

    product_code = forms.CharField(label=_("Product"), max_length=32)
    product_version = DateField(label=_("Product version"))
    package = forms.IntegerField(label=_("Package"), required=False, min_value=1, max_value=6)
    option = forms.ChoiceField(
        label=_("Option"), choices=[("", "—"), *Option.choices], required=False
    )
    clause = forms.ChoiceField(
        label=_("Clause"), choices=[("", "—"), *Clause.choices], required=False
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            check_cover_terms(
                data["product_code"],
                data["product_version"],
                data.get("package"),
                data.get("option", ""),
                data.get("clause", ""),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data
