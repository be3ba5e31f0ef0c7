"""Form base classes and the submit helper every page that writes shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.http import HttpRequest

T = TypeVar("T")


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


def add_action_errors(
    form: forms.Form, error: ValidationError, *, field: str | None = None
) -> None:
    """Show an action's ``ValidationError`` on ``form``: each field's messages at that field when
    the form has it, the rest above the form, or at ``field`` when given (an upload's refusal
    belongs to its file field)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else field, errors)
    else:
        form.add_error(field, error)


def submitted(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], T | None],
    *,
    field: str | None = None,
) -> T | None:
    """The one shape of a page that writes: run ``action`` for a valid POST of ``form``.

    ``action`` gets ``form.cleaned_data`` and calls one function of the app's ``actions``,
    returning what that wrote (the row). It runs only when the request is a POST and the form is
    valid; on a GET, or when the form has errors, ``submitted`` returns None and the page
    renders the form (with its errors). An action that refuses with a ``ValidationError`` has
    its messages put on the form by ``add_action_errors`` (a field's at that field, the rest
    above the form, or at ``field``), and ``submitted`` returns None too, so the page renders
    the same form with the refusal. Anything else (``PermissionDenied``, ``Http404``) goes up
    to Django as it would from the view.

    So a view reads (the form is bound with ``request.POST or None``, so a GET shows it
    empty)::

        form = ClaimForm(request.POST or None)
        if claim := submitted(
            request, form, lambda data: actions.submit_claim(actor=request.user, **data)
        ):
            messages.success(request, _("Your claim is sent."))
            return redirect("claims:detail", pk=claim.pk)  # POST/redirect/GET
        return render(request, "claims/new.html", {"form": form})

    The action must return something on success (every action returns the row it wrote): a
    None would read as "not done", so it raises ``TypeError`` instead of leaving the page
    silently unchanged.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        add_action_errors(form, error, field=field)
        return None
    if result is None:
        raise TypeError(f"{action!r} returned None; an action run by submitted() returns its row")
    return result
