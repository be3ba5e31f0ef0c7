"""Keyword search over the specialist and therapist directory.

Extra Care, 000 стъпка 3: the member finds "the right specialist" by keywords — specialty, body
part, disease, symptoms. Pure Python over in-memory entries (no Django), so it is fast, cached
by the views and testable without a database.

Ranking, in tiers (the score is ``100·direct + 10·mapping + profile``, each part in 0…1):

1. **direct** — the query names one of the specialist's specialties ("кардиолог",
   "cardiology"), exactly or with a typo (a typo costs a little);
2. **mapping** — the curated vocabulary maps the query's body parts, diseases and symptoms to
   specialties with weights ("болки в гърба" → orthopaedics 1.0, neurology 0.8); several
   mappings combine as independent evidence (1 − Π(1 − w));
3. **profile** — the query's words in the specialist's own name, conditions treated, biography,
   institution and city; the whole query as a phrase in the conditions counts extra.

Ties go to the longer experience, then to the name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from zdrave.member_services.specialists.analysis import edit_distance, keys, typo_allowance

EXACT, ONE_EDIT, TWO_EDITS, PREFIX = 1.0, 0.85, 0.7, 0.75
# A phrase whose words are all there, but apart or out of order, is slightly weaker evidence.
SCATTERED_PHRASE = 0.9
PROFILE_FIELD_WEIGHTS = {"name": 1.0, "conditions": 0.6, "text": 0.3}
CONDITIONS_PHRASE_BONUS = 0.5
_RESOLVED_CACHE_SIZE = 20_000


@dataclass(frozen=True)
class SpecialtyRef:
    code: str
    name_bg: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_bg


@dataclass(frozen=True)
class SpecialistEntry:
    """What the search needs to know about one specialist or therapist."""

    id: int
    kind: str
    name_bg: str
    name_en: str
    specialties: tuple[SpecialtyRef, ...]
    experience_years: int
    conditions: str = ""  # both languages, as one text
    text: str = ""  # biography, institution, city, country in both languages

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_bg

    @property
    def specialty_codes(self) -> tuple[str, ...]:
        return tuple(specialty.code for specialty in self.specialties)


@dataclass(frozen=True)
class Phrase:
    """A vocabulary phrase ("болки в гърба") and the specialties it points to, with weights."""

    text: str
    targets: tuple[tuple[str, float], ...]
    direct: bool  # a name of the specialty itself, not a symptom or body part


@dataclass(frozen=True)
class Vocabulary:
    specialties: Mapping[str, SpecialtyRef]
    phrases: tuple[Phrase, ...]

    @classmethod
    def from_data(cls, data: Mapping) -> Vocabulary:
        """Build from the parsed ``data/vocabulary.yaml`` (see its header for the format)."""
        specialties: dict[str, SpecialtyRef] = {}
        phrases: list[Phrase] = []
        for item in data["specialties"]:
            code = item["code"]
            specialties[code] = SpecialtyRef(code, item["name_bg"], item["name_en"])
            names = [item["name_bg"], item["name_en"], *item.get("bg", []), *item.get("en", [])]
            phrases.extend(Phrase(name, ((code, 1.0),), direct=True) for name in names)
        for group in data["terms"]:
            targets = tuple((code, float(weight)) for code, weight in group["maps"].items())
            unknown = [code for code, _ in targets if code not in specialties]
            if unknown:
                raise ValueError(f"vocabulary terms {group.get('bg')}: unknown specialty {unknown}")
            phrases.extend(
                Phrase(text, targets, direct=False)
                for text in [*group.get("bg", []), *group.get("en", [])]
            )
        return cls(specialties, tuple(phrases))

    def with_specialties(self, refs: Iterable[SpecialtyRef]) -> Vocabulary:
        """This vocabulary plus specialties added outside it (in the admin): their names become
        direct phrases; the names of known specialties follow the given refs."""
        specialties = dict(self.specialties)
        phrases = list(self.phrases)
        for ref in refs:
            if ref.code not in specialties:
                phrases.extend(
                    Phrase(name, ((ref.code, 1.0),), direct=True)
                    for name in (ref.name_bg, ref.name_en)
                )
            specialties[ref.code] = ref
        return Vocabulary(specialties, tuple(phrases))


@dataclass(frozen=True)
class SearchResult:
    entry: SpecialistEntry
    score: float
    direct: float
    mapping: float
    profile: float
    matched_specialties: tuple[str, ...] = field(default=())


@dataclass
class _QueryEvidence:
    direct: dict[str, float] = field(default_factory=dict)
    # Query words that named a specialty: already counted in the direct tier, so a profile
    # that repeats its own specialty name gains nothing more from them.
    naming_positions: set[int] = field(default_factory=set)
    mapping: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


class SearchIndex:
    """The directory prepared for search. Build once per directory version. ``search`` may be
    called from several threads: its only state is a cache of resolved words, where a lost
    update costs a recomputation and nothing else."""

    def __init__(self, entries: Iterable[SpecialistEntry], vocabulary: Vocabulary) -> None:
        self.entries = tuple(entries)
        self.vocabulary = vocabulary
        self._phrases = [(phrase, tuple(keys(phrase.text))) for phrase in vocabulary.phrases]
        self._phrases = [
            (phrase, phrase_keys) for phrase, phrase_keys in self._phrases if phrase_keys
        ]
        self._phrases_by_key: dict[str, list[int]] = defaultdict(list)
        for number, (_, phrase_keys) in enumerate(self._phrases):
            for phrase_key in set(phrase_keys):
                self._phrases_by_key[phrase_key].append(number)
        self._profiles = {entry.id: _profile_keys(entry) for entry in self.entries}
        self._conditions_sequences = {entry.id: keys(entry.conditions) for entry in self.entries}
        known = set(self._phrases_by_key)
        for profile in self._profiles.values():
            known.update(profile)
        self._known = frozenset(known)
        self._resolved: dict[str, dict[str, float]] = {}

    def search(
        self, query: str, *, kind: str | None = None, limit: int | None = None
    ) -> list[SearchResult]:
        """Specialists for ``query``, best first; all of them (by experience) for an empty
        query, none when no word of the query means anything to the directory."""
        candidates = [entry for entry in self.entries if kind is None or entry.kind == kind]
        query_keys = keys(query)
        if not query_keys:
            results = [SearchResult(entry, 0.0, 0.0, 0.0, 0.0) for entry in candidates]
        else:
            resolved = [self.resolve(query_key) for query_key in query_keys]
            evidence = self._vocabulary_evidence(resolved)
            results = [self._score(entry, query_keys, resolved, evidence) for entry in candidates]
            results = [result for result in results if result.score > 0]
        results.sort(key=lambda r: (-r.score, -r.entry.experience_years, r.entry.name_bg))
        return results[:limit] if limit is not None else results

    def resolve(self, query_key: str) -> dict[str, float]:
        """Index keys that a query key stands for, with the match quality. A key the index
        knows is taken as typed; only unknown keys are treated as typos or as the start of a
        word still being typed (live search)."""
        cached = self._resolved.get(query_key)
        if cached is not None:
            return cached
        known = query_key in self._known
        matches = {query_key: EXACT} if known else self._near_matches(query_key)
        if len(self._resolved) >= _RESOLVED_CACHE_SIZE:
            self._resolved.clear()  # typed-in queries are unbounded; keep memory bounded
        self._resolved[query_key] = matches
        return matches

    def _near_matches(self, query_key: str) -> dict[str, float]:
        allowance = typo_allowance(query_key)
        matches: dict[str, float] = {}
        for known in self._known:
            if len(query_key) >= 4 and known.startswith(query_key):
                matches[known] = PREFIX
            if allowance and abs(len(known) - len(query_key)) <= allowance:
                distance = edit_distance(query_key, known, allowance)
                if distance <= allowance:
                    quality = ONE_EDIT if distance == 1 else TWO_EDITS
                    matches[known] = max(matches.get(known, 0.0), quality)
        return matches

    def _vocabulary_evidence(self, resolved: Sequence[dict[str, float]]) -> _QueryEvidence:
        evidence = _QueryEvidence()
        # Synonyms matched by the same query words ("сърце", "сърца") are one piece of
        # evidence, not two: keep the strongest per specialty and span of words.
        strongest: dict[tuple[str, frozenset[int]], float] = {}
        for phrase, quality, positions in self._matched_phrases(resolved):
            if phrase.direct:
                evidence.naming_positions.update(positions)
            for code, weight in phrase.targets:
                if phrase.direct:
                    evidence.direct[code] = max(evidence.direct.get(code, 0.0), quality)
                else:
                    span = (code, positions)
                    strongest[span] = max(strongest.get(span, 0.0), weight * quality)
        for (code, _), weight in strongest.items():
            evidence.mapping[code].append(weight)
        return evidence

    def _matched_phrases(
        self, resolved: Sequence[dict[str, float]]
    ) -> list[tuple[Phrase, float, frozenset[int]]]:
        """Vocabulary phrases the query contains. The longest match wins: "дискова херния"
        (a spine problem) hides "херния" (a surgeon's hernia) under the same query words."""
        numbers = {
            n for matches in resolved for k in matches for n in self._phrases_by_key.get(k, ())
        }
        found = []
        for number in sorted(numbers):
            phrase, phrase_keys = self._phrases[number]
            quality, positions = _phrase_match(phrase_keys, resolved)
            if quality:
                found.append((phrase, quality, frozenset(positions)))
        spans = {positions for _, _, positions in found}
        return [item for item in found if not any(item[2] < span for span in spans)]

    def _score(
        self,
        entry: SpecialistEntry,
        query_keys: Sequence[str],
        resolved: Sequence[dict[str, float]],
        evidence: _QueryEvidence,
    ) -> SearchResult:
        codes = entry.specialty_codes
        direct = max((evidence.direct.get(code, 0.0) for code in codes), default=0.0)
        mapping = _any_of(w for code in codes for w in evidence.mapping.get(code, ()))
        profile = self._profile_score(entry, query_keys, resolved, evidence.naming_positions)
        matched = tuple(
            code for code in codes if code in evidence.direct or evidence.mapping.get(code)
        )
        score = round(100 * direct + 10 * mapping + profile, 2)
        return SearchResult(entry, score, direct, mapping, profile, matched)

    def _profile_score(
        self,
        entry: SpecialistEntry,
        query_keys: Sequence[str],
        resolved: Sequence[dict],
        skip: set[int],
    ) -> float:
        profile = self._profiles[entry.id]
        total = 0.0
        for position, matches in enumerate(resolved):
            if position in skip:
                continue
            total += max(
                (quality * profile[k] for k, quality in matches.items() if k in profile),
                default=0.0,
            )
        score = total / len(resolved)
        if len(query_keys) > 1 and _contains_run(self._conditions_sequences[entry.id], query_keys):
            score += CONDITIONS_PHRASE_BONUS
        return min(score, 1.0)


def _profile_keys(entry: SpecialistEntry) -> dict[str, float]:
    """Each key of the entry's own texts with the weight of the best field it appears in."""
    weights: dict[str, float] = {}
    fields = (
        ("name", f"{entry.name_bg} {entry.name_en}"),
        ("conditions", entry.conditions),
        ("text", entry.text),
    )
    for field_name, text in fields:
        for text_key in keys(text):
            weights[text_key] = max(weights.get(text_key, 0.0), PROFILE_FIELD_WEIGHTS[field_name])
    return weights


def _phrase_match(
    phrase_keys: Sequence[str], resolved: Sequence[dict[str, float]]
) -> tuple[float, list[int]]:
    """How well the query contains every word of the phrase, and where: the weakest word's
    match quality, lowered when the words are not together and in order. 0 = not contained."""
    positions: list[int] = []
    qualities: list[float] = []
    for phrase_key in phrase_keys:
        found = [
            (matches[phrase_key], pos)
            for pos, matches in enumerate(resolved)
            if phrase_key in matches
        ]
        if not found:
            return 0.0, []
        quality, position = max(found)
        qualities.append(quality)
        positions.append(position)
    quality = min(qualities)
    in_a_row = positions == list(range(positions[0], positions[0] + len(positions)))
    if not in_a_row:
        quality *= SCATTERED_PHRASE
    return quality, positions


def _any_of(weights: Iterable[float]) -> float:
    """Combine independent pieces of evidence: 1 − Π(1 − w)."""
    missing = 1.0
    for weight in weights:
        missing *= 1.0 - min(weight, 1.0)
    return 1.0 - missing


def _contains_run(sequence: Sequence[str], run: Sequence[str]) -> bool:
    width = len(run)
    return any(list(sequence[i : i + width]) == list(run) for i in range(len(sequence) - width + 1))
