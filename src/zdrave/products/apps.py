from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "zdrave.products"
    label = "products"
