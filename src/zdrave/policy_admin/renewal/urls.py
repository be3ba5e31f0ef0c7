from django.urls import path

from zdrave.policy_admin.renewal import views

app_name = "renewal"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("offers/<int:pk>/", views.offer, name="offer"),
    path("offers/<int:pk>/letter.pdf", views.offer_letter, name="offer_letter"),
    path("premium/<int:pk>/", views.proposal, name="proposal"),
    path("premium/<int:pk>/annex.pdf", views.annex_letter, name="annex_letter"),
    path("desk/", views.desk, name="desk"),
    path("desk/answers/<int:pk>/", views.answer, name="answer"),
]
