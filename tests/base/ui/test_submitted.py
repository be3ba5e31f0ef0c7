"""``submitted``: the one shape of a page that writes (form → one action → redirect or the form
again with the refusal). Claims, consultations and second-opinion pages rely on this contract."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from zdrave.base.ui.forms import submitted


class NameForm(forms.Form):
    name = forms.CharField(label="Name", max_length=20)
    file = forms.CharField(label="File", required=False)


class Recorder:
    """An action that records its calls and answers with ``outcome`` (raised if an error)."""

    def __init__(self, outcome):
        self.outcome = outcome
        self.calls: list[dict] = []

    def __call__(self, data):
        self.calls.append(dict(data))
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def post(data):
    return RequestFactory().post("/", data)


def test_a_get_shows_the_form_and_runs_nothing():
    request = RequestFactory().get("/")
    action = Recorder("row")
    form = NameForm(request.POST or None)
    assert submitted(request, form, action) is None
    assert action.calls == []
    assert not form.is_bound


def test_an_invalid_post_runs_nothing_and_keeps_the_field_errors():
    request = post({"name": ""})
    action = Recorder("row")
    form = NameForm(request.POST or None)
    assert submitted(request, form, action) is None
    assert action.calls == []
    assert list(form.errors) == ["name"]
    assert form.has_error("name", code="required")


def test_a_valid_post_runs_the_action_once_with_the_cleaned_data():
    request = post({"name": "  Мария  "})
    action = Recorder("row")
    form = NameForm(request.POST)
    assert submitted(request, form, action) == "row"
    assert action.calls == [{"name": "Мария", "file": ""}]


def test_a_refusal_naming_a_field_is_shown_at_that_field_and_the_rest_above_the_form():
    refusal = ValidationError({"name": "Name: already taken.", "number": "Number: used."})
    form = NameForm(post({"name": "Мария"}).POST)
    assert submitted(post({"name": "Мария"}), form, Recorder(refusal)) is None
    assert form.errors == {"name": ["Name: already taken."], "__all__": ["Number: used."]}


def test_a_refusal_without_a_field_goes_above_the_form_or_to_the_field_named():
    refusal = ValidationError("The file is empty.", code="empty")
    above = NameForm(post({"name": "a"}).POST)
    assert submitted(post({"name": "a"}), above, Recorder(refusal)) is None
    assert above.non_field_errors() == ["The file is empty."]

    at_file = NameForm(post({"name": "a"}).POST)
    assert submitted(post({"name": "a"}), at_file, Recorder(refusal), field="file") is None
    assert at_file.errors == {"file": ["The file is empty."]}
    assert at_file.has_error("file", code="empty")


def test_an_action_that_returns_nothing_is_a_programming_error_not_a_silent_no():
    form = NameForm(post({"name": "a"}).POST)
    with pytest.raises(TypeError, match="returned None"):
        submitted(post({"name": "a"}), form, Recorder(None))
