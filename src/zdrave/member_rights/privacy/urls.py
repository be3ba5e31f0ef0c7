from django.urls import path

from zdrave.member_rights.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("archive.zip", views.download, name="download"),
    path("consent/", views.set_consent, name="consent"),
    path("correction/", views.correction, name="correction"),
    path("erasure/", views.erasure, name="erasure"),
    path("accesses/", views.accesses, name="accesses"),
    path("requests/", views.queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("audit/", views.audit, name="audit"),
]
