from django.urls import path, re_path

from zdrave.interfaces.fhir import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("CoverageEligibilityRequest/$submit", views.eligibility_submit, name="eligibility"),
    path("Claim/$submit", views.claim_submit, name="claim"),
    re_path(r"^(?P<kind>[A-Za-z]+)/?$", views.type_level, name="type"),
    re_path(
        r"^(?P<kind>[A-Za-z]+)/(?P<pk>[A-Za-z0-9\-\.]{1,64})$", views.instance, name="instance"
    ),
]
