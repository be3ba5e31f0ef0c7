"""The ``zdrave`` command: one front door for the platform's commands.

``zdrave underwrite FILE`` and ``zdrave adjudicate FILE`` run the pure engine without starting
Django (they read products straight from ``products/``). Everything else is a Django management
command: ``zdrave products check``, ``zdrave products load``, ``zdrave demo``, ``zdrave runserver``,
``zdrave migrate`` …
"""

from __future__ import annotations

import os
import sys

ENGINE_COMMANDS = {"underwrite", "adjudicate"}
# Commands that serve or act on their own for a long time: they refuse the public development key
# in production mode (zdrave.startup). One-shot commands (migrate, check, compilemessages …) run.
SERVING_COMMANDS = {"runserver", "db_worker"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in ENGINE_COMMANDS:
        from zdrave.engine.cli import run

        return run(argv[1], argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zdrave.settings")
    from zdrave.startup import refuse_unusable_settings

    refuse_unusable_settings()
    if len(argv) > 1 and argv[1] in SERVING_COMMANDS:
        import django

        django.setup()
        from zdrave.startup import mode, refuse_insecure_start

        refuse_insecure_start()
        sys.stderr.write(f"Zdrave runs in {mode()} mode.\n")
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    from zdrave.base.audit.system import command_actor, system_actor

    try:
        if len(argv) > 1 and argv[1] not in SERVING_COMMANDS:
            # What a one-shot command changes is the command's in the audit trail.
            with system_actor(command_actor(argv[1])):
                execute_from_command_line(argv)
        else:
            execute_from_command_line(argv)
    except OperationalError as exc:  # the database refused or went away: the operator's to fix
        sys.stderr.write(f"error: database: {str(exc).strip()}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
