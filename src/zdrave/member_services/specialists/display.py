"""Display helpers shared by the pages and the template filters."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import get_language_info, pgettext_lazy

from zdrave.member_services.specialists.models import Specialist

# With a context of their own: the project catalogue translates the bare "English" as
# "English" for the language switcher, which must not leak into a specialist's languages.
CONSULTATION_LANGUAGES = {
    "bg": pgettext_lazy("consultation language", "Bulgarian"),
    "en": pgettext_lazy("consultation language", "English"),
    "de": pgettext_lazy("consultation language", "German"),
    "fr": pgettext_lazy("consultation language", "French"),
    "es": pgettext_lazy("consultation language", "Spanish"),
    "it": pgettext_lazy("consultation language", "Italian"),
    "ru": pgettext_lazy("consultation language", "Russian"),
    "he": pgettext_lazy("consultation language", "Hebrew"),
    "tr": pgettext_lazy("consultation language", "Turkish"),
    "sv": pgettext_lazy("consultation language", "Swedish"),
    "el": pgettext_lazy("consultation language", "Greek"),
    "ro": pgettext_lazy("consultation language", "Romanian"),
}
_PLACEHOLDER_COLOURS = ("#0b7a75", "#2f5d8a", "#7a4b8c", "#8a5a2f", "#3f7a3a", "#8a2f4b")


def placeholder_svg(specialist: Specialist) -> str:
    initials = "".join(part[:1] for part in specialist.name.split()[:2]).upper()
    colour = _PLACEHOLDER_COLOURS[specialist.pk % len(_PLACEHOLDER_COLOURS)]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" role="img">'
        f'<rect width="96" height="96" rx="48" fill="{colour}"/>'
        '<text x="48" y="58" font-family="system-ui, sans-serif" font-size="34" '
        f'font-weight="600" fill="#fff" text-anchor="middle">{escape(initials)}</text></svg>'
    )


def language_names(codes: list[str]) -> list[str]:
    """Names of consultation languages in the current language ("английски")."""
    names = []
    for code in codes:
        if code in CONSULTATION_LANGUAGES:
            names.append(str(CONSULTATION_LANGUAGES[code]))
            continue
        try:
            names.append(str(get_language_info(code)["name_translated"]))
        except KeyError:
            names.append(code)
    return names
