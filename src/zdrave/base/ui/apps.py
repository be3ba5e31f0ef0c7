from django.apps import AppConfig


class UiConfig(AppConfig):
    """The web kit every app shares: money template tags, the form and admin base classes."""

    name = "zdrave.base.ui"
    label = "ui"
