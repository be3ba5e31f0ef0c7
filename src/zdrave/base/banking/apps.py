from django.apps import AppConfig


class BankingConfig(AppConfig):
    """No models: an app only so that Django finds its translations."""

    name = "zdrave.base.banking"
    label = "banking"
