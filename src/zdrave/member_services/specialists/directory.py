"""The directory's data files (``data/vocabulary.yaml``, ``data/specialists.yaml``) read into
plain records. No Django: the search tests and the benchmark use these without a database, and
``actions.load_directory`` writes them to it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from zdrave.member_services.specialists.search import SpecialistEntry, Vocabulary

DATA_DIR = Path(__file__).resolve().parent / "data"
VOCABULARY_FILE = DATA_DIR / "vocabulary.yaml"
DIRECTORY_FILE = DATA_DIR / "specialists.yaml"
KINDS = ("specialist", "therapist")


class DirectoryDataError(ValueError):
    """A data file breaks a rule; the message names the entry, the field and the rule."""


@dataclass(frozen=True)
class SpecialistRecord:
    partner_code: str
    code: str
    kind: str
    name_bg: str
    name_en: str
    title_bg: str
    title_en: str
    specialties: tuple[str, ...]
    languages: tuple[str, ...]
    institution_bg: str
    institution_en: str
    city_bg: str
    city_en: str
    country_code: str
    country_bg: str
    country_en: str
    experience_years: int
    conditions_bg: str
    conditions_en: str
    bio_bg: str
    bio_en: str


def read_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    with path.open(encoding="utf-8") as stream:
        return Vocabulary.from_data(yaml.safe_load(stream))


def read_directory(
    path: Path = DIRECTORY_FILE, vocabulary: Vocabulary | None = None
) -> list[SpecialistRecord]:
    """Every specialist and therapist in the file, checked against the vocabulary's specialty
    codes and the file's own institutions and countries."""
    vocabulary = vocabulary or read_vocabulary()
    with path.open(encoding="utf-8") as stream:
        data = yaml.safe_load(stream)
    partner = data["partner"]
    people = [*data.get("specialists", []), *data.get("therapists", [])]
    records = [_record(item, data, partner, vocabulary) for item in people]
    codes = [record.code for record in records]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise DirectoryDataError(f"{path.name}: code must be unique, repeated: {duplicates}")
    return records


def _record(item: dict, data: dict, partner: str, vocabulary: Vocabulary) -> SpecialistRecord:
    code = item.get("code") or "?"

    def fail(field: str, rule: str) -> DirectoryDataError:
        return DirectoryDataError(f"specialist {code}: {field} {rule}")

    if item.get("kind") not in KINDS:
        raise fail("kind", f"must be one of {KINDS}, got {item.get('kind')!r}")
    unknown = [s for s in item.get("specialties", []) if s not in vocabulary.specialties]
    if not item.get("specialties") or unknown:
        raise fail("specialties", f"must name vocabulary specialties, unknown: {unknown}")
    institution = data["institutions"].get(item.get("institution"))
    if institution is None:
        raise fail("institution", f"must be a key of institutions, got {item.get('institution')!r}")
    country = data["countries"].get(institution["country"])
    if country is None:
        raise fail("country", f"{institution['country']!r} is missing from countries")
    years = item.get("experience_years")
    if not isinstance(years, int) or not 0 <= years <= 70:
        raise fail("experience_years", f"must be a whole number of years 0–70, got {years!r}")
    return SpecialistRecord(
        partner_code=partner,
        code=code,
        kind=item["kind"],
        name_bg=item["name_bg"],
        name_en=item["name_en"],
        title_bg=item.get("title_bg", ""),
        title_en=item.get("title_en", ""),
        specialties=tuple(item["specialties"]),
        languages=tuple(item.get("languages", [])),
        institution_bg=institution["bg"],
        institution_en=institution["en"],
        city_bg=institution["city_bg"],
        city_en=institution["city_en"],
        country_code=institution["country"],
        country_bg=country["bg"],
        country_en=country["en"],
        experience_years=years,
        conditions_bg=item.get("conditions_bg", ""),
        conditions_en=item.get("conditions_en", ""),
        bio_bg=item.get("bio_bg", ""),
        bio_en=item.get("bio_en", ""),
    )


def record_entry(record: SpecialistRecord, vocabulary: Vocabulary, id: int) -> SpecialistEntry:  # noqa: A002
    """The search entry of a record (for searching the data file without a database)."""
    specialties = tuple(vocabulary.specialties[code] for code in record.specialties)
    return search_entry(record, id, specialties)


def search_entry(profile, id: int, specialties: tuple) -> SpecialistEntry:  # noqa: A002
    """The search entry of a ``profile``: a data-file record or a ``Specialist`` row, which
    name their fields alike."""
    return SpecialistEntry(
        id=id,
        kind=profile.kind,
        name_bg=profile.name_bg,
        name_en=profile.name_en,
        specialties=specialties,
        experience_years=profile.experience_years,
        conditions=f"{profile.conditions_bg}\n{profile.conditions_en}",
        text=" ".join(
            (
                profile.bio_bg,
                profile.bio_en,
                profile.institution_bg,
                profile.institution_en,
                profile.city_bg,
                profile.city_en,
                profile.country_bg,
                profile.country_en,
            )
        ),
    )
