from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.providers.settlement.models import Debtor, RecoveryGround


class ClaimForm(LabelledErrorsForm):
    check = forms.TypedChoiceField(label=_("Eligibility check"), coerce=int)
    reference = forms.CharField(label=_("Your reference (invoice or case number)"), max_length=40)
    amount = forms.DecimalField(
        label=_("Amount billed (EUR)"), max_digits=12, decimal_places=2, min_value=0
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100, initial=1)
    diagnosis = forms.CharField(label=_("Diagnosis (ICD-10)"), max_length=8)
    letter = forms.CharField(
        label=_("Guarantee letter number (services needing pre-authorisation)"),
        max_length=20,
        required=False,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, checks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check"].choices = [
            (
                c.pk,
                f"№ {c.pk} · {c.person.full_name} · {c.service} · {c.day:%d.%m.%Y}",
            )
            for c in checks
        ]


class BatchForm(LabelledErrorsForm):
    file = forms.FileField(label=_("Batch file (CSV)"))


class CloseForm(LabelledErrorsForm):
    month = forms.DateField(
        label=_("A day of the month to close"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class BatchDateForm(LabelledErrorsForm):
    execution_date = forms.DateField(
        label=_("Execution date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class PaidForm(LabelledErrorsForm):
    on = forms.DateField(
        label=_("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class RecoveryForm(LabelledErrorsForm):
    debtor = forms.ChoiceField(label=_("Owed by"), choices=Debtor.choices)
    ground = forms.ChoiceField(label=_("Ground (004 Чл.29 т.10)"), choices=RecoveryGround.choices)
    amount = forms.DecimalField(label=_("Amount (EUR)"), max_digits=12, decimal_places=2)
    note = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RepaidForm(LabelledErrorsForm):
    on = forms.DateField(
        label=_("Repaid on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
