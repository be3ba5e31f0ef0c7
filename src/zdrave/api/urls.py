from django.urls import path

from zdrave.api.api import api

urlpatterns = [path("", api.urls)]
