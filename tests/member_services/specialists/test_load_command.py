"""``zdrave specialists load``: the demo directory (data/specialists.yaml) into the database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from zdrave.base.audit.models import AuditEvent
from zdrave.member_services.specialists.directory import DIRECTORY_FILE
from zdrave.member_services.specialists.models import Specialist, SpecialistKind, Specialty


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("specialists", "load", *args, stdout=out)
    return out.getvalue().strip()


def test_first_load_creates_the_whole_directory(db):
    output = load()

    assert output == (
        "specialties: 28 created, 0 renamed; specialists: 58 created, 0 updated, 0 unchanged"
    )
    assert Specialty.objects.count() == 28
    assert Specialist.objects.filter(kind=SpecialistKind.SPECIALIST).count() == 50
    assert Specialist.objects.filter(kind=SpecialistKind.THERAPIST).count() == 8
    keller = Specialist.objects.get(code="dm-002")
    assert keller.partner_code == "diagnose-me"
    assert (keller.name_bg, keller.name_en) == ("Томас Келер", "Thomas Keller")
    assert [s.code for s in keller.specialties.all()] == ["cardiology"]
    assert keller.languages == ["de", "en"]
    assert (keller.city_en, keller.country_code, keller.country_bg) == ("Berlin", "DE", "Германия")
    assert keller.experience_years == 27
    assert AuditEvent.objects.filter(verb="specialist.created").count() == 58


def test_loading_again_changes_nothing(db):
    load()
    before = list(Specialist.objects.values().order_by("pk"))
    audit_rows = AuditEvent.objects.count()

    output = load()

    assert output == (
        "specialties: 0 created, 0 renamed; specialists: 0 created, 0 updated, 58 unchanged"
    )
    assert list(Specialist.objects.values().order_by("pk")) == before
    assert AuditEvent.objects.count() == audit_rows


def test_a_changed_entry_is_updated_in_place(db, tmp_path: Path):
    load()
    data = yaml.safe_load(DIRECTORY_FILE.read_text(encoding="utf-8"))
    data["specialists"][1]["experience_years"] = 28
    data["specialists"][1]["specialties"] = ["cardiology", "cardiac-surgery"]
    changed = tmp_path / "specialists.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    keller_id = Specialist.objects.get(code="dm-002").pk

    output = load("--file", str(changed))

    assert output.endswith("specialists: 0 created, 1 updated, 57 unchanged")
    keller = Specialist.objects.get(code="dm-002")
    assert keller.pk == keller_id
    assert keller.experience_years == 28
    assert sorted(s.code for s in keller.specialties.all()) == ["cardiac-surgery", "cardiology"]
    event = AuditEvent.objects.get(verb="specialist.updated")
    assert event.details == {"fields": ["experience_years", "specialties"]}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "surgeon", "specialist dm-001: kind must be one of ('specialist', 'therapist')"),
        ("specialties", ["astrology"], "specialist dm-001: specialties must name vocabulary"),
        ("institution", "nowhere", "specialist dm-001: institution must be a key of institutions"),
        ("experience_years", -3, "specialist dm-001: experience_years must be a whole number"),
    ],
    ids=["kind", "specialties", "institution", "experience"],
)
def test_bad_data_is_refused_naming_the_entry_and_field(db, tmp_path, field, value, message):
    data = yaml.safe_load(DIRECTORY_FILE.read_text(encoding="utf-8"))
    data["specialists"][0][field] = value
    bad = tmp_path / "specialists.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load("--file", str(bad))

    assert Specialist.objects.count() == 0
    assert Specialty.objects.count() == 0
