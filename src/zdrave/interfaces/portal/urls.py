from django.urls import path

from zdrave.interfaces.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("home/", views.home, name="home"),
]
