"""The group pages' forms. Each carries the one-time key of its page (a uuid made when the form
is first shown), so a double submit finds the annex or request already made."""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.contracts.models import Clause, MemberRole, Option
from zdrave.policy_admin.groups.census import GROUP_ROLES, MAX_BYTES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def new_form_key() -> str:
    return uuid.uuid4().hex


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


class KeyedForm(LabelledErrorsForm):
    form_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("form_key", new_form_key())
        super().__init__(*args, **kwargs)

    def clean_form_key(self):
        try:
            return uuid.UUID(str(self.cleaned_data["form_key"])[:64]).hex
        except ValueError:
            raise ValidationError(_("The form expired; please fill it in again.")) from None


class EffectiveField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("In force from"))
        kwargs.setdefault(
            "help_text",
            _(
                "The change takes effect at 00:00 of this day (004 Чл.27 т.2): a person joins "
                "from the day after today at the earliest; a person who left may be removed from "
                "up to 7 days ago (004 Чл.24 т.4)."
            ),
        )
        super().__init__(widget=DATE_INPUT, **kwargs)


class CensusUploadForm(LabelledErrorsForm):
    file = forms.FileField(
        label=_("Census file"),
        help_text=_(
            "CSV (UTF-8 or Windows-1251, comma or semicolon) or Excel (.xlsx), one person a "
            "row, with the columns of the downloaded census."
        ),
    )
    effective = EffectiveField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("effective", tomorrow())
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("the file is larger than 10 MB."))
        return upload


ROLE_CHOICES = [(r.value, r.label) for r in MemberRole if r in GROUP_ROLES]


class AddPersonForm(KeyedForm):
    egn = forms.CharField(label=_("ЕГН"), max_length=10)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Middle name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    packages = forms.CharField(
        label=_("Packages"), max_length=40, help_text=_("Package numbers, such as 2, 3 (002).")
    )
    option = forms.ChoiceField(label=_("Option"), choices=Option.choices)
    clause = forms.ChoiceField(
        label=_("Clause"), choices=[("", "—"), *Clause.choices], required=False
    )
    effective = EffectiveField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("effective", tomorrow())
        super().__init__(*args, **kwargs)


class RemovePersonForm(KeyedForm):
    egn = forms.CharField(label=_("ЕГН"), max_length=10)
    effective = EffectiveField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("effective", tomorrow())
        super().__init__(*args, **kwargs)


FAMILY_ROLES = [
    (r.value, r.label) for r in (MemberRole.SPOUSE, MemberRole.COHABITANT, MemberRole.CHILD)
]
YES_NO = [("no", pgettext_lazy("answer", "No")), ("yes", pgettext_lazy("answer", "Yes"))]


class FamilyMemberForm(KeyedForm):
    """A spouse, partner or child added online (004 Чл.27 т.2) with their health declaration
    (004 Чл.10; for a child filled in by a parent, Чл.23 т.1): one yes/no field per question of
    the product version, named ``q_<key>``."""

    egn = forms.CharField(label=_("ЕГН"), max_length=10)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Middle name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=FAMILY_ROLES)
    effective = EffectiveField()
    signer_name = forms.CharField(
        label=_("Name of who fills in the declaration"),
        max_length=200,
        help_text=_("For a child under 18: the parent or guardian (004 Чл.23 т.1)."),
    )

    def __init__(self, *args, questions=(), language="bg", **kwargs):
        kwargs.setdefault("initial", {}).setdefault("effective", tomorrow())
        super().__init__(*args, **kwargs)
        self.question_keys = []
        for question in questions:
            name = f"q_{question.key}"
            self.fields[name] = forms.ChoiceField(
                label=question.title.get(language),
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )
            self.question_keys.append(question.key)

    def answers(self) -> dict[str, bool | None]:
        data = self.cleaned_data
        return {
            key: {"yes": True, "no": False}.get(data.get(f"q_{key}") or "")
            for key in self.question_keys
        }


class FamilyRemoveForm(KeyedForm):
    effective = EffectiveField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("effective", tomorrow())
        super().__init__(*args, **kwargs)


class ExaminationRequestForm(KeyedForm):
    period_from = forms.DateField(label=_("Wanted from"), widget=DATE_INPUT)
    period_to = forms.DateField(label=_("Wanted until"), widget=DATE_INPUT)
    places = forms.CharField(
        label=_("Places and numbers of people"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the people work, when they are in more than one town (004 Чл.30 т.3)."),
    )


class ScheduleForm(LabelledErrorsForm):
    provider = forms.CharField(label=_("Provider"), max_length=200)
    day1 = forms.DateField(label=_("Main date 1"), widget=DATE_INPUT)
    day2 = forms.DateField(label=_("Main date 2"), widget=DATE_INPUT, required=False)
    day3 = forms.DateField(label=_("Main date 3"), widget=DATE_INPUT, required=False)
    reserve = forms.DateField(label=_("Reserve date"), widget=DATE_INPUT)

    def days(self) -> list[dt.date]:
        return [d for d in (self.cleaned_data.get(f"day{i}") for i in (1, 2, 3)) if d]
