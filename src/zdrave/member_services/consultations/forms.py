"""Forms of the consultation journey. They parse input; rules live in the actions. Every error
names its field ("Имейл: …"), so it still makes sense in the summary at the top of the page.
Times are entered and shown in Europe/Sofia (the platform's TIME_ZONE)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.base.ui.validators import DateTimeField
from zdrave.member_services import journey
from zdrave.member_services.consultations.models import Channel, Consultation

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_THEME = 2000


def _in_future(value) -> None:
    if value <= timezone.now():
        raise ValidationError(_("must be in the future (Sofia time)."), code="past")


def _when(label, *, required: bool = False) -> DateTimeField:
    """A date and time the member or the team asks for: in the platform's range and ahead."""
    return DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        validators=[_in_future],
    )


class JourneyForm(LabelledErrorsForm):
    def _times(self, prefix: str, count: int) -> list:
        """The times filled in of the fields ``<prefix>_1`` … ``<prefix>_<count>``, in order."""
        found = (self.cleaned_data.get(f"{prefix}_{i}") for i in range(1, count + 1))
        return [t for t in found if t]


class BookingForm(JourneyForm):
    """000 б) стъпка 4: "имейл адреса си, темата на сесията и предпочитания час"; 000 б)
    стъпка 6: video link or phone."""

    email = forms.EmailField(label=_("E-mail"), max_length=254)
    theme = forms.CharField(
        label=_("Theme of the session"),
        max_length=MAX_THEME,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What you would like to talk about. Only the partner team and your therapist see it."
        ),
    )
    preferred_1 = _when(_("Preferred time"), required=True)
    preferred_2 = _when(_("Another preferred time"))
    preferred_3 = _when(_("A third preferred time"))
    preferred_note = forms.CharField(
        label=_("Other times that suit you"),
        required=False,
        max_length=journey.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    channel = forms.ChoiceField(
        label=_("How would you like to meet?"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
    )

    def preferred_times(self):
        return self._times("preferred", 3)


class ProposeForm(JourneyForm):
    """000 б) стъпка 5: the partner team's proposed dates (and, for a phone session, the
    therapist's number the member will call)."""

    slot_1 = _when(_("Proposed date 1"), required=True)
    slot_2 = _when(_("Proposed date 2"))
    slot_3 = _when(_("Proposed date 3"))
    slot_4 = _when(_("Proposed date 4"))
    slot_5 = _when(_("Proposed date 5"))
    phone = forms.CharField(label=_("Therapist's phone"), max_length=32, required=False)

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        if consultation.channel == Channel.PHONE:
            self.fields["phone"].required = True
            self.fields["phone"].initial = consultation.phone
        else:
            del self.fields["phone"]

    def starts(self):
        return self._times("slot", 5)


class ChooseForm(JourneyForm):
    slot = forms.ModelChoiceField(
        label=_("Date"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = consultation.current_slots()
        self.fields["slot"].label_from_instance = _slot_label


class NoteForm(JourneyForm):
    note = forms.CharField(
        label=_("Note for the team"),
        required=False,
        max_length=journey.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _slot_label(slot) -> str:
    return date_format(timezone.localtime(slot.starts_at), "l, j F Y, H:i")
