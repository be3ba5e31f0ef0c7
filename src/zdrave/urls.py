# No language prefixes in URLs: the language comes from the signed-in user's choice, else the
# language cookie set by the switcher, else the browser (docs/decisions.md).
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("zdrave.interfaces.api.urls")),
    path("fhir/R4/", include("zdrave.interfaces.fhir.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("zdrave.base.identity.urls")),
    path("products/", include("zdrave.products.urls")),
    path("policies/", include("zdrave.contracts.urls")),
    path("claims/", include("zdrave.claims.urls")),
    path("billing/", include("zdrave.policy_admin.billing.urls")),
    path("providers/", include("zdrave.providers.network.urls")),
    path("preauth/", include("zdrave.providers.preauth.urls")),
    path("sales/group/", include("zdrave.policy_admin.groupsales.urls")),
    path("providers/settlement/", include("zdrave.providers.settlement.urls")),
    path("sales/", include("zdrave.policy_admin.sales.urls")),
    path("outbox/", include("zdrave.base.outbox.urls")),
    path("documents/", include("zdrave.base.documents.urls")),
    path("extra-care/", include("zdrave.member_services.specialists.urls")),
    path("extra-care/opinions/", include("zdrave.member_services.second_opinion.urls")),
    path("extra-care/consultations/", include("zdrave.member_services.consultations.urls")),
    path("complaints/", include("zdrave.member_rights.complaints.urls")),
    path("treatment-abroad/", include("zdrave.treatment_abroad.urls")),
    path("my-data/", include("zdrave.member_rights.privacy.urls")),
    path("groups/", include("zdrave.policy_admin.groups.urls")),
    path("renewal/", include("zdrave.policy_admin.renewal.urls")),
    path("", include("zdrave.interfaces.portal.urls")),
]
