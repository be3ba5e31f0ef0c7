"""Form fields for bank details."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zdrave.base.banking.iban import normalise_bic, normalise_iban


class IbanField(forms.CharField):
    """An IBAN typed with or without spaces; cleans to the compact, upper-case form. Payouts go
    by SEPA credit transfer, so by default an account outside the SEPA area is refused."""

    def __init__(self, *, sepa_only: bool = True, **kwargs):
        self.sepa_only = sepa_only
        kwargs.setdefault("label", _("IBAN"))
        # 34 characters at most (ISO 13616) plus the spaces of the printed form.
        kwargs.setdefault("max_length", 42)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return normalise_iban(value, label=str(self.label), sepa_only=self.sepa_only)


class BicField(forms.CharField):
    """A BIC (SWIFT code), 8 or 11 characters; cleans to upper case."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("BIC"))
        kwargs.setdefault("max_length", 14)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return normalise_bic(value, label=str(self.label))
