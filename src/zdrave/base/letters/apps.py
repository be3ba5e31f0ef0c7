from django.apps import AppConfig


class LettersConfig(AppConfig):
    """No models: an app so that Django finds the letter templates, style sheet and
    translations."""

    name = "zdrave.base.letters"
    label = "letters"
