from django.urls import path

from zdrave.policy_admin.groups import views

# Mounted at /groups/. Fixed paths come before "<number>/".
app_name = "groups"
urlpatterns = [
    path("", views.home, name="home"),
    path("my-examinations/", views.my_slots, name="my_slots"),
    path("family/", views.family_home, name="family_home"),
    path("family/<str:number>/", views.family, name="family"),
    path("family/<str:number>/add/", views.family_add, name="family_add"),
    path("family/<str:number>/remove/<int:member>/", views.family_remove, name="family_remove"),
    path("family-requests/<int:pk>/", views.family_request, name="family_request"),
    path(
        "family-requests/<int:pk>/letter/",
        views.family_request_letter,
        name="family_request_letter",
    ),
    path(
        "family-requests/<int:pk>/letter.pdf", views.family_request_pdf, name="family_request_pdf"
    ),
    path("annexes/<str:number>/", views.annex, name="annex"),
    path("annexes/<str:number>/annex.pdf", views.annex_document, name="annex_pdf"),
    path("<str:number>/", views.group, name="group"),
    path("<str:number>/census.csv", views.census_csv, name="census_csv"),
    path("<str:number>/census.xlsx", views.census_xlsx, name="census_xlsx"),
    path("<str:number>/census/", views.upload, name="upload"),
    path("<str:number>/census/<int:pk>/", views.preview, name="preview"),
    path("<str:number>/census/<int:pk>/apply/", views.apply, name="apply"),
    path("<str:number>/add/", views.add_person, name="add"),
    path("<str:number>/remove/", views.remove_person, name="remove"),
    path("<str:number>/examinations/new/", views.request_examinations, name="request_examinations"),
    path("<str:number>/examinations/<int:pk>/", views.examinations, name="examinations"),
]
