"""Text analysis for the directory search: one key per word, the same for Bulgarian in Cyrillic,
Bulgarian typed in Latin letters and English, so that word forms, alphabets and common spelling
variants meet.

The pipeline for a word: lower case → Latin letters (the Streamlined System, with one change
explained at ``_MATCH_TABLE``) → spelling folds that do not touch endings → a light suffix
stripper for both languages → folds of the consonant spellings. Pure standard library.
"""

from __future__ import annotations

import re
import unicodedata

# Закон за транслитерацията (ДВ бр. 19/2009), the "Streamlined System".
_STREAMLINED = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}  # fmt: skip

# For matching only, ъ keeps a letter of its own: the official "a" would make "ръка" (hand)
# the same word as "рак" (cancer). Latin-typed "raka" still reaches "ръка" by one edit.
_MATCH_TABLE = {**_STREAMLINED, "ъ": "ă"}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_FINAL_IA = re.compile(r"ия\b")

# Words that carry no search meaning in a request for a doctor. "лекар" / "doctor" are not
# among them: the vocabulary needs them in names such as "детски лекар" and "eye doctor".
STOPWORDS = frozenset(
    """
    в във на и с със за от по при до към ме ми се съм сме е са имам има имат моя моят моето
    моите мой мои мен много не да или като как кой коя кое какво при след преди без също
    д р проф доц проблем проблеми
    a an the of in on at and or with for my i me have has had is am are be to from by very
    about dr prof mr problem problems
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Longest first. Bulgarian endings (as transliterated) and English ones; a stem keeps at
# least three letters, so short roots such as "рак" and "ухо" are never cut.
_SUFFIXES = sorted(
    """
    ovete iata ieto ostta ations ation ings ists ness ical ions
    ove ite ete eto oto ata ost ist ics ies ing ion iat ski ska sko ovi ova ovo eva ăt
    ta to te ia ie ni na no en ov ev ic al es
    a e i o u s
    """.split(),  # noqa: SIM905 - a suffix list reads better as text
    key=len,
    reverse=True,
)
_MIN_STEM = 3

_PRE_FOLDS = (("ae", "e"), ("oe", "e"), ("ph", "f"), ("th", "t"), ("y", "i"), ("w", "v"))
_POST_FOLDS = (
    ("sht", "št"), ("ch", "č"), ("sh", "š"), ("zh", "ž"), ("ts", "ç"), ("tz", "ç"),
    ("ck", "k"), ("x", "ks"), ("c", "k"),
)  # fmt: skip
_DOUBLES = re.compile(r"(.)\1+")


def transliterate(text: str) -> str:
    """Bulgarian Cyrillic → Latin by the Streamlined System (ДВ бр. 19/2009): "ия" at the end
    of a word is "ia"; capitals keep their case ("Щ" → "Sht"). Other characters pass through."""
    return re.sub(r"\w+", _transliterate_word, text)


def _transliterate_word(match: re.Match[str]) -> str:
    word = match.group()
    latin = "".join(_letter(char) for char in _FINAL_IA.sub("иa", word.lower()))
    if word.isupper() and len(word) > 1:
        return latin.upper()
    if word[:1].isupper():
        return latin[:1].upper() + latin[1:]
    return latin


def _letter(char: str) -> str:
    return _STREAMLINED.get(char, char)


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case, without digits and punctuation."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def stem(word: str) -> str:
    """Strip one inflectional or derivational ending; the remaining stem is at least three
    letters long. Works on the folded Latin form, so "кардиология", "kardiologia" and
    "cardiology" all end as "kardiolog"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def key(word: str) -> str:
    """The matching key of one lower-case word (see the module docstring)."""
    latin = "".join(_MATCH_TABLE.get(char, char) for char in _FINAL_IA.sub("иa", word))
    latin = unicodedata.normalize("NFC", latin)
    for old, new in _PRE_FOLDS:
        latin = latin.replace(old, new)
    latin = _DOUBLES.sub(r"\1", latin)
    stemmed = stem(latin)
    for old, new in _POST_FOLDS:
        stemmed = stemmed.replace(old, new)
    return stemmed


def keys(text: str) -> list[str]:
    """Matching keys of the meaningful words of ``text``, in order."""
    return [key(word) for word in words(text) if len(word) > 1 and word not in STOPWORDS]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment (Damerau–Levenshtein) distance between ``a`` and ``b``; any
    value above ``limit`` is reported as ``limit + 1`` so the caller can stop early."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def typo_allowance(word_key: str) -> int:
    """How many edits a key of this length may carry and still be recognised: none up to
    three letters ("рак", "ухо" are too short to guess), one up to six, two from seven."""
    if len(word_key) <= 3:
        return 0
    if len(word_key) <= 6:
        return 1
    return 2
