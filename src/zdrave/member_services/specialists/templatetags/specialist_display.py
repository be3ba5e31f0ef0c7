from django import template

from zdrave.member_services.specialists.display import language_names as _language_names

register = template.Library()


@register.filter
def language_names(codes: list[str]) -> list[str]:
    """ISO 639-1 codes → language names in the current language."""
    return _language_names(codes)
