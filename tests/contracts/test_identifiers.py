"""ЕГН, ЛНЧ and ЕИК checks: refused numbers get a translated message naming the field."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from zdrave.contracts.forms import InsuredPersonForm
from zdrave.contracts.identifiers import (
    birth_date_from_egn,
    check_egn,
    check_eik,
    make_egn,
    sex_from_egn,
)
from zdrave.contracts.validation import check_identity

GOOD = make_egn(dt.date(1988, 6, 14), 11, female=True)
BAD_CHECKSUM = GOOD[:-1] + str((int(GOOD[-1]) + 1) % 10)


def test_egn_gives_birth_date_and_sex():
    # weights 2,4,8,5,10,9,7,3,6 over 880614023: 148 % 11 = 5
    assert GOOD == "8806140235"
    assert birth_date_from_egn(GOOD) == dt.date(1988, 6, 14)
    assert sex_from_egn(GOOD) == "female"
    boy = make_egn(dt.date(2016, 4, 12), 3, female=False)
    assert boy.startswith("1644120")  # 2000s births: month + 40
    assert birth_date_from_egn(boy) == dt.date(2016, 4, 12)
    assert sex_from_egn(boy) == "male"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "bg",
            "Единен граждански номер (ЕГН): контролната цифра (последната цифра) не съответства на останалите цифри.",
        ),
        (
            "en",
            "Personal number (ЕГН): the check digit (the last digit) does not match the other digits.",
        ),
    ],
)
def test_egn_with_a_bad_checksum_is_refused_naming_the_field(language, expected):
    with translation.override(language), pytest.raises(ValidationError) as info:
        check_egn(BAD_CHECKSUM)
    assert info.value.messages == [expected]


@pytest.mark.parametrize(
    ("number", "rule"),
    [
        ("88061402", "трябва да има точно 10 цифри"),
        ("88O6140231", "разрешени са само цифри"),
        ("8813140231", "първите шест цифри не са валидна дата на раждане"),
    ],
    ids=["too-short", "letter-o", "month-13"],
)
def test_egn_rules_are_named(number, rule):
    with translation.override("bg"), pytest.raises(ValidationError) as info:
        check_egn(number)
    assert info.value.messages[0].startswith("Единен граждански номер (ЕГН): ")
    assert rule in info.value.messages[0]


def test_form_puts_the_egn_error_on_the_id_number_field():
    with translation.override("bg"):
        form = InsuredPersonForm(
            {
                "first_name": "Мария",
                "last_name": "Петрова",
                "id_kind": "egn",
                "id_number": BAD_CHECKSUM,
            }
        )
        assert not form.is_valid()
    assert form.errors == {
        "id_number": [
            "Единен граждански номер (ЕГН): контролната цифра (последната цифра) не съответства на останалите цифри."
        ]
    }


def test_form_derives_birth_date_and_sex_from_a_valid_egn():
    form = InsuredPersonForm(
        {"first_name": "Мария", "last_name": "Петрова", "id_kind": "egn", "id_number": GOOD}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["birth_date"] == dt.date(1988, 6, 14)
    assert form.cleaned_data["sex"] == "female"


def test_entered_birth_date_must_agree_with_the_egn():
    with translation.override("en"), pytest.raises(ValidationError) as info:
        check_identity("egn", GOOD, dt.date(1988, 6, 15), "")
    assert info.value.message_dict == {"birth_date": ["Date of birth: the ЕГН says 14.06.1988."]}


def test_foreigner_with_a_passport_needs_birth_date_and_sex():
    with translation.override("en"), pytest.raises(ValidationError) as info:
        check_identity("passport", "X1234567", None, "")
    assert info.value.message_dict == {
        "birth_date": ["Date of birth: required for a person without an ЕГН."]
    }
    assert check_identity("passport", "x1234567", dt.date(1990, 1, 2), "male") == (
        "X1234567",
        dt.date(1990, 1, 2),
        "male",
    )


def test_lnch_checksum_is_checked():
    with translation.override("en"), pytest.raises(ValidationError) as info:
        check_identity("lnch", "1001000000", dt.date(1990, 1, 2), "male")
    assert info.value.message_dict == {
        "id_number": [
            "Foreigner's personal number (ЛНЧ): the check digit (the last digit) does not match the other digits."
        ]
    }
    assert check_identity("lnch", "1001000004", dt.date(1990, 1, 2), "male")[0] == "1001000004"


def test_company_eik_is_nine_digits_with_its_check_digit():
    assert check_eik("121000015") == "121000015"
    assert check_eik("BG 121000015") == "121000015"
    with translation.override("en"), pytest.raises(ValidationError) as info:
        check_eik("12345678")
    assert info.value.messages == ["Company number (ЕИК): it must have exactly 9 digits."]


def test_company_eik_with_a_wrong_check_digit_is_refused():
    with translation.override("bg"), pytest.raises(ValidationError) as info:
        check_eik("121000016")
    assert info.value.messages == [
        "ЕИК на фирмата: контролната цифра (последната цифра) не съответства на останалите цифри."
    ]


@pytest.mark.parametrize(
    ("birth", "message"),
    [
        pytest.param(
            "0001-01-01",
            "Дата на раждане: трябва да е между 01.01.1900 и 31.12.2100.",
            id="year-one",
        ),
        pytest.param(
            "9999-12-31",
            "Дата на раждане: трябва да е между 01.01.1900 и 31.12.2100.",
            id="year-9999",
        ),
        pytest.param(
            (dt.date.today() + dt.timedelta(days=2)).isoformat(),
            "Дата на раждане: не може да е в бъдещето.",
            id="tomorrow",
        ),
    ],
)
def test_underwriter_form_refuses_a_birth_date_outside_1900_to_today(birth, message):
    with translation.override("bg"):
        form = InsuredPersonForm(
            {
                "first_name": "Джон",
                "last_name": "Смит",
                "id_kind": "passport",
                "id_number": "X1234567",
                "birth_date": birth,
                "sex": "male",
            }
        )
        assert not form.is_valid()
        assert [str(m) for m in form.errors["birth_date"]] == [message]


def test_an_egn_of_a_person_not_yet_born_is_refused_whoever_calls():
    unborn = make_egn(dt.date.today() + dt.timedelta(days=400), 11, female=True)
    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            check_identity("egn", unborn, None, "")
        assert info.value.message_dict == {
            "birth_date": ["Date of birth: cannot be in the future."]
        }
