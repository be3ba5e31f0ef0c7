from django.urls import path

from zdrave.policies import views

app_name = "policies"
urlpatterns = [
    path("people/new/", views.person_new, name="person_new"),
    path("<str:number>/", views.contract_detail, name="contract"),
]
