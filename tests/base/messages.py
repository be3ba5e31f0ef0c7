"""Compile the Bulgarian catalogues for the tests that read translated messages (scripts/test.sh
compiles every catalogue too)."""

import os
import subprocess
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "zdrave"


def compile_app_messages(app: str = "") -> None:
    """The catalogues under src/zdrave/``app`` (e.g. ``base/banking``; all of them when empty),
    when a .mo is missing or older than its .po. Written to a temporary name and renamed, so
    parallel workers never read half a file."""
    for po in (SRC / app).rglob("locale/*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        tmp = mo.with_name(f"django.{os.getpid()}.mo.tmp")
        subprocess.run(["msgfmt", "-o", str(tmp), str(po)], check=True)
        os.replace(tmp, mo)
