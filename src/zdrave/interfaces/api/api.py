"""The JSON API (django-ninja), mounted at /api/v1/. Each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(title="Zdrave API", version="1", urls_namespace="api")
api.add_router("/specialists", "zdrave.member_services.specialists.api.router")
api.add_router("/products", "zdrave.products.api.router")
api.add_router("/claims", "zdrave.claims.api.router")
api.add_router("/eligibility", "zdrave.providers.network.api.router")

api.add_router("/provider-claims", "zdrave.providers.settlement.api.router")
