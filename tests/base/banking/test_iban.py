"""IBAN and BIC checks (issue 10: "the IBAN to pay to (validated)"; 004 Чл.29 т.7 pays to the
insured person's own bank account, so a mistyped account must be caught where it is typed)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from zdrave.base.banking.fields import BicField, IbanField
from zdrave.base.banking.iban import (
    bic_for_iban,
    check_bic_matches_iban,
    format_iban,
    normalise_bic,
    normalise_iban,
)
from zdrave.base.ui.forms import LabelledErrorsForm

# The Bulgarian National Bank's published example IBAN, and a valid one at UBB (bank code UBBS).
BNB_EXAMPLE = "BG80BNBG96611020345678"
UBB = "BG60UBBS80020010123456"


@pytest.mark.parametrize(
    "typed",
    [
        "BG80BNBG96611020345678",
        "BG80 BNBG 9661 1020 3456 78",
        " bg80bnbg96611020345678 ",
        "BG80-BNBG-9661-1020-3456-78",
    ],
)
def test_a_bulgarian_iban_is_accepted_as_typed_and_kept_compact(typed):
    assert normalise_iban(typed) == BNB_EXAMPLE


@pytest.mark.parametrize(
    ("typed", "code", "words"),
    [
        ("BG81BNBG96611020345678", "bad_checksum", "check digits do not match"),
        ("BG80BNBG9661102034567", "wrong_length", "from BG has 22 characters; this one has 21"),
        ("BG80BNBG966110203456789", "wrong_length", "this one has 23"),
        ("BG8012349661102034567X", "wrong_format", "format used in BG"),
        ("XX80BNBG96611020345678", "unknown_country", "XX is not a country that issues IBANs"),
        ("1234567890", "not_an_iban", "this is not an IBAN"),
        ("BG80 BNBG 9661 1020 3456 7Щ", "not_an_iban", "this is not an IBAN"),
        ("", "not_an_iban", "this is not an IBAN"),
    ],
    ids=[
        "checksum",
        "too-short",
        "too-long",
        "bank-code-not-letters",
        "country",
        "digits",
        "cyrillic",
        "empty",
    ],
)
def test_a_wrong_iban_is_refused_naming_the_field_and_the_rule(typed, code, words):
    with pytest.raises(ValidationError) as refused:
        normalise_iban(typed, label="Claimant's IBAN")
    assert refused.value.code == code
    (message,) = refused.value.messages
    assert message.startswith("Claimant's IBAN: ")
    assert words in message


def test_the_refusal_is_in_bulgarian_for_a_bulgarian_page():
    with translation.override("bg"):
        with pytest.raises(ValidationError) as refused:
            normalise_iban("BG81BNBG96611020345678", label="IBAN")
        assert refused.value.messages == [
            "IBAN: контролните цифри не съответстват на номера на сметката; вероятно някой знак е "
            "сгрешен."
        ]


def test_an_account_outside_sepa_is_refused_only_when_paying_by_sepa():
    brazil = "BR1800360305000010009795493C1"
    assert normalise_iban(brazil) == brazil
    with pytest.raises(ValidationError) as refused:
        normalise_iban(brazil, sepa_only=True)
    assert refused.value.code == "outside_sepa"
    assert normalise_iban("CH9300762011623852957", sepa_only=True) == "CH9300762011623852957"


def test_the_bic_of_a_bulgarian_iban_comes_from_its_bank_code():
    assert bic_for_iban(UBB) == "UBBSBGSF"
    # schwifty's registry lists the commercial banks, not the central bank: no guess is made.
    assert bic_for_iban(BNB_EXAMPLE) is None


@pytest.mark.parametrize(
    ("typed", "expected"), [("UBBSBGSF", "UBBSBGSF"), ("ubbs bgsf xxx", "UBBSBGSFXXX")]
)
def test_a_bic_is_accepted_in_capitals(typed, expected):
    assert normalise_bic(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("UBBS", "bic_length"),
        ("UBBSBGSFX", "bic_length"),
        ("UBBSXXSF", "bic_country"),
        ("UB!SBGSF", "not_a_bic"),
    ],
)
def test_a_wrong_bic_is_refused(typed, code):
    with pytest.raises(ValidationError) as refused:
        normalise_bic(typed, label="BIC")
    assert refused.value.code == code
    assert refused.value.messages[0].startswith("BIC: ")


def test_a_bic_of_another_bank_than_the_bulgarian_iban_is_refused():
    check_bic_matches_iban(UBB, "UBBSBGSF")
    with pytest.raises(ValidationError) as refused:
        check_bic_matches_iban(UBB, "FINVBGSF")
    assert refused.value.code == "bic_mismatch"
    assert "bank code UBBS" in refused.value.messages[0]


def test_an_iban_prints_in_groups_of_four():
    assert format_iban(BNB_EXAMPLE) == "BG80 BNBG 9661 1020 3456 78"


class PayoutForm(LabelledErrorsForm):
    iban = IbanField()
    bic = BicField(required=False)


def test_the_form_field_cleans_the_iban_and_names_itself_in_the_error():
    form = PayoutForm(data={"iban": "bg80 bnbg 9661 1020 3456 78", "bic": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"iban": BNB_EXAMPLE, "bic": ""}

    with translation.override("bg"):
        form = PayoutForm(data={"iban": "BG80BNBG9661102034567", "bic": "UBBS"})
        assert not form.is_valid()
        assert form.errors["iban"] == ["IBAN: IBAN от BG има 22 знака, а този има 21."]
        assert form.errors["bic"] == ["BIC: BIC има 8 или 11 знака, а този има 4."]


def test_the_form_field_refuses_an_account_outside_sepa_by_default():
    form = PayoutForm(data={"iban": "BR1800360305000010009795493C1"})
    assert not form.is_valid()
    assert "cannot receive a SEPA transfer" in form.errors["iban"][0]
