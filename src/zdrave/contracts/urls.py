from django.urls import path

from zdrave.contracts import views

app_name = "contracts"
urlpatterns = [
    path("people/new/", views.person_new, name="person_new"),
    path("<str:number>/", views.contract_detail, name="contract"),
]
