from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zdrave.interfaces.api"
    label = "api"
