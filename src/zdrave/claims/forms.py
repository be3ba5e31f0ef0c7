"""The member's claim forms. They parse what is typed, with a message that names the field and
the rule; the rules of a claim itself live in ``actions`` and the engine."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.base.ui.validators import DateField
from zdrave.claims.abroad import BENEFIT_LABELS, CONDITION_LABELS, FORM_BENEFITS
from zdrave.claims.actions.intake import MAX_LINE_EUR, MAX_LINES
from zdrave.claims.catalogue import (
    DOSE_KINDS,
    KIND_HELP,
    OFFERED_KINDS,
    PRESCRIBED_KINDS,
    Covered,
    circumstance_choices,
    language,
    parent_service,
    service_label,
    services_for,
)
from zdrave.claims.models import ClaimKind, Payee
from zdrave.claims.validation import clean_iban, clean_icd10
from zdrave.engine.adjudication.index import ServiceInfo
from zdrave.engine.money import EURO_ADOPTION

ZERO = Decimal("0.00")
MAX_QUANTITY = 999
MAX_DOSE_DAYS = 366
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_INPUT = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
PAYEE_CHOICES = [
    (Payee.INSURED, _("The insured person's own account")),
    (Payee.HOLDER, _("The policyholder's account")),
]


def new_form_key() -> str:
    return uuid.uuid4().hex


def clean_form_key(value: str | None) -> str | None:
    """A form's one-time key (a uuid made when the form is first shown), or None."""
    try:
        return uuid.UUID(str(value or "")[:64]).hex
    except ValueError:
        return None


class ClaimFieldCleaning:
    """The checks a claim form and a refund form share: the one-time form key, the ICD-10
    code, the IBAN (004 Чл.29 т.7)."""

    def clean_form_key(self):
        key = clean_form_key(self.cleaned_data["form_key"])
        if key is None:
            raise ValidationError(_("The form expired; please fill it in again."))
        return key

    def clean_diagnosis(self):
        return clean_icd10(self.cleaned_data["diagnosis"])

    def clean_iban(self):
        return clean_iban(self.cleaned_data["iban"])


