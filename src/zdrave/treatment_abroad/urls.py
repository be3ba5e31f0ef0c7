from django.urls import path

from zdrave.treatment_abroad import views

app_name = "treatment_abroad"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("queue/", views.queue, name="queue"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/do/<slug:action>/", views.act, name="act"),
    path("<str:number>/precertificate.pdf", views.precertificate, name="precertificate"),
    path("<str:number>/objections/<int:pk>/answer/", views.answer, name="answer"),
    path("<str:number>/tasks/<int:pk>/done/", views.resolve_task, name="resolve_task"),
]
