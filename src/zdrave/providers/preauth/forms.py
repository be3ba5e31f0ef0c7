"""The forms of pre-authorisation: the front desk's request (from one of its eligibility checks
that answered "needs pre-authorisation"), the member's request (an institution of the network),
the medical expert's decision and the release of a guarantee."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.providers.preauth.reasons import reason_choices

DATE = forms.DateInput(attrs={"type": "date"})
MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Up to ``MAX_FILES`` medical documents; each is checked by content when the request is
    sent (``base.documents``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(FilesField, self).clean(item, initial) for item in items if item]
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("at most %(count)s files; put several pages in one PDF."),
                params={"count": MAX_FILES},
            )
        return files


class _RequestFields(LabelledErrorsForm):
    planned_date = forms.DateField(label=_("Planned date"), widget=DATE)
    estimated_amount = forms.DecimalField(
        label=_("Estimated amount (EUR)"), max_digits=12, decimal_places=2, min_value=0.01
    )
    diagnosis = forms.CharField(
        label=_("Diagnosis (ICD-10)"), max_length=16, help_text=_("For example M51.1.")
    )
    notes = forms.CharField(
        label=_("Medical reasons"), required=False, max_length=4000, widget=forms.Textarea
    )
    documents = FilesField(
        label=_("Medical documents"),
        help_text=_("Referral, test results, the doctor's opinion: PDF or photos, up to 5."),
    )
    form_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_form_key(self):
        try:
            return uuid.UUID(str(self.cleaned_data.get("form_key") or "")[:64]).hex
        except ValueError:
            return uuid.uuid4().hex


class ProviderRequestForm(_RequestFields):
    check_id = forms.TypedChoiceField(
        label=_("Patient and service (from your eligibility checks)"),
        coerce=int,
        help_text=_("Checks of the last 7 days that answered “needs pre-authorisation”."),
    )
    field_order = ["check_id", "planned_date", "estimated_amount", "diagnosis", "notes"]

    def __init__(self, *args, checks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check_id"].choices = [("", "—"), *checks]


class MemberRequestForm(_RequestFields):
    institution = forms.TypedChoiceField(label=_("Medical institution"), coerce=int)
    service = forms.ChoiceField(label=pgettext_lazy("preauth", "Service"))
    field_order = ["institution", "service", "planned_date", "estimated_amount", "diagnosis"]

    def __init__(self, *args, institutions=(), services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", "—"), *institutions]
        self.fields["service"].choices = [("", "—"), *services]


class DecisionForm(LabelledErrorsForm):
    APPROVE, REFUSE = "approve", "refuse"
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve (all or part)")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(
        label=_("Approved amount (EUR)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Less than the estimate is a partial approval: give its reason."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DATE,
        help_text=_("Empty: 30 days after the planned date, within the cover."),
    )
    covers = forms.CharField(
        label=_("What it covers"), required=False, max_length=1000, widget=forms.Textarea
    )
    reason_code = forms.ChoiceField(label=_("Reason (clause)"), required=False)
    reasons = forms.CharField(
        label=_("Reasons for the institution and the member"),
        required=False,
        max_length=4000,
        widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = [("", "—"), *reason_choices()]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == self.APPROVE and data.get("amount") is None:
            self.add_error("amount", _("Approved amount: type the amount guaranteed."))
        return data


class ReleaseForm(LabelledErrorsForm):
    why = forms.CharField(label=_("Why is the guarantee released?"), max_length=200)
