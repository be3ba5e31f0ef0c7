"""System check: medical files must never be reachable as static or public media files."""

from pathlib import Path

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def private_media_outside_web_root(app_configs=None, **kwargs):
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    public = [settings.STATIC_ROOT, settings.MEDIA_ROOT, *getattr(settings, "STATICFILES_DIRS", [])]
    errors = []
    for folder in public:
        if not folder:
            continue
        folder = Path(folder if isinstance(folder, str | Path) else folder[1]).resolve()
        if private == folder or folder in private.parents or private in folder.parents:
            errors.append(
                checks.Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) overlaps the publicly served {folder}.",
                    hint="Keep medical files outside STATIC_ROOT, MEDIA_ROOT and static dirs.",
                    id="documents.E001",
                )
            )
    return errors
