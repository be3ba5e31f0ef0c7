# No language prefixes in URLs: the language comes from the signed-in user's choice, else the
# language cookie set by the switcher, else the browser (docs/decisions.md).
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("zdrave.api.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("zdrave.accounts.urls")),
    path("products/", include("zdrave.catalog.urls")),
    path("policies/", include("zdrave.policies.urls")),
    path("outbox/", include("zdrave.outbox.urls")),
    path("documents/", include("zdrave.documents.urls")),
    path("extra-care/", include("zdrave.opinions.urls")),
    path("extra-care/consultations/", include("zdrave.consultations.urls")),
    path("", include("zdrave.core.urls")),
]
