"""Checks of what a member or an adjuster types on a claim, with messages that name the field
and the rule."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zdrave.base.banking.iban import compact, normalise_iban
from zdrave.engine.terms.common import is_icd10_code


def clean_icd10(value: str) -> str:
    """An ICD-10 (WHO 2019) code such as ``M54.5``: the form the engine matches exclusions and
    waiting periods against (004 Чл.20, Чл.21)."""
    code = value.strip().upper().replace(" ", "")
    if not code:
        return ""
    if not is_icd10_code(code) or "-" in code:
        raise ValidationError(
            _("Diagnosis code: “%(code)s” is not an ICD-10 code (such as M54.5).") % {"code": code}
        )
    return code


def clean_iban(value: str) -> str:
    """The account to pay to, compact and upper-case (004 Чл.29 т.7: the personal account named
    in the claim), checked by ``base.banking.iban`` (schwifty: the country's length and format,
    the check digits) and in the SEPA area, since claims are paid by SEPA credit transfer."""
    if not compact(value or ""):
        raise ValidationError(_("IBAN: enter the account to pay to."))
    return normalise_iban(value[:60], sepa_only=True)
