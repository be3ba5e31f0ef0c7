from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zdrave.catalog"
    label = "catalog"
