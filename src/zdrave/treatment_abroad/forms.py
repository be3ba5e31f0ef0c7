"""Forms of the case pages; each field's errors carry its label (``LabelledErrorsForm``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.base.ui.validators import DateField, DateTimeField
from zdrave.claims.forms import new_form_key
from zdrave.claims.validation import clean_iban
from zdrave.treatment_abroad.actions.money import BILL_LABELS
from zdrave.treatment_abroad.models import CONDITION_CHOICES, CaseStatus

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
DAY = {"widget": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}
MOMENT = {"widget": forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})}


class OpenForm(LabelledErrorsForm):
    member = forms.ChoiceField(label=_("Insured person"))
    condition = forms.ChoiceField(label=_("Covered condition"), choices=CONDITION_CHOICES)
    diagnosis = forms.CharField(
        label=_("Diagnosis (ICD-10 code)"),
        max_length=8,
        help_text=_("As the doctor wrote it, such as C50.4."),
    )
    treating_doctor = forms.CharField(label=_("Treating doctor"), max_length=200)
    file = forms.FileField(
        label=_("Medical document"),
        required=False,
        help_text=_("PDF, JPEG, PNG or DICOM; you can add more later."),
    )
    form_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["member"].choices = [
            (str(m.pk), f"{m.person.full_name} · {m.contract.number}") for m in members
        ]


class KeyedForm(LabelledErrorsForm):
    """A form that writes once however often it is sent: its one-time key (made when the form
    is shown, kept when it comes back with an error) is the action's idempotency key."""

    form_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_key", new_form_key())


class DocumentForm(LabelledErrorsForm):
    file = forms.FileField(label=_("Medical document"))


class MessageForm(KeyedForm):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionForm(KeyedForm):
    text = forms.CharField(
        label=_("Your objection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Which decision you object to, and why."),
    )


class ChoiceForm(LabelledErrorsForm):
    choice = forms.ChoiceField(label=_("Your decision"), widget=forms.RadioSelect)

    def __init__(self, *args, hospitals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [
            *[(h, _("Treatment abroad at %(hospital)s") % {"hospital": h}) for h in hospitals],
            ("bulgaria", _("Treatment in Bulgaria")),
            ("decline", _("No treatment through the insurance")),
        ]


class AllowanceForm(LabelledErrorsForm):
    iban = forms.CharField(label=_("IBAN to pay to"), max_length=34)
    form_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_iban(self):
        return clean_iban(self.cleaned_data["iban"])


class NoteForm(LabelledErrorsForm):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class OpinionForm(LabelledErrorsForm):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))
    hospitals = forms.CharField(
        label=_("Hospitals proposed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One hospital on a line."),
    )


class RefuseForm(LabelledErrorsForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In plain words, with the clause."),
    )


class PrecertificateForm(LabelledErrorsForm):
    amount = forms.DecimalField(label=_("Estimate of the hospital (EUR)"), **MONEY)


class TravelForm(KeyedForm):
    start = DateField(label=_("Travel date"), **DAY)
    travel = forms.DecimalField(label=_("Travel (EUR)"), **MONEY)
    accommodation = forms.DecimalField(label=_("Accommodation (EUR)"), **MONEY)
    companions = forms.IntegerField(label=_("Companions"), min_value=0, max_value=5, initial=1)
    agency = forms.CharField(label=_("Travel agency paid"), max_length=200)
    iban = forms.CharField(label=_("IBAN of the agency"), max_length=34)

    def clean_iban(self):
        return clean_iban(self.cleaned_data["iban"])


class MomentForm(LabelledErrorsForm):
    at = DateTimeField(label=_("Date and time"), **MOMENT)


class DayForm(LabelledErrorsForm):
    on = DateField(label=_("Date"), **DAY)


class BillForm(KeyedForm):
    benefit = forms.ChoiceField(label=_("What the bill is for"), choices=BILL_LABELS)
    amount = forms.DecimalField(label=_("Amount (EUR)"), **MONEY)
    date = DateField(label=_("Date of the bill"), **DAY)
    paid_to = forms.CharField(label=_("Paid to"), max_length=200)
    iban = forms.CharField(label=_("IBAN of the provider"), max_length=34)

    def clean_iban(self):
        return clean_iban(self.cleaned_data["iban"])

    post_operative_medicine = forms.BooleanField(
        label=_("Medicines for after the operation"), required=False
    )
    by_member_or_relative = forms.BooleanField(
        label=_("Paid or arranged by the member or a relative"), required=False
    )


class MedicinesForm(KeyedForm):
    """001 т.53 / 003 т.49: medicines for after the operation, bought abroad before the
    return."""

    amount = forms.DecimalField(label=_("Amount paid (EUR)"), **MONEY)
    purchased = DateField(label=_("Bought on"), **DAY)
    dose_days = forms.IntegerField(
        label=_("Days of treatment prescribed"), min_value=1, max_value=365, required=False
    )
    country = forms.CharField(
        label=_("Country of purchase"),
        max_length=2,
        required=False,
        help_text=_("Two letters, such as DE."),
    )
    iban = forms.CharField(label=_("IBAN to pay to"), max_length=34)

    def clean_iban(self):
        return clean_iban(self.cleaned_data["iban"])

    def clean_country(self):
        return self.cleaned_data["country"].strip().upper()


class AnswerForm(LabelledErrorsForm):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
    upheld = forms.BooleanField(label=_("Objection upheld: reassess the case"), required=False)


class TaskForm(LabelledErrorsForm):
    decision = forms.CharField(
        label=_("What you decided"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Then take the step on the case: put on hold, contract ended, new list."),
    )


class QueueFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All open")), *CaseStatus.choices]
    )
    mine = forms.BooleanField(label=_("My cases only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
