"""``zdrave specialists load``: put the Extra Care demo directory (data/specialists.yaml) and
the specialties of the vocabulary (data/vocabulary.yaml) into the database. Idempotent."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zdrave.member_services.specialists.actions import load_directory
from zdrave.member_services.specialists.directory import (
    DIRECTORY_FILE,
    VOCABULARY_FILE,
    DirectoryDataError,
    read_directory,
    read_vocabulary,
)


class Command(BaseCommand):
    help = "Extra Care directory: 'load' loads the specialists and therapists (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["load"])
        parser.add_argument("--file", type=Path, default=DIRECTORY_FILE)
        parser.add_argument("--vocabulary", type=Path, default=VOCABULARY_FILE)

    def handle(self, *args, action: str, file: Path, vocabulary: Path, **options) -> None:
        try:
            vocab = read_vocabulary(vocabulary)
            records = read_directory(file, vocab)
        except (OSError, DirectoryDataError) as error:
            raise CommandError(str(error)) from error
        result = load_directory(vocab, records, actor=None)
        self.stdout.write(
            f"specialties: {result.specialties_created} created, "
            f"{result.specialties_updated} renamed; "
            f"specialists: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
