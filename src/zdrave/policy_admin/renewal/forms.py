from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zdrave.base.ui.forms import LabelledErrorsForm


class KeepForm(LabelledErrorsForm):
    note = forms.CharField(
        label=_("Why the contract is kept"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class TerminateForm(LabelledErrorsForm):
    effective_on = forms.DateField(
        label=_("Cover ends at 00:00 of"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note for the letter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