class KindForm(LabelledErrorsForm):
    """Step one: what the claim is for and who was treated."""

    kind = forms.ChoiceField(label=_("What do you claim for?"), widget=forms.RadioSelect)
    member = forms.ChoiceField(label=_("Who was treated?"))

    def __init__(self, *args, people: list[Covered], abroad=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the kinds someone the member may claim for is covered for.
        kinds = [k for k in OFFERED_KINDS if any(services_for(c, k) for c in people)]
        if abroad:  # on a Best Doctors contract in force (claims.abroad)
            kinds.append(ClaimKind.BEST_DOCTORS)
        self.fields["kind"].choices = [(k, ClaimKind(k).label) for k in kinds]
        self.fields["member"].choices = [(str(c.member.pk), c.label) for c in people] + [
            (str(m.pk), f"{m.person.full_name} · {m.contract.number}") for m in abroad
        ]
        self.kinds = [(k, ClaimKind(k).label, KIND_HELP[k]) for k in kinds]


class ClaimDetailsForm(ClaimFieldCleaning, LabelledErrorsForm):
    """Who was treated, where, for what, how it happened, and where the money goes."""

    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    member = forms.ChoiceField(label=_("Who was treated?"))
    provider = forms.CharField(
        label=_("Doctor, clinic or pharmacy"),
        max_length=200,
        help_text=_("As written on the invoice."),
    )
    diagnosis_text = forms.CharField(
        label=_("Diagnosis"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("As the doctor wrote it. If you do not know the code, our doctor adds it."),
    )
    diagnosis = forms.CharField(
        label=_("Diagnosis code"),
        max_length=12,
        required=False,
        help_text=_("The ICD-10 code, if it is on your medical document, such as M54.5."),
    )
    circumstances = forms.MultipleChoiceField(
        label=_("How it happened"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what applies. Leave empty if none does."),
    )
    payee = forms.ChoiceField(
        label=_("Pay to"), choices=PAYEE_CHOICES, widget=forms.RadioSelect, initial=Payee.INSURED
    )
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        help_text=_("The account the money is paid to, such as BG80 BNBG 9661 1020 3456 78."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, people: list[Covered], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(c.member.pk): c for c in people}
        self.fields["member"].choices = [(k, c.label) for k, c in self.people.items()]
        first = next(iter(self.people.values()))
        self.fields["circumstances"].choices = circumstance_choices(first.index)

    def clean(self):
        data = super().clean()
        if (
            not data.get("diagnosis_text", "").strip()
            and not data.get("diagnosis")
            and not (self.has_error("diagnosis"))
        ):
            self.add_error(
                "diagnosis_text",
                _("write the diagnosis as the doctor wrote it, or its ICD-10 code."),
            )
        return data

    @property
    def covered(self) -> Covered | None:
        return self.people.get(str(self.cleaned_data.get("member", "")))


class LineForm(LabelledErrorsForm):
    """One service paid for: what, when, how much, on which invoice."""

    service = forms.ChoiceField(label=_("Service"))
    date = DateField(label=_("Date of service"), widget=DATE_INPUT)
    amount = forms.DecimalField(
        label=_("Amount paid"),
        max_digits=12,
        decimal_places=2,
        widget=MONEY_INPUT,
        help_text=_("The total on the invoice, for example 45.50."),
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=[("EUR", _("euro (EUR)")), ("BGN", _("leva (BGN), invoices before 2026"))],
        initial="EUR",
    )
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1
    )
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=40)
    prescribed = DateField(label=_("Prescribed on"), required=False, widget=DATE_INPUT)
    dose_days = forms.IntegerField(
        label=_("Days of treatment"),
        required=False,
        min_value=1,
        max_value=MAX_DOSE_DAYS,
        help_text=_("For how many days the doctor prescribed the medicine."),
    )
    nhif_paid = forms.DecimalField(
        label=_("Paid by НЗОК"),
        required=False,
        min_value=ZERO,
        max_digits=12,
        decimal_places=2,
        widget=MONEY_INPUT,
    )
    other_insurer_paid = forms.DecimalField(
        label=_("Paid by another insurer"),
        required=False,
        min_value=ZERO,
        max_digits=12,
        decimal_places=2,
        widget=MONEY_INPUT,
    )

    def __init__(self, *args, covered: Covered, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.covered = covered
        self.kind = kind
        self.services = {info.code: info for info in services_for(covered, kind)}
        self.fields["service"].choices = [("", _("Choose…")), *service_choices(self.services)]
        # A change of service updates the document checklist in place (htmx; without
        # JavaScript the "Update the list of documents" button does the same).
        self.fields["service"].widget.attrs.update(
            {"hx-post": ".", "hx-trigger": "change", "hx-vals": '{"action": "refresh"}'}
        )
        if kind not in PRESCRIBED_KINDS:
            del self.fields["prescribed"]
        else:
            self.fields["prescribed"].required = True
        if kind not in DOSE_KINDS:
            del self.fields["dose_days"]

    def has_changed(self) -> bool:
        """A line with nothing typed is left out (an added line left empty), whatever its
        quantity and currency say."""
        return any(
            self[name].value() not in (None, "")
            for name in ("service", "date", "amount", "invoice_number")
        )

    @property
    def number(self) -> int:
        index = self.prefix.rsplit("-", 1)[-1] if self.prefix else "0"
        return int(index) + 1 if index.isdigit() else 1

    def full_clean(self):
        super().full_clean()
        line = _("Line %(n)s") % {"n": self.number}
        for name, errors in list(getattr(self, "_errors", {}).items()):
            self._errors[name] = ErrorList(
                [f"{line} – {m}" for m in errors], error_class="errorlist"
            )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        day = data.get("date")
        member = self.covered.member
        start = max(member.contract.start, member.covered_from)
        if day is not None:
            if day > today:
                self.add_error("date", _("cannot be in the future."))
            elif day < start:
                self.add_error(
                    "date",
                    _("is before %(name)s's cover began (%(start)s).")
                    % {
                        "name": member.person.full_name,
                        "start": date_format(start, "SHORT_DATE_FORMAT"),
                    },
                )
            elif data.get("currency") == "BGN" and day >= EURO_ADOPTION:
                self.add_error(
                    "currency",
                    _("invoices from 1 January 2026 are issued in euro; choose EUR."),
                )
        amount = data.get("amount")
        if amount is not None:
            if amount <= ZERO:
                self.add_error("amount", _("must be more than zero."))
            elif amount > MAX_LINE_EUR:
                self.add_error("amount", _("is too large for one line; check it."))
            else:
                others = (data.get("nhif_paid") or ZERO) + (data.get("other_insurer_paid") or ZERO)
                if others > amount:
                    self.add_error(
                        "other_insurer_paid",
                        _("with НЗОК's share it is more than the amount paid."),
                    )
        prescribed = data.get("prescribed")
        if prescribed is not None and day is not None and prescribed > day:
            self.add_error("prescribed", _("is after the date you bought it."))
        return data


def service_choices(services: dict[str, ServiceInfo]) -> list:
    """The rows grouped under their parent row of 002 (``<optgroup>``): on a phone the picker
    shows "ЯМР (без контраст)" under its heading instead of one line too long to read."""
    choices: list = []
    groups: dict[str, list] = {}
    for code, info in services.items():
        parent = parent_service(info)
        if parent is None:
            choices.append((code, service_label(info)))
            continue
        if parent.code not in groups:
            groups[parent.code] = []
            choices.append((parent.name.get(language()), groups[parent.code]))
        groups[parent.code].append((code, info.service.name.get(language())))
    return choices


class BaseLineFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": _("Lines: add at least one service you paid for."),
        "too_many_forms": _("Lines: at most %(num)d lines on one claim."),
    }


LineFormSet = forms.formset_factory(
    LineForm,
    formset=BaseLineFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_LINES,
    validate_max=True,
    absolute_max=MAX_LINES,
)


class AccountForm(LabelledErrorsForm):
    """A new account for a claim's payment (004 Чл.29 т.7)."""

    payee = forms.ChoiceField(
        label=_("Pay to"), choices=PAYEE_CHOICES, widget=forms.RadioSelect, initial=Payee.INSURED
    )
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_iban(self):
        return clean_iban(self.cleaned_data["iban"])


class WithdrawForm(LabelledErrorsForm):
    note = forms.CharField(
        label=_("Why (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DocumentsForm(LabelledErrorsForm):
    """Documents sent later to a claim: the files come in fields named per document."""

    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_form_key(self):
        key = clean_form_key(self.cleaned_data["form_key"])
        if key is None:
            raise ValidationError(_("The form expired; please choose the files again."))
        return key


# -- Best Doctors refunds (001 / 003 §VII; claims.abroad) -----------------------------------------


class RefundForm(ClaimFieldCleaning, LabelledErrorsForm):
    """A Best Doctors refund: who, the covered condition (001 т.6), what BDU's file says of the
    treatment abroad, one cost (001 т.7) and the account."""

    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    member = forms.ChoiceField(label=_("Who was treated?"))
    condition = forms.ChoiceField(label=_("Covered condition"))
    diagnosis = forms.CharField(
        label=_("Diagnosis code"),
        max_length=12,
        required=False,
        help_text=_("The ICD-10 code, if it is on your medical document, such as M54.5."),
    )
    precertificate_issued = DateField(
        label=_("Precertificate issued on"), required=False, widget=DATE_INPUT
    )
    hospital_nights = forms.IntegerField(
        label=_("Nights in hospital abroad"), required=False, min_value=0, max_value=MAX_DOSE_DAYS
    )
    returned_home = DateField(label=_("Returned to Bulgaria on"), required=False, widget=DATE_INPUT)
    provider = forms.CharField(label=_("Doctor, clinic or pharmacy"), max_length=200)
    benefit = forms.ChoiceField(label=_("What was the cost for?"))
    date = DateField(label=_("Date of purchase"), widget=DATE_INPUT)
    country = forms.CharField(label=_("Country"), max_length=2, initial="BG")
    amount = forms.DecimalField(
        label=_("Amount paid"), max_digits=12, decimal_places=2, widget=MONEY_INPUT
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=[("EUR", _("euro (EUR)")), ("BGN", _("leva (BGN), invoices before 2026"))],
        initial="EUR",
    )
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=40)
    dose_days = forms.IntegerField(
        label=_("Days of treatment"), required=False, min_value=1, max_value=MAX_DOSE_DAYS
    )
    iban = forms.CharField(label=_("IBAN"), max_length=42)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["member"].choices = [
            (k, f"{m.person.full_name} · {m.contract.number}") for k, m in self.members.items()
        ]
        self.fields["condition"].choices = [("", _("Choose…")), *CONDITION_LABELS.items()]
        self.fields["benefit"].choices = [(b.value, BENEFIT_LABELS[b]) for b in FORM_BENEFITS]

    def clean_country(self):
        value = self.cleaned_data["country"].strip().upper()
        if len(value) != 2 or not value.isalpha():
            raise ValidationError(_("a two-letter code, such as BG."))
        return value

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= ZERO:
            raise ValidationError(_("must be more than zero."))
        return amount
