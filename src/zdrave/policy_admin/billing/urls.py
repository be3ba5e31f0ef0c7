from django.urls import path

from zdrave.policy_admin.billing import views

app_name = "billing"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("contracts/<str:number>/", views.contract, name="contract"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/letter.pdf", views.task_letter, name="task_letter"),
    path("terminations/<int:pk>/letter.pdf", views.termination_letter, name="termination_letter"),
    path("statements/", views.statement_list, name="statements"),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("loss-ratios/", views.loss, name="loss"),
]
