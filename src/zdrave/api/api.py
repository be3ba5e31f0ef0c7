"""The JSON API (django-ninja), mounted at /api/v1/. Each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(title="Zdrave API", version="1", urls_namespace="api")
api.add_router("/specialists", "zdrave.opinions.api.router")
api.add_router("/products", "zdrave.catalog.api.router")
