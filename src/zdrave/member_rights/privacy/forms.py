from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.member_rights.privacy.actions import MAX_TEXT


def new_form_key() -> str:
    return uuid.uuid4().hex


class OneTimeKeyForm(LabelledErrorsForm):
    """A form that creates something carries a one-time key: sent twice, it is one request."""

    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_form_key(self):
        try:
            return uuid.UUID(self.cleaned_data["form_key"]).hex
        except ValueError:
            raise ValidationError(_("The form expired; please fill it in again.")) from None


class ConsentForm(LabelledErrorsForm):
    given = forms.TypedChoiceField(
        label=_("Marketing consent"),
        choices=[("yes", _("I agree")), ("no", _("I do not agree"))],
        coerce=lambda value: value == "yes",
    )


class CorrectionForm(OneTimeKeyForm):
    text = forms.CharField(
        label=_("What is wrong and what is right"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_TEXT,
        help_text=_("For example: my surname is Petrova-Ivanova, not Petrova; my e-mail changed."),
    )


class ErasureForm(OneTimeKeyForm):
    text = forms.CharField(
        label=_("Anything you want to add (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        required=False,
    )


class AnswerForm(LabelledErrorsForm):
    done = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Done")), ("no", _("Refused"))],
        coerce=lambda value: value == "yes",
    )
    outcome = forms.CharField(
        label=_("What was done, or why not"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_TEXT,
    )


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditSearchForm(forms.Form):
    person = forms.CharField(
        label=_("Person (name, ЕГН or e-mail)"), required=False, max_length=100
    )
    user = forms.CharField(
        label=_("User (log-in name)"),
        required=False,
        max_length=150,
        help_text=_("Or a command or task, as the trail names it: command:…, task:…"),
    )
    object_type = forms.CharField(
        label=_("Kind of record"),
        required=False,
        max_length=64,
        # Model labels, shown as code: the same on a Bulgarian and an English page.
        help_text="claims.claim · contracts.contract · documents.medicalfile",
    )
    object_id = forms.CharField(label=_("Record (id or number)"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("“From” must not be after “To”."))
        return data
