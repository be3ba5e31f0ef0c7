"""The daily runs' commands (``zdrave billing_daily`` …) share their ``--on`` handling
(``base.daily.DailyCommand``): a day they cannot read stops them with one clear line and exit
status 1, before anything runs — no traceback for the operator catching up after downtime."""

from __future__ import annotations

import pytest

from zdrave.cli import main

DAILY_COMMANDS = [
    "billing_daily",
    "renewal_daily",
    "groupsales_daily",
    "abroad_daily",
    "preauth_expiry",
]


@pytest.mark.parametrize("command", DAILY_COMMANDS)
@pytest.mark.parametrize("day", ["31.12.2026", "2026-02-30"], ids=["not-iso", "no-such-day"])
def test_a_day_the_command_cannot_read_is_one_line_and_exit_1(command, day, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["zdrave", command, "--on", day])
    assert stopped.value.code == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "CommandError: --on: a date YYYY-MM-DD\n"
