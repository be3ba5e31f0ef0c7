from django.urls import path

from zdrave.interfaces.api.api import api

urlpatterns = [path("", api.urls)]
