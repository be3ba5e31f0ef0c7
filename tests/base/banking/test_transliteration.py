"""Закон за транслитерацията (ДВ бр.19/2009): чл.4 table, чл.5 letter combinations and „ия“ at
the end of a word, чл.6 the country's name. Creditor names on SEPA files are written this way
(issue 10: "transliterated by the official Bulgarian transliteration rules, not by dropping
letters")."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zdrave.base.banking.transliteration import sepa_text, transliterate

# чл.4, the whole table: lower case and the capital as it begins a word.
LAW_TABLE = [
    ("а", "a"), ("б", "b"), ("в", "v"), ("г", "g"), ("д", "d"), ("е", "e"), ("ж", "zh"),
    ("з", "z"), ("и", "i"), ("й", "y"), ("к", "k"), ("л", "l"), ("м", "m"), ("н", "n"),
    ("о", "o"), ("п", "p"), ("р", "r"), ("с", "s"), ("т", "t"), ("у", "u"), ("ф", "f"),
    ("х", "h"), ("ц", "ts"), ("ч", "ch"), ("ш", "sh"), ("щ", "sht"), ("ъ", "a"), ("ь", "y"),
    ("ю", "yu"), ("я", "ya"),
]  # fmt: skip


@pytest.mark.parametrize(("cyrillic", "latin"), LAW_TABLE, ids=[c for c, _ in LAW_TABLE])
def test_zakon_za_transliteratsiyata_chl4_table(cyrillic, latin):
    assert transliterate(cyrillic) == latin
    # A capital followed by small letters: only the first Latin letter is a capital.
    assert transliterate(cyrillic.upper() + "а") == latin.capitalize() + "a"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Щерев", "Shterev"),
        ("ЖИВКО", "ZHIVKO"),
        ("София", "Sofia"),
        ("Юлия", "Yulia"),
        # чл.5(1): дж, дз, ьо, йо follow from the table letter by letter.
        ("Добруджа", "Dobrudzha"),
        ("дзвер", "dzver"),
        ("синьо", "sinyo"),
        ("Йордан", "Yordan"),
        # чл.5(2): only at the end of a word.
        ("Мария", "Maria"),
        ("Мизия", "Mizia"),
        ("Сияна", "Siyana"),
        ("Мария-Магдалена", "Maria-Magdalena"),
        ("ЮЛИЯ", "YULIA"),
        # чл.6: the country keeps its traditional name.
        ("България", "Bulgaria"),
        # Names mixing scripts, initials and digits keep what is not Cyrillic.
        ("Ж. Щ. Петрова-Smith", "Zh. Sht. Petrova-Smith"),
        ("ул. „Шипка“ 6", "ul. „Shipka“ 6"),
    ],
    ids=lambda value: value,
)
def test_the_laws_examples_and_rules(cyrillic, latin):
    assert transliterate(cyrillic) == latin


SEPA_SET = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]*")


def test_sepa_text_keeps_the_sepa_character_set_and_cuts_to_length():
    name = "„Животозастрахователен институт“ АД & Ко — №5, Müller; <x>"
    assert sepa_text(name, 140) == "'Zhivotozastrahovatelen institut' AD + Ko - No5, Muller x"
    assert sepa_text(name, 20) == "'Zhivotozastrahovate"
    assert sepa_text("Щерев", 3) == "Sht"


@given(st.text(), st.integers(min_value=1, max_value=140))
def test_sepa_text_never_leaves_the_set_or_the_length(text, max_len):
    result = sepa_text(text, max_len)
    assert len(result) <= max_len
    assert SEPA_SET.fullmatch(result)
    assert result == result.strip()
