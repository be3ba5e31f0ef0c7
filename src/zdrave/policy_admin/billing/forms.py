"""Billing's forms: labels name the field, errors name the field and the rule."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zdrave.base.banking.schemas import MAX_FILE_BYTES
from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.contracts.models import Contract, TerminationReason

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Kinds decided on the contract's page; non-payment and repricing refusal come from their task.
PAGE_KINDS = [
    (k, label)
    for k, label in TerminationReason.choices
    if k not in (TerminationReason.PREMIUM_OVERDUE, TerminationReason.REPRICING_REFUSED)
]


def one_time_key() -> str:
    return uuid.uuid4().hex


class PaymentForm(LabelledErrorsForm):
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE_INPUT)
    payer = forms.CharField(label=_("Payer"), max_length=200, required=False)
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RefundForm(LabelledErrorsForm):
    iban = forms.CharField(label=_("IBAN of the policyholder"), max_length=60)
    payee_name = forms.CharField(label=_("Account holder"), max_length=200, required=False)


class TerminationForm(LabelledErrorsForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PAGE_KINDS)
    effective_on = forms.DateField(
        label=_("Cover ends on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Cover ends at 00:00 of this day. By notice: the end of the insurance period."),
    )
    since = forms.DateField(
        label=_("Learned / proposal received on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_(
            "Misrepresentation: the day the insurer learned of it (one month to act, 004 Чл.28 "
            "т.3). Higher risk: the day the policyholder received the proposal (two weeks to "
            "answer, Чл.28 т.4)."
        ),
    )
    note = forms.CharField(
        label=_("Note for the letter"), max_length=2000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, kinds=None, **kwargs):
        """``kinds``: a Best Doctors contract's own (001 т.27.1–27.3 / 003 т.24 а)–б))."""
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = kinds
            self.fields["since"].label = _("Learned / request received on")
            self.fields["since"].help_text = _(
                "Misrepresentation: the day the insurer learned of it (one month to act, 001 "
                "т.27.3). The policyholder's application or a notice: the day it was received "
                "(001 т.27.2, 003 т.24 б): three months' notice)."
            )


class TaskTerminationForm(LabelledErrorsForm):
    effective_on = forms.DateField(label=_("Cover ends on"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Note for the letter"), max_length=2000, required=False, widget=forms.Textarea
    )


class NoteForm(LabelledErrorsForm):
    note = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)


class RepricingForm(LabelledErrorsForm):
    premium = forms.DecimalField(
        label=_("Proposed yearly premium (EUR)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )


class StatementForm(LabelledErrorsForm):
    file = forms.FileField(
        label=_("Statement file"),
        help_text=_("camt.053 (XML) or the bank's CSV export (separator ';', see the format)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                _("the file is larger than %(limit)d MB; a statement is much smaller.")
                % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class MatchForm(LabelledErrorsForm):
    contract = forms.CharField(label=_("Contract number"), max_length=32)

    def clean_contract(self):
        number = self.cleaned_data["contract"].strip().upper()
        found = Contract.objects.filter(number=number).first()
        if found is None:
            raise ValidationError(_("no contract has the number %(n)s.") % {"n": number})
        return found


class FindContractForm(LabelledErrorsForm):
    number = forms.CharField(label=_("Contract number"), max_length=32)
