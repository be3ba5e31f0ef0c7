"""The complaints forms: the portal's (member, employer), the staff's record of a complaint
received otherwise, the queue's filters and the work on one complaint (escalate, answer)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zdrave.base.identity.permissions import COMPLAINTS_ROLES
from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.base.ui.validators import DateField
from zdrave.claims.models import Claim
from zdrave.contracts.models import Contract
from zdrave.engine.complaints import Flag
from zdrave.member_rights.complaints.actions import MAX_FILES, check_text
from zdrave.member_rights.complaints.fetch import (
    cases_to_complain_about,
    claims_to_complain_about,
    contracts_to_complain_about,
)
from zdrave.member_rights.complaints.models import (
    Category,
    Channel,
    ComplainantKind,
    ComplaintStatus,
    Outcome,
)
from zdrave.treatment_abroad.models import AbroadCase

LANGUAGES = [("bg", "Български"), ("en", "English")]
STAFF_CHANNELS = [c for c in Channel.choices if c[0] != Channel.PORTAL]


def new_form_key() -> str:
    return uuid.uuid4().hex


def clean_form_key(value: str | None) -> str | None:
    """A form's one-time key (a uuid made when the form is first shown), or None."""
    try:
        return uuid.UUID(str(value or "")[:64]).hex
    except ValueError:
        return None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Up to ``MAX_FILES`` files in one input; each is checked by content when the complaint is
    filed (``base.documents``)."""

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


class ComplaintTextMixin:
    def clean_text(self):
        return check_text(self.cleaned_data["text"], label=str(self.fields["text"].label))

    def clean_form_key(self):
        key = clean_form_key(self.cleaned_data["form_key"])
        if key is None:
            raise ValidationError(_("The form expired; please fill it in again."))
        return key


def _text_field():
    return forms.CharField(
        label=_("Your complaint"),
        strip=True,
        required=False,  # check_text says what is wrong, with the limit
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What happened, what you expected and what you ask us to do. At most 10 000 "
            "characters; attach anything longer as a document."
        ),
    )


class ComplaintForm(ComplaintTextMixin, LabelledErrorsForm):
    """A member's or employer's complaint from the portal."""

    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices)
    subject = forms.ChoiceField(label=_("Which claim or contract?"), required=False)
    reassessment = forms.BooleanField(
        label=_("I ask for a new assessment of my treatment-abroad case (001 т.74)"),
        required=False,
        help_text=_(
            "After your return from treatment abroad, under the 2019 Best Doctors terms: the "
            "experts look at the same condition again."
        ),
    )
    text = _text_field()
    files = FilesField(
        label=_("Documents"),
        help_text=_("Optional: up to 5 files (PDF, JPEG, PNG, DOCX), 20 MB each."),
    )
    email = forms.EmailField(
        label=_("E-mail for the answer"), help_text=_("We send the written answer here.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language of the answer"), choices=LANGUAGES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.claims = {c.number: c for c in claims_to_complain_about(user)}
        self.contracts = {c.number: c for c in contracts_to_complain_about(user)}
        self.cases = {c.number: c for c in cases_to_complain_about(user)}
        choices = [("", _("Nothing in particular"))]
        choices += [
            (
                f"claim:{number}",
                _("Claim %(number)s of %(date)s (%(status)s)")
                % {
                    "number": number,
                    "date": f"{c.submitted:%d.%m.%Y}",
                    "status": c.get_status_display(),
                },
            )
            for number, c in self.claims.items()
        ]
        choices += [
            (
                f"case:{number}",
                _("Treatment-abroad case %(number)s (%(status)s)")
                % {"number": number, "status": c.get_status_display()},
            )
            for number, c in self.cases.items()
        ]
        choices += [
            (f"contract:{number}", _("Contract %(number)s") % {"number": number})
            for number in self.contracts
        ]
        self.fields["subject"].choices = choices
        if self.cases:
            self.fields["subject"].label = _("Which claim, case or contract?")
        else:
            del self.fields["reassessment"]

    def clean_subject(self):
        value = self.cleaned_data["subject"]
        kind, _sep, number = value.partition(":")
        if kind == "claim":
            return self.claims.get(number)
        if kind == "contract":
            return self.contracts.get(number)
        if kind == "case":
            return self.cases.get(number)
        return None


class StaffComplaintForm(ComplaintTextMixin, LabelledErrorsForm):
    """A complaint received by letter, e-mail, phone or at an office, recorded by staff."""

    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    channel = forms.ChoiceField(label=_("Received by"), choices=STAFF_CHANNELS)
    received_on = DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a letter, the date of the postmark (004 Чл.30 т.7)."),
    )
    complainant_kind = forms.ChoiceField(label=_("Complainant is"), choices=ComplainantKind.choices)
    complainant_name = forms.CharField(label=_("Complainant"), max_length=200)
    account = forms.CharField(
        label=_("Portal account (user name or e-mail)"),
        max_length=150,
        required=False,
        help_text=_("Optional: the complainant then sees the complaint and its answer."),
    )
    email = forms.EmailField(label=_("E-mail for the answer"), required=False)
    postal_address = forms.CharField(label=_("Postal address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language of the answer"), choices=LANGUAGES)
    contract_number = forms.CharField(label=_("Contract number"), max_length=24, required=False)
    claim_number = forms.CharField(
        label=_("Number of the claim it is about"), max_length=24, required=False
    )
    case_number = forms.CharField(
        label=_("Number of the treatment-abroad case it is about"), max_length=24, required=False
    )
    reassessment = forms.BooleanField(
        label=_("The complainant asks for a new assessment of the case (001 т.74)"),
        required=False,
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    text = _text_field()
    files = FilesField(
        label=_("Documents"), help_text=_("Optional: the letter scanned, up to 5 files.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Complaint")

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError(_("the date cannot be in the future."))
        return value

    def clean_account(self):
        value = self.cleaned_data["account"].strip()
        if not value:
            return None
        user = (
            get_user_model()
            .objects.filter(Q(username=value) | Q(email__iexact=value), is_active=True)
            .first()
        )
        if user is None:
            raise ValidationError(_("no portal account has this user name or e-mail."))
        return user

    def clean_contract_number(self):
        number = self.cleaned_data["contract_number"].strip()
        if not number:
            return None
        contract = Contract.objects.filter(number=number).first()
        if contract is None:
            raise ValidationError(_("there is no contract %(number)s."), params={"number": number})
        return contract

    def clean_claim_number(self):
        number = self.cleaned_data["claim_number"].strip()
        if not number:
            return None
        claim = Claim.objects.select_related("contract").filter(number=number).first()
        if claim is None:
            raise ValidationError(_("there is no claim %(number)s."), params={"number": number})
        return claim

    def clean_case_number(self):
        number = self.cleaned_data["case_number"].strip()
        if not number:
            return None
        case = AbroadCase.objects.select_related("member__contract").filter(number=number).first()
        if case is None:
            raise ValidationError(
                _("there is no treatment-abroad case %(number)s."), params={"number": number}
            )
        return case

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("postal_address") and not data.get("account"):
            raise ValidationError(
                _("Contact: give an e-mail or a postal address for the written answer.")
            )
        return data


class EscalateForm(LabelledErrorsForm):
    to = forms.ModelChoiceField(label=_("Second level"), queryset=None)
    note = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = (
            get_user_model()
            .objects.filter(role__in=COMPLAINTS_ROLES, is_active=True)
            .exclude(pk=user.pk)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["to"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class AnswerForm(LabelledErrorsForm):
    outcome = forms.ChoiceField(label=_("Outcome of the complaint"), choices=Outcome.choices)
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "They are printed in the letter. A complaint not upheld must say why (001 т.80)."
        ),
    )
    reopen = forms.BooleanField(label=_("Reopen the claim: it is decided again"), required=False)
    reassess = forms.BooleanField(
        label=_("Start the reassessment of the case the complainant asked for (001 т.74)"),
        required=False,
    )
    language = forms.ChoiceField(label=_("Language of the letter"), choices=LANGUAGES)

    def __init__(self, *args, can_reopen: bool, can_reassess: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_reopen:
            del self.fields["reopen"]
        if not can_reassess:
            del self.fields["reassess"]


FLAG_CHOICES = [
    ("", _("Any")),
    (Flag.AT_RISK, _("At risk")),
    (Flag.OVERDUE, _("Overdue")),
]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Still open")), *ComplaintStatus.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any")), *Category.choices]
    )
    channel = forms.ChoiceField(
        label=_("Received by"), required=False, choices=[("", _("Any")), *Channel.choices]
    )
    flag = forms.ChoiceField(label=_("Deadline"), required=False, choices=FLAG_CHOICES)
    mine = forms.BooleanField(label=_("Only mine"), required=False)


class RegisterForm(forms.Form):
    month = forms.CharField(
        label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}), max_length=7
    )

    def clean_month(self):
        value = self.cleaned_data["month"]
        try:
            year, month = (int(part) for part in value.split("-"))
            if not (2000 <= year <= 2100 and 1 <= month <= 12):
                raise ValueError
        except ValueError:
            raise ValidationError(_("Month: write it as 2026-03.")) from None
        return year, month
