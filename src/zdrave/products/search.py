"""Service search in both languages and both alphabets, as a pure function.

Every text is normalised the same way: lower case, Cyrillic written in Latin letters (the
Bulgarian official transliteration, so "зъб" and "zab" meet), split into words, and each word cut
to a light stem (Bulgarian and English endings) so "очилата", "очила" and "ochila" meet. A query
word matches a stored word that starts with the query word's stem, so "физиотерапия" finds
"физиотерапия, рехабилитация" and "glass" finds "glasses".

No stemming library covers Bulgarian (Snowball has none); a light suffix stripper is enough for
the short service names of 002, and its misses are covered by the keywords in the product files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache

# Закон за транслитерацията (2009), the system on Bulgarian passports and road signs.
# fmt: off
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht",
    "ъ": "a", "ь": "y", "ю": "yu", "я": "ya", "ѝ": "i", "ё": "yo", "ы": "y", "э": "e",
}

# Endings stripped from a transliterated word, longest first: Bulgarian articles, plurals and
# adjective endings; English plurals and -ing. A stem keeps at least three letters.
_SUFFIXES = sorted([
    # Bulgarian
    "iyata", "iyat", "ovete", "ite", "ata", "ota", "oto", "ove", "eve", "ishta", "iya", "ii",
    "at", "yat", "ta", "to", "te", "en", "na", "no", "ni", "ski", "ska", "sko",
    "a", "ya", "o", "e", "i", "u",
    # English
    "ies", "es", "s", "ing", "y",
], key=len, reverse=True)

_STOPWORDS = frozenset([
    "i", "na", "za", "ot", "s", "v", "vav", "po", "do", "pri", "ili", "bez",
    "and", "or", "of", "the", "for", "with", "by", "a", "an", "in", "to", "on", "at",
])
# fmt: on
_MIN_STEM = 3
# A shorter query word must match a whole word or stem: "zab" (зъб) is not "zabolyavane".
_MIN_PREFIX = 4
_WORD = re.compile(r"[a-z0-9]+")


def transliterate(text: str) -> str:
    text = unicodedata.normalize("NFC", text.lower())
    return "".join(_TRANSLIT.get(ch, ch) for ch in text)


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """The normalised words of ``text``, stop words left out."""
    folded = unicodedata.normalize("NFKD", transliterate(text))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [w for w in _WORD.findall(folded) if w not in _STOPWORDS]


def index_text(name_bg: str, name_en: str, parent: str = "", keywords: Iterable[str] = ()) -> str:
    """What a ``ServiceEntry`` stores in ``search_text``: four lines of normalised words (names
    in Bulgarian and English, the group's names, the keywords)."""
    lines = [name_bg, name_en, parent, " ".join(keywords)]
    return "\n".join(" ".join(words(line)) for line in lines)


@dataclass(frozen=True)
class Searchable:
    key: Hashable  # handed back in the hit: a ServiceEntry id, a (product, code) pair …
    search_text: str  # from index_text
    order: tuple[int | str, ...] = ()  # tie-break: table order; order[0] names the product
    code: str = ""  # the service code ("2.12"), to rank a group above its own rows


@dataclass(frozen=True)
class Hit:
    key: Hashable
    score: int


@dataclass(frozen=True)
class _Field:
    words: frozenset[str]
    stems: frozenset[str]
    phrase: str


@lru_cache(maxsize=8192)
def _fields(search_text: str) -> tuple[_Field, _Field, _Field, _Field]:
    """The four lines of a search text, split and stemmed once (search_text is the cache key,
    so a reloaded row with the same names reuses it)."""
    lines = (search_text.split("\n") + ["", "", "", ""])[:4]
    out = []
    for line in lines:
        found = line.split()
        out.append(_Field(frozenset(found), frozenset(stem(w) for w in found), " ".join(found)))
    return tuple(out)  # type: ignore[return-value]


# How much a query word found in each field counts: the service's own name first, then the
# keywords, then the group's name (which every sibling row shares).
_NAME, _KEYWORD, _PARENT = 10, 6, 2


def _word_score(query_word: str, root: str, field: _Field) -> int:
    """3 for the very word, 2 for the same stem, 1 for a word it starts (prefix), 0 for none."""
    if query_word in field.words:
        return 3
    if root in field.stems:
        return 2
    if len(root) >= _MIN_PREFIX and any(w.startswith(root) for w in field.words):
        return 1
    return 0


def _score(query: list[tuple[str, str]], phrase: str, item: Searchable) -> int:
    name_bg, name_en, parent, keywords = _fields(item.search_text)
    total = 0
    for word, root in query:
        best = max(
            _NAME * _word_score(word, root, name_bg),
            _NAME * _word_score(word, root, name_en),
            _KEYWORD * _word_score(word, root, keywords),
            _PARENT * _word_score(word, root, parent),
        )
        if best == 0:
            return 0  # every word of the query must be found somewhere
        total += best
    if phrase in (name_bg.phrase, name_en.phrase):
        total += 1000  # the query is the service's whole name
    elif name_bg.phrase.startswith(phrase) or name_en.phrase.startswith(phrase):
        total += 100
    return total


def search(items: Iterable[Searchable], query: str, limit: int = 50) -> list[Hit]:
    """Items matching every word of ``query``, best first; on a tie the shorter name (the more
    specific service), then table order."""
    query_words = words(query)
    if not query_words:
        return []
    phrase = " ".join(query_words)
    pairs = [(w, stem(w)) for w in query_words]
    scored = [(_score(pairs, phrase, item), item) for item in items]
    found = _with_group_bonus([pair for pair in scored if pair[0] > 0])
    ranked = sorted(found, key=_rank)
    return [Hit(item.key, score) for score, item in ranked[:limit]]


def _rank(pair: tuple[int, Searchable]) -> tuple[int, int, tuple[int | str, ...]]:
    score, item = pair
    name_bg, name_en, _, _ = _fields(item.search_text)
    length = min(len(name_bg.words) or 99, len(name_en.words) or 99)
    return (-score, length, item.order)


_GROUP_BONUS, _GROUP_BONUS_MAX = 5, 50


def _with_group_bonus(found: list[tuple[int, Searchable]]) -> list[tuple[int, Searchable]]:
    """A service whose own rows match too is what the query is about: "бременност" finds item
    2.12 (pregnancy monitoring) and its twenty rows, and 2.12 should lead them."""
    codes = [(item.order[:1], item.code) for _, item in found if item.code]
    out = []
    for score, item in found:
        prefix = (item.order[:1], item.code + ".")
        rows = sum(1 for product, code in codes if (product, code[: len(prefix[1])]) == prefix)
        out.append(
            (score + min(_GROUP_BONUS * rows, _GROUP_BONUS_MAX) if item.code else score, item)
        )
    return out
