"""Bulgarian → Latin by the Закон за транслитерацията (ДВ бр.19/2009), for names on bank files.

The law's table (чл.4) maps each letter; the letter combinations дж, дз, ьо, йо it lists
(чл.5(1)) follow from the table letter by letter; „ия“ at the end of a word is „ia“ (чл.5(2));
the name of the country is „Bulgaria“ (чл.6). No maintained Python library implements exactly
this (docs/decisions.md, "Banking files and letters").
"""

from __future__ import annotations

import re
import unicodedata

# чл.4: lower-case letters; a capital takes the capitalised form ("Щ" → "Sht"), or the upper-case
# form inside a word written in capitals ("ЩЕРЕВ" → "SHTEREV").
_TABLE = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sht",
    "ъ": "a",
    "ь": "y",
    "ю": "yu",
    "я": "ya",
    # Accented forms used to tell homographs apart (ѝ "her" and и "and"): the same letters.
    "ѝ": "i",
    "ѐ": "e",
}

# A word: a run of letters (Cyrillic or Latin), so "ия" before a space, a digit, a hyphen or a
# full stop ends a word.
_WORD = re.compile(r"[^\W\d_]+")
# чл.6: the country's name keeps its traditional spelling, in every case form of the word.
_COUNTRY = {"българия": "bulgaria"}


def transliterate(text: str) -> str:
    """``text`` with every Bulgarian letter written in Latin letters by the law; everything else
    (Latin letters, digits, punctuation) is kept as it is."""
    return _WORD.sub(lambda match: _word(match.group()), text)


def _word(word: str) -> str:
    lower = word.lower()
    all_capitals = len(word) > 1 and word.isupper()
    if lower in _COUNTRY:
        return _cased(_COUNTRY[lower], word[0].isupper(), all_capitals)
    out = []
    for index, letter in enumerate(word):
        small = letter.lower()
        latin = _TABLE.get(small)
        if latin is None:
            out.append(letter)
            continue
        # чл.5(2): „ия“ at the end of a word is „ia“ (София → Sofia, Юлия → Yulia).
        if small == "я" and index == len(word) - 1 and index > 0 and word[index - 1].lower() == "и":
            latin = "a"
        out.append(_cased(latin, letter.isupper(), all_capitals))
    return "".join(out)


def _cased(latin: str, capital: bool, all_capitals: bool) -> str:
    if all_capitals:
        return latin.upper()
    return latin.capitalize() if capital else latin


# The Latin character set every SEPA bank accepts (EPC217-08, "SEPA Requirements for an
# Extended Character Set"): letters, digits and / - ? : ( ) . , ' + space.
_SEPA_ALLOWED = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
_SEPA_LOOKALIKES = str.maketrans(
    {
        "„": "'",
        "“": "'",
        "”": "'",
        "‘": "'",
        "’": "'",
        "«": "'",
        "»": "'",
        '"': "'",
        "`": "'",
        "–": "-",
        "—": "-",
        "_": "-",
        "&": "+",
        "№": "No",
        "\t": " ",
        "\n": " ",
        "\r": " ",
    }
)


def sepa_text(text: str, max_len: int) -> str:
    """``text`` transliterated, then reduced to the SEPA character set and cut to ``max_len``
    characters: accents are dropped (Müller → Muller), quotes and dashes become ' and -, any other
    character becomes a space, and runs of spaces shrink to one."""
    latin = transliterate(text).translate(_SEPA_LOOKALIKES)
    plain = "".join(c for c in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(c))
    cleaned = " ".join(_SEPA_ALLOWED.sub(" ", plain).split())
    return cleaned[:max_len].rstrip()
