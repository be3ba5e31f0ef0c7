"""Where medical files live on disk: ``settings.PRIVATE_MEDIA_ROOT``, outside the web root,
under random names that say nothing about the member or the content."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation


def root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT).resolve()


def new_storage_name() -> str:
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}"


def path_of(storage_name: str) -> Path:
    base = root()
    path = (base / storage_name).resolve()
    if base not in path.parents:
        raise SuspiciousFileOperation(f"{storage_name!r} is outside the private media root")
    return path


def write(storage_name: str, data: bytes) -> Path:
    """Write atomically (temp file + rename), readable by the platform's user only."""
    path = path_of(storage_name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def delete(storage_name: str) -> None:
    path_of(storage_name).unlink(missing_ok=True)
