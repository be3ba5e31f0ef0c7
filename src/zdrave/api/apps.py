from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zdrave.api"
    label = "api"
