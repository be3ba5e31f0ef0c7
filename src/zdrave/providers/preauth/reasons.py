"""The reasons a medical expert gives for refusing or partly approving a request, each with the
clause it rests on (004)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

REFUSAL_REASONS = {
    "not_covered": (
        _("The service is outside the cover agreed in the contract"),
        "004 Чл.29 т.4",
    ),
    "excluded": (_("An exclusion of the general terms applies"), "004 Чл.21(1)"),
    "waiting_period": (_("A waiting period still runs"), "004 Чл.19; Чл.20"),
    "limit": (_("The limit left is smaller than the estimate"), "004 Чл.26 т.1"),
    "not_necessary": (
        _("The medical need is not shown by the documents"),
        "004 Чл.29 т.5",
    ),
    "outside_term": (
        _("The planned date is outside the contract's term"),
        "004 Чл.24 т.3; Чл.29 т.5",
    ),
    "not_in_agreement": (
        _("The institution has no agreement for this package"),
        "004 Чл.29 т.11",
    ),
}


def clause_of(code: str) -> str:
    return REFUSAL_REASONS[code][1] if code in REFUSAL_REASONS else ""


def reason_label(code: str) -> str:
    if code not in REFUSAL_REASONS:
        return ""
    label, clause = REFUSAL_REASONS[code]
    return f"{label} ({clause})"


def reason_choices() -> list[tuple[str, str]]:
    return [(code, reason_label(code)) for code in REFUSAL_REASONS]
