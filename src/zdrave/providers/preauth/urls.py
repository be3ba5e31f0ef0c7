from django.urls import path

from zdrave.providers.preauth.views import requests, staff

app_name = "preauth"

urlpatterns = [
    path("", requests.mine, name="mine"),
    path("new/", requests.ask, name="ask"),
    path("queue/", staff.queue, name="queue"),
    path("<str:number>/", requests.detail, name="detail"),
    path("<str:number>/decide/", staff.decide, name="decide"),
    path("<str:number>/release/", staff.release, name="release"),
    path("<str:number>/letter.pdf", requests.letter_pdf, name="letter_pdf"),
]
