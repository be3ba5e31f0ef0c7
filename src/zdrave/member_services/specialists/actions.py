"""Writes to the directory."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from zdrave.base.audit.models import record
from zdrave.member_services.specialists.directory import SpecialistRecord
from zdrave.member_services.specialists.models import Specialist, Specialty
from zdrave.member_services.specialists.search import Vocabulary

_PLAIN_FIELDS = tuple(
    name
    for name in SpecialistRecord.__dataclass_fields__
    if name not in {"partner_code", "code", "specialties", "languages"}
)


@dataclass(frozen=True)
class DirectoryLoad:
    """What ``load_directory`` changed; all zero but ``unchanged`` on a repeated load."""

    specialties_created: int = 0
    specialties_updated: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def load_directory(
    vocabulary: Vocabulary, records: Iterable[SpecialistRecord], *, actor
) -> DirectoryLoad:
    """Create or update the vocabulary's specialties and the given specialists, keyed by code
    and by (partner, code). Idempotent: loading the same data again changes nothing and writes
    no audit rows. Specialists missing from ``records`` are left as they are (the partner
    retires people by setting them inactive, and their past cases keep pointing at them)."""
    with transaction.atomic():
        counts = _load_specialties(vocabulary, actor=actor)
        specialties = {s.code: s for s in Specialty.objects.all()}
        created = updated = unchanged = 0
        for item in records:
            outcome = _load_specialist(item, specialties, actor=actor)
            created += outcome == "created"
            updated += outcome == "updated"
            unchanged += outcome == "unchanged"
    return DirectoryLoad(*counts, created=created, updated=updated, unchanged=unchanged)


def _load_specialties(vocabulary: Vocabulary, *, actor) -> tuple[int, int]:
    created = updated = 0
    for ref in vocabulary.specialties.values():
        specialty, was_created = Specialty.objects.get_or_create(
            code=ref.code, defaults={"name_bg": ref.name_bg, "name_en": ref.name_en}
        )
        if was_created:
            created += 1
            record(actor=actor, verb="specialty.created", obj=specialty, code=ref.code)
        elif (specialty.name_bg, specialty.name_en) != (ref.name_bg, ref.name_en):
            specialty.name_bg, specialty.name_en = ref.name_bg, ref.name_en
            specialty.save(update_fields=["name_bg", "name_en"])
            updated += 1
            record(actor=actor, verb="specialty.renamed", obj=specialty, code=ref.code)
    return created, updated


def _load_specialist(item: SpecialistRecord, specialties: dict[str, Specialty], *, actor) -> str:
    values = {name: getattr(item, name) for name in _PLAIN_FIELDS}
    values["languages"] = list(item.languages)
    specialist = Specialist.objects.filter(partner_code=item.partner_code, code=item.code).first()
    wanted_specialties = {specialties[code].pk for code in item.specialties}
    if specialist is None:
        specialist = Specialist.objects.create(
            partner_code=item.partner_code, code=item.code, **values
        )
        specialist.specialties.set(wanted_specialties)
        record(actor=actor, verb="specialist.created", obj=specialist, code=item.code)
        return "created"
    changed = sorted(name for name, value in values.items() if getattr(specialist, name) != value)
    current_specialties = set(specialist.specialties.values_list("pk", flat=True))
    if not changed and current_specialties == wanted_specialties:
        return "unchanged"
    for name in changed:
        setattr(specialist, name, values[name])
    specialist.save()
    if current_specialties != wanted_specialties:
        specialist.specialties.set(wanted_specialties)
        changed.append("specialties")
    record(actor=actor, verb="specialist.updated", obj=specialist, fields=changed)
    return "updated"


def link_profile_to_user(specialist_code: str, user, *, actor, partner_code: str) -> bool:
    """Give a specialist or therapist their own log-in: the profile ``specialist_code`` of
    ``partner_code`` is linked to ``user`` unless it already has one. Returns whether it linked
    (False when the directory has no such profile yet or it is linked already)."""
    with transaction.atomic():
        specialist = (
            Specialist.objects.select_for_update()
            .filter(partner_code=partner_code, code=specialist_code, user__isnull=True)
            .first()
        )
        if specialist is None or Specialist.objects.filter(user=user).exists():
            return False
        specialist.user = user
        specialist.save(update_fields=["user"])
        record(actor=actor, verb="specialist.user_linked", obj=specialist, user=user.username)
        return True
