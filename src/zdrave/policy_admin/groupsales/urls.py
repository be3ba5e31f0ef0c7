from django.urls import path

from zdrave.policy_admin.groupsales import views

# Mounted at /sales/group/ (before /sales/). The declaration link carries its token after
# "/sign-in/", where the logs and the outbox copy mask it (base.audit.redaction).
app_name = "groupsales"
urlpatterns = [
    path("", views.quote, name="quote"),
    path("headcount/", views.headcount_quote, name="headcount"),
    path("apply/", views.apply, name="apply"),
    path("applied/", views.applied, name="applied"),
    path("sign-in/<str:token>/", views.declare, name="declare"),
    path("sign-in/<str:token>/<int:pk>/", views.declare_person, name="declare_person"),
    path("all/", views.staff_list, name="staff_list"),
    path("all/<str:reference>/", views.staff_detail, name="staff_detail"),
    path("all/<str:reference>/issue/", views.issue, name="issue"),
    path("all/<str:reference>/links/<int:pk>/resend/", views.resend, name="resend"),
    path("mine/<str:reference>/", views.employer_progress, name="progress"),
]
