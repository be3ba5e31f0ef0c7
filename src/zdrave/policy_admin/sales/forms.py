"""The forms of online sales. Package choices are one select per package whose values are
``option/clause`` (002: each package is chosen in one option and one clause)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.contracts.models import MemberRole, Option
from zdrave.engine.terms import ProductVersion
from zdrave.policy_admin.sales.models import Decision, SalesContractType, Signer

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_INPUT = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
QUOTE_PERSONS = 4
ROLE_CHOICES = [
    (MemberRole.HOLDER, MemberRole.HOLDER.label),
    (MemberRole.SPOUSE, MemberRole.SPOUSE.label),
    (MemberRole.COHABITANT, MemberRole.COHABITANT.label),
    (MemberRole.CHILD, MemberRole.CHILD.label),
]


def new_form_key() -> str:
    return uuid.uuid4().hex


def clean_form_key(value: str | None) -> str | None:
    try:
        return uuid.UUID(str(value or "")[:64]).hex
    except ValueError:
        return None


def instalment_choices(tariff) -> list[tuple[int, str]]:
    labels = {1: _("At once"), 2: _("Two instalments"), 4: _("Four instalments"), 12: _("Monthly")}
    return [
        (
            p.count,
            f"{labels.get(p.count, p.count)} (+{p.loading_percent:g} %)"
            if p.loading_percent
            else str(labels.get(p.count, p.count)),
        )
        for p in tariff.instalments
    ]


def package_fields(version: ProductVersion, prefix: str = "") -> dict[str, forms.Field]:
    """One optional select per package: not chosen, or an option and a clause."""
    language = get_language() or "bg"
    fields = {}
    for package in version.packages:
        choices = [("", _("— not chosen —"))]
        for option in package.options:
            for clause in package.clauses:
                label = f"{Option(option.value).label} · {_('clause')} {clause.value}"
                choices.append((f"{option.value}/{clause.value}", label))
        fields[f"{prefix}pkg{package.number}"] = forms.ChoiceField(
            label=_("Package %(n)s: %(name)s")
            % {"n": package.number, "name": package.name.get(language)},
            choices=choices,
            required=False,
        )
    return fields


def chosen(data: dict, version: ProductVersion, prefix: str = "") -> list[dict]:
    found = []
    for package in version.packages:
        value = data.get(f"{prefix}pkg{package.number}") or ""
        if value:
            option, clause = value.split("/", 1)
            found.append({"package": package.number, "option": option, "clause": clause})
    return found


class QuoteForm(forms.Form):
    """The public quote: a start date, how to pay and up to four persons."""

    start = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    instalments = forms.TypedChoiceField(label=_("How to pay"), coerce=int)

    def __init__(self, *args, version: ProductVersion, tariff, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["instalments"].choices = instalment_choices(tariff)
        self.persons = []
        for i in range(1, QUOTE_PERSONS + 1):
            birth = f"p{i}_birth"
            self.fields[birth] = forms.DateField(
                label=_("Person %(n)s: date of birth") % {"n": i}, widget=DATE_INPUT, required=False
            )
            packages = package_fields(version, prefix=f"p{i}_")
            self.fields.update(packages)
            self.persons.append((i, birth, list(packages)))

    def person_rows(self):
        return [
            {"number": i, "birth": self[birth], "packages": [self[name] for name in names]}
            for i, birth, names in self.persons
        ]

    def requests(self) -> list[tuple[str, dt.date, list[dict], None]]:
        data = self.cleaned_data
        found = []
        for i, birth, _names in self.persons:
            choices = chosen(data, self.version, prefix=f"p{i}_")
            if data.get(birth) is None and not choices:
                continue
            if data.get(birth) is None:
                self.add_error(birth, _("Date of birth: enter it for a person with packages."))
                continue
            found.append((str(i), data[birth], choices, None))
        if not found and not self.errors:
            self.add_error(None, _("Enter at least one person's date of birth and packages."))
        return found


class StartForm(LabelledErrorsForm):
    contract_type = forms.ChoiceField(
        label=_("Contract type"),
        choices=[
            (SalesContractType.INDIVIDUAL, SalesContractType.INDIVIDUAL.label),
            (SalesContractType.FAMILY, SalesContractType.FAMILY.label),
        ],
    )
    start = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    instalments = forms.TypedChoiceField(label=_("How to pay"), coerce=int)
    email = forms.EmailField(label=_("E-mail"))
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, tariff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instalments"].choices = instalment_choices(tariff)

    def clean_form_key(self):
        return clean_form_key(self.cleaned_data["form_key"])


class PersonForm(LabelledErrorsForm):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    egn = forms.CharField(label=_("ЕГН"), max_length=10)
    role = forms.ChoiceField(label=_("Role on the contract"), choices=ROLE_CHOICES)
    student = forms.BooleanField(
        label=_("A child aged 18 to 25 in education after secondary school"), required=False
    )
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, version: ProductVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.package_names = list(package_fields(version))
        self.fields.update(package_fields(version))

    def clean_form_key(self):
        return clean_form_key(self.cleaned_data["form_key"])

    def packages(self):
        return [self[name] for name in self.package_names]

    def action_data(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "egn": data["egn"],
            "role": data["role"],
            "student": data["student"],
            "choices": chosen(data, self.version),
            "form_key": data["form_key"],
        }


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class DeclarationForm(LabelledErrorsForm):
    """The questions of the product's declaration (004 Чл.9 via underwriting.yaml); a draft may
    leave them open."""

    signed_by = forms.ChoiceField(
        label=_("Filled in by"), choices=Signer.choices, widget=forms.RadioSelect
    )
    signer_name = forms.CharField(
        label=_("Name of who fills it in"), max_length=200, required=False
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "bg"
        self.question_names = []
        for question in questions:
            name = f"q_{question.key}"
            self.fields[name] = forms.ChoiceField(
                label=question.title.get(language),
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )
            self.question_names.append((name, question.key))

    def question_fields(self):
        return [self[name] for name, _key in self.question_names]

    def answers(self) -> dict[str, bool | None]:
        data = self.cleaned_data
        return {
            key: (None if not data.get(name) else data[name] == "yes")
            for name, key in self.question_names
        }


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


class DecisionForm(LabelledErrorsForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.ACCEPTED, _("Accept")),
            (Decision.SPECIAL, _("Accept on special conditions")),
            (Decision.DECLINED, _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    excluded_icd10 = forms.CharField(
        label=_("Excluded diagnoses (ICD-10, comma-separated)"),
        required=False,
        help_text=_("For example K80 or M50-M54."),
    )
    excluded_services = forms.CharField(
        label=_("Excluded services (002 codes, comma-separated)"),
        required=False,
        help_text=_("For example 2.8.e, or 2.8* for a whole group."),
    )
    limit = forms.DecimalField(
        label=_("Lower aggregate limit (EUR)"),
        required=False,
        min_value=Decimal("0.01"),
        widget=MONEY_INPUT,
    )
    loading_percent = forms.DecimalField(
        label=_("Premium loading (%)"), required=False, min_value=Decimal(0), widget=MONEY_INPUT
    )
    note = forms.CharField(
        label=_("Reasons for the decision"), widget=forms.Textarea, required=False
    )

    def action_data(self) -> dict:
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "note": data["note"],
            "excluded_icd10": _codes(data["excluded_icd10"]),
            "excluded_services": _codes(data["excluded_services"]),
            "limit": data["limit"],
            "loading_percent": data["loading_percent"],
        }


class PaymentForm(LabelledErrorsForm):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE_INPUT)
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), min_value=Decimal("0.01"), widget=MONEY_INPUT
    )
