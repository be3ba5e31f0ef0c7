"""Form base classes the journeys share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList


class LabelledErrorsForm(forms.Form):
    """Prefixes each field error with the field's label ("Имейл: …"), so it still makes sense
    in the summary at the top of the page. Labels carry no trailing colon: the error messages
    add their own."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def full_clean(self):
        super().full_clean()
        for name, errors in list(getattr(self, "_errors", {}).items()):
            if name not in self.fields:
                continue
            label = str(self.fields[name].label)
            self._errors[name] = ErrorList(
                [m if str(m).startswith(label) else f"{label}: {m}" for m in errors],
                error_class="errorlist",
            )


def add_action_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ``ValidationError`` on ``form``: each field's messages at that field when
    the form has it, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
