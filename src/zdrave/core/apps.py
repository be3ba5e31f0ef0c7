from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zdrave.core"
    label = "core"
