from django.urls import path

from zdrave.base.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.my_files, name="list"),
    path("<uuid:public_id>/download/", views.download, name="download"),
]
