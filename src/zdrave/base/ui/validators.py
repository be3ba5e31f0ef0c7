"""Dates people type: one accepted range for every form, the API and the CLI
(``zdrave.engine.dates``), with a translated message that names the field and the rule."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from zdrave.engine import dates


def check_date_in_range(value: dt.date | None, label: str) -> None:
    """Raise a ValidationError naming ``label`` when ``value`` lies outside 1900–2100."""
    if value is not None and not dates.in_range(value):
        raise ValidationError(
            _("%(field)s: must be between %(earliest)s and %(latest)s."),
            code="out_of_range",
            params={
                "field": label,
                "earliest": date_format(dates.EARLIEST, "SHORT_DATE_FORMAT"),
                "latest": date_format(dates.LATEST, "SHORT_DATE_FORMAT"),
            },
        )


def check_birth_date(value: dt.date | None, label: str) -> None:
    """A birth date lies in the accepted range and not after today (Sofia)."""
    check_date_in_range(value, label)
    if value is not None and value > timezone.localdate():
        raise ValidationError(
            _("%(field)s: cannot be in the future."),
            code="future",
            params={"field": label},
        )


class DateField(forms.DateField):
    """``forms.DateField`` limited to the platform's date range."""

    def validate(self, value):
        super().validate(value)
        check_date_in_range(value, str(self.label))


class DateTimeField(forms.DateTimeField):
    """``forms.DateTimeField`` limited to the platform's date range."""

    def validate(self, value):
        super().validate(value)
        check_date_in_range(value, str(self.label))


class BirthDateField(forms.DateField):
    def validate(self, value):
        super().validate(value)
        check_birth_date(value, str(self.label))


def parse_date_parameter(value: str) -> dt.date | None:
    """A date from a query string (``?week=2026-03-02``), or None when it is not a date in the
    accepted range: callers fall back to their default instead of failing."""
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day if dates.in_range(day) else None
