"""IBAN and BIC checks with schwifty, each refusal a translated message naming the field and the
rule it broke."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN, exceptions

# What an IBAN looks like before any country rule: two letters, two check digits, then letters
# and digits (ISO 13616). Anything else is "not an IBAN", not a wrong one.
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")
_SEPARATORS = re.compile(r"[\s\-.]")
# A Bulgarian IBAN: BG, 2 check digits, the bank's 4-letter code (its BIC's first four letters),
# 4-digit branch, 2-digit account type, 8-character account.
BULGARIA = "BG"


def compact(value: str) -> str:
    """The IBAN or BIC as typed, without spaces, hyphens or dots, in capitals."""
    return _SEPARATORS.sub("", value or "").upper()


def normalise_iban(value: str, *, label: str = "", sepa_only: bool = False) -> str:
    """``value`` as a valid IBAN, compact and upper-case (``BG80BNBG96611020345678``).

    Raises ``ValidationError`` whose message names ``label`` and the rule: not an IBAN, a
    country without IBANs, the wrong length for the country, the wrong account format for the
    country, bad check digits, or (``sepa_only``) a country outside the SEPA zone."""
    field = label or _("IBAN")
    text = compact(value)
    if not _IBAN_SHAPE.fullmatch(text):
        raise ValidationError(
            _(
                "%(field)s: this is not an IBAN. An IBAN starts with a two-letter country code "
                "and two check digits, for example BG80 BNBG 9661 1020 3456 78."
            ),
            code="not_an_iban",
            params={"field": field},
        )
    iban = IBAN(text, allow_invalid=True)
    try:
        spec = iban.spec
    except exceptions.InvalidCountryCode:
        raise ValidationError(
            _("%(field)s: %(country)s is not a country that issues IBANs."),
            code="unknown_country",
            params={"field": field, "country": text[:2]},
        ) from None
    if len(text) != spec.iban_length:
        raise ValidationError(
            _(
                "%(field)s: an IBAN from %(country)s has %(expected)d characters; this one has "
                "%(actual)d."
            ),
            code="wrong_length",
            params={
                "field": field,
                "country": text[:2],
                "expected": spec.iban_length,
                "actual": len(text),
            },
        )
    try:
        iban.validate()
    except exceptions.InvalidChecksumDigits:
        raise ValidationError(
            _(
                "%(field)s: the check digits do not match the account number; a character is "
                "probably mistyped."
            ),
            code="bad_checksum",
            params={"field": field},
        ) from None
    except exceptions.SchwiftyException:
        raise ValidationError(
            _("%(field)s: the account number does not have the format used in %(country)s."),
            code="wrong_format",
            params={"field": field, "country": text[:2]},
        ) from None
    if sepa_only and not iban.in_sepa_zone:
        raise ValidationError(
            _(
                "%(field)s: accounts in %(country)s cannot receive a SEPA transfer in euro; give "
                "an account in the SEPA area."
            ),
            code="outside_sepa",
            params={"field": field, "country": text[:2]},
        )
    return str(iban.compact)


def normalise_bic(value: str, *, label: str = "") -> str:
    """``value`` as a valid BIC (8 or 11 characters, upper-case), or a ``ValidationError``
    naming ``label`` and the rule."""
    field = label or _("BIC")
    text = compact(value)
    if len(text) not in (8, 11):
        raise ValidationError(
            _("%(field)s: a BIC has 8 or 11 characters; this one has %(actual)d."),
            code="bic_length",
            params={"field": field, "actual": len(text)},
        )
    try:
        bic = BIC(text)
    except exceptions.InvalidCountryCode:
        raise ValidationError(
            _("%(field)s: %(country)s in the BIC is not a country code."),
            code="bic_country",
            params={"field": field, "country": text[4:6]},
        ) from None
    except exceptions.SchwiftyException:
        raise ValidationError(
            _(
                "%(field)s: this is not a BIC. A BIC has a 4-letter bank code, a 2-letter country "
                "code, 2 characters of location and optionally 3 of branch, e.g. UBBSBGSF."
            ),
            code="not_a_bic",
            params={"field": field},
        ) from None
    return str(bic)


def bic_for_iban(iban: str) -> str | None:
    """The BIC of the bank that keeps ``iban`` (a normalised IBAN), when schwifty's bank registry
    knows it (it lists the Bulgarian banks by their 4-letter code), else None."""
    bic = IBAN(iban, allow_invalid=True).bic
    return str(bic) if bic is not None else None


def check_bic_matches_iban(iban: str, bic: str, *, label: str = "") -> None:
    """In Bulgaria the IBAN carries the bank's code, the first four letters of its BIC: a BIC of
    another bank is a typing mistake that would send the money astray."""
    if iban[:2] == BULGARIA and bic[:4] != iban[4:8]:
        raise ValidationError(
            _("%(field)s: %(bic)s is not the BIC of the bank of this IBAN (bank code %(bank)s)."),
            code="bic_mismatch",
            params={"field": label or _("BIC"), "bic": bic, "bank": iban[4:8]},
        )


def format_iban(iban: str) -> str:
    """The IBAN in groups of four, as printed on letters and pages."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
