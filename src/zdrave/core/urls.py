from django.urls import path

from zdrave.core import views

app_name = "core"
urlpatterns = [
    path("", views.index, name="index"),
    path("home/", views.home, name="home"),
]
