"""``zdrave apply_retention``: delete or anonymise what has outlived its retention period
(``data/retention.yaml``). Run with ``--dry-run`` first: it prints what would go, per kind."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zdrave.base.audit.system import command_actor, system_actor
from zdrave.member_rights.privacy.retention import apply_retention, policies


class Command(BaseCommand):
    help = "Apply the retention periods: delete or anonymise expired records (--dry-run first)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted/anonymised."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        # Run from ``call_command`` too (not only the ``zdrave`` front door): its changes are
        # the command's in the audit trail.
        with system_actor(command_actor("apply_retention")):
            results = apply_retention(dry_run=dry_run)
        table = policies()
        verb = "would" if dry_run else "did"
        for result in results:
            policy = table[result.kind]
            self.stdout.write(
                f"{result.kind:<16} {result.count:>7}  {verb} {result.action}"
                f"  ({policy.years} years from {policy.start}; {policy.basis})"
            )
        total = sum(r.count for r in results)
        summary = f"{total} record(s) {'would be' if dry_run else 'were'} deleted or anonymised."
        self.stdout.write(self.style.SUCCESS(summary) if not dry_run else summary)
