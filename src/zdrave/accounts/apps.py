from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zdrave.accounts"
    label = "accounts"
