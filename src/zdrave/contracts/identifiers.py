"""Bulgarian identification numbers: ЕГН (personal number), ЛНЧ (foreigner's personal number)
and ЕИК / БУЛСТАТ (company). Each check returns the compact number or raises a translated
``ValidationError`` that names the field and the rule broken."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.bg import egn, pnf, vat
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import (
    ValidationError as StdnumError,
)

SEX_MALE = "male"
SEX_FEMALE = "female"


def _refuse(field_label, exc: StdnumError, length: int) -> ValidationError:
    # InvalidLength is a kind of InvalidFormat in stdnum: test the narrower one first.
    if isinstance(exc, InvalidLength):
        rule = _("it must have exactly %(length)d digits") % {"length": length}
    elif isinstance(exc, InvalidFormat):
        rule = _("only digits are allowed")
    elif isinstance(exc, InvalidComponent):
        rule = _("the first six digits are not a valid date of birth")
    elif isinstance(exc, InvalidChecksum):
        rule = _("the check digit (the last digit) does not match the other digits")
    else:
        rule = _("it is not a valid number")
    return ValidationError(
        _("%(field)s: %(rule)s.") % {"field": field_label, "rule": rule}, code="invalid"
    )


def check_egn(number: str) -> str:
    """ЕГН: 10 digits, a real date of birth, and the weighted check digit."""
    try:
        return egn.validate(number)
    except StdnumError as exc:
        raise _refuse(_("Personal number (ЕГН)"), exc, 10) from None


def check_lnch(number: str) -> str:
    """ЛНЧ: 10 digits with the check digit; it carries no date of birth."""
    try:
        return pnf.validate(number)
    except StdnumError as exc:
        raise _refuse(_("Foreigner's personal number (ЛНЧ)"), exc, 10) from None


def check_eik(number: str) -> str:
    """ЕИК / БУЛСТАТ of a company: the 9-digit number with its check digit."""
    compact = vat.compact(number)
    try:
        if len(compact) != 9:
            raise InvalidLength()
        return vat.validate(compact)
    except StdnumError as exc:
        raise _refuse(_("Company number (ЕИК)"), exc, 9) from None


def birth_date_from_egn(number: str) -> dt.date:
    return egn.get_birth_date(number)


def sex_from_egn(number: str) -> str:
    """The ninth digit is even for men and odd for women."""
    return SEX_MALE if int(egn.compact(number)[8]) % 2 == 0 else SEX_FEMALE


def make_egn(birth: dt.date, serial: int, *, female: bool) -> str:
    """A valid ЕГН for ``birth`` (demo data and tests): month +40 for 2000s births, +20 for the
    1800s; the 3-digit serial's last digit odd for women and even for men."""
    month = birth.month + (40 if birth.year >= 2000 else 20 if birth.year < 1900 else 0)
    serial = serial * 2 + (1 if female else 0)
    body = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial % 1000:03d}"
    return body + egn.calc_check_digit(body)
