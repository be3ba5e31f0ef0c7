"""Forms of the staff pages: the queue's filters, an adjuster's decision with overrides per line,
a referral, the medical expert's opinion, the second approval, reopening. Each error names its
field; the checks of an override are the action's own (``actions.decide.parse_override``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.claims.actions.decide import MAX_REASON, Override, parse_override
from zdrave.claims.clocks import Flag
from zdrave.claims.models import ClaimStatus
from zdrave.claims.staff_fetch import QueueFilters
from zdrave.claims.validation import clean_icd10
from zdrave.engine.terms.rules import Circumstance

NOTE_ROWS = {"rows": 3}


class EuroField(forms.DecimalField):
    """An amount in euro typed either way, ``12.50`` or ``12,50``."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(" ", "").replace("\u00a0", "").replace(",", ".")
        return super().to_python(value)


class QueueFilterForm(LabelledErrorsForm):
    """The queue's filters (GET). The medical expert's queue holds only the claims referred to
    the medical expert and shows no amounts, so those filters are left out for them."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    product = forms.ChoiceField(label=gettext_lazy("Product"), required=False)
    due = forms.ChoiceField(
        label=gettext_lazy("Due"),
        required=False,
        choices=[
            ("", gettext_lazy("Any due date")),
            (Flag.AT_RISK.value, gettext_lazy("At risk or overdue")),
            (Flag.OVERDUE.value, gettext_lazy("Overdue")),
        ],
    )
    amount_min = EuroField(
        label=gettext_lazy("Amount from (EUR)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
    )
    amount_max = EuroField(
        label=gettext_lazy("Amount up to (EUR)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
    )
    mine = forms.BooleanField(label=gettext_lazy("Assigned to me"), required=False)

    def __init__(self, *args, products: list[tuple[str, str]], medical: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", _("All products")), *products]
        self.fields["status"].choices = [("", _("Open work")), *ClaimStatus.choices]
        if medical:
            for name in ("status", "amount_min", "amount_max"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and high < low:
            self.add_error(
                "amount_max",
                _("Amount up to (EUR): must not be less than the amount from."),
            )
        return data

    def filters(self) -> QueueFilters:
        if not self.is_bound or not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        return QueueFilters(
            status=data.get("status", ""),
            product=data.get("product", ""),
            due=data.get("due", ""),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            mine=data.get("mine", False),
        )


class DecideForm(forms.Form):
    """The engine's proposal per line, with the amount to pay the adjuster may change. A line
    whose amount differs from the proposal, or that has a reason, is an override: it needs a
    reason (and so a second person's approval, ``actions.decide.decide``)."""

    note = forms.CharField(
        label=gettext_lazy("Note on the decision"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs=NOTE_ROWS),
    )

    def __init__(self, *args, proposal: list[dict], **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.proposal = {line["index"]: line for line in proposal}
        self.overrides: list[Override] = []
        for index, line in self.proposal.items():
            self.fields[f"payable_{index}"] = forms.CharField(
                label=_("Line %(n)s: amount to pay (EUR)") % {"n": index + 1},
                required=False,
                initial=line["payable"],
                max_length=16,
            )
            self.fields[f"reason_{index}"] = forms.CharField(
                label=_("Line %(n)s: reason for a change") % {"n": index + 1},
                required=False,
                max_length=MAX_REASON,
            )

    def line_fields(self, index: int) -> tuple[forms.BoundField, forms.BoundField]:
        return self[f"payable_{index}"], self[f"reason_{index}"]

    def clean(self):
        data = super().clean()
        self.overrides = []
        for index, line in self.proposal.items():
            typed = (data.get(f"payable_{index}") or "").strip()
            reason = data.get(f"reason_{index}") or ""
            if not typed and not reason.strip():
                continue
            if not reason.strip() and _same_amount(typed, line["payable"]):
                continue
            try:
                self.overrides.append(parse_override(index, typed or line["payable"], reason))
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(
                            f"{key}_{index}",
                            _("Line %(n)s — %(message)s") % {"n": index + 1, "message": message},
                        )
        return data


def _same_amount(typed: str, proposed: str) -> bool:
    try:
        return Decimal(typed.replace(",", ".")) == Decimal(proposed)
    except InvalidOperation:
        return False


class NoteForm(LabelledErrorsForm):
    """A reason or a note: referring, reopening, sending a decision back, approving."""

    note = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs=NOTE_ROWS),
    )

    def __init__(self, *args, required: bool = False, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = required
        if label is not None:
            self.fields["note"].label = label
        if required:
            self.fields["note"].error_messages["required"] = _("say why.")


NECESSITY = [
    ("necessary", gettext_lazy("Medically necessary and related to the diagnosis")),
    (
        Circumstance.NOT_RELATED_TO_DIAGNOSIS.value,
        gettext_lazy(
            "Not related to the diagnosis and the prescribed treatment (004 Чл.21(1) т.17)"
        ),
    ),
    (
        Circumstance.NO_SYMPTOMS.value,
        gettext_lazy("Without complaints or symptoms: secondary prevention (004 Чл.21(1) т.23)"),
    ),
]
PRE_EXISTING = [
    ("no", gettext_lazy("No: the condition began during the cover")),
    (
        Circumstance.PRE_EXISTING.value,
        gettext_lazy("Yes: it existed before the contract (004 Чл.21(1) т.2)"),
    ),
    (
        Circumstance.PLANNED_BEFORE_CONTRACT.value,
        gettext_lazy("The care was planned before the contract (004 Чл.21(1) т.22)"),
    ),
]


class MedicalOpinionForm(LabelledErrorsForm):
    """The medical expert's answer: the ICD-10 code and the opinion on necessity and on a
    pre-existing condition. What the opinion finds becomes the claim's circumstances, which the
    engine's exclusions of 004 Чл.21(1) read."""

    icd10 = forms.CharField(
        label=gettext_lazy("Diagnosis code"),
        help_text=gettext_lazy("ICD-10, such as M54.5"),
        max_length=8,
    )
    necessity = forms.ChoiceField(
        label=gettext_lazy("Medical necessity"),
        choices=NECESSITY,
        initial="necessary",
        widget=forms.RadioSelect,
    )
    pre_existing = forms.ChoiceField(
        label=gettext_lazy("Pre-existing condition"),
        choices=PRE_EXISTING,
        initial="no",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=gettext_lazy("Opinion"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs=NOTE_ROWS),
    )

    def clean_icd10(self) -> str:
        return clean_icd10(self.cleaned_data["icd10"])

    def circumstances(self) -> list[str]:
        data = self.cleaned_data
        return [
            value
            for value in (data["necessity"], data["pre_existing"])
            if value not in ("necessary", "no")
        ]

    def note(self) -> str:
        data = self.cleaned_data
        necessity = dict(NECESSITY)[data["necessity"]]
        pre_existing = dict(PRE_EXISTING)[data["pre_existing"]]
        parts = [
            _("Medical necessity: %(answer)s.") % {"answer": necessity},
            _("Pre-existing condition: %(answer)s.") % {"answer": pre_existing},
            data["opinion"].strip(),
        ]
        return " ".join(p for p in parts if p)
