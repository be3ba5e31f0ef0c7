"""Outside a request, a command or task names itself in the audit trail (base.audit.system):
the ``zdrave`` front door names every one-shot command, never the serving ones."""

from __future__ import annotations

import pytest
from django.core.management import ManagementUtility

from zdrave import cli
from zdrave.base.audit.system import current_system_actor, system_actor


def test_innermost_name_wins_and_is_reset():
    assert current_system_actor() == ""
    with system_actor("command:db_worker"):
        with system_actor("task:claims.tasks.send"):
            assert current_system_actor() == "task:claims.tasks.send"
        assert current_system_actor() == "command:db_worker"
    assert current_system_actor() == ""


@pytest.mark.parametrize(
    ("command", "named"),
    [("apply_retention", "command:apply_retention"), ("runserver", "")],
    ids=["one-shot-command-named", "serving-command-not-named"],
)
def test_the_front_door_names_one_shot_commands(monkeypatch, command, named):
    seen = []
    monkeypatch.setattr(
        ManagementUtility, "execute", lambda self: seen.append(current_system_actor())
    )
    monkeypatch.setattr("zdrave.startup.refuse_insecure_start", lambda: None)
    cli.main(["zdrave", command])
    assert seen == [named]
    assert current_system_actor() == ""
