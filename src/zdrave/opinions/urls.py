from django.urls import path

from zdrave.opinions import views, views_cases, views_order, views_team

# Mounted at /extra-care/. "opinions:request" (/extra-care/opinions/request/<id>/, 000 а)
# стъпка 5) is the button on a specialist's profile.
app_name = "opinions"
urlpatterns = [
    path("specialists/", views.specialist_list, name="specialists"),
    path("specialists/<int:pk>/", views.specialist_detail, name="specialist"),
    path("specialists/<int:pk>/photo/", views.photo, name="photo"),
    path("therapists/", views.therapist_list, name="therapists"),
    # The second-opinion journey (000 а), стъпки 5–17).
    path("opinions/request/<int:pk>/", views_cases.request_opinion, name="request"),
    path("opinions/account/", views_cases.account, name="account"),
    path("opinions/account/chat/", views_team.member_chat, name="chat"),
    path("opinions/cases/", views_cases.my_cases, name="cases"),
    path("opinions/cases/<int:pk>/", views_cases.case_detail, name="case"),
    path("opinions/cases/<int:pk>/order/<int:step>/", views_order.order, name="order"),
    path("opinions/cases/<int:pk>/upload/", views_order.upload, name="upload"),
    path("opinions/cases/<int:pk>/payment/", views_order.pay, name="payment"),
    path("opinions/cases/<int:pk>/forward/", views_team.forward, name="forward"),
    path("opinions/cases/<int:pk>/decline/", views_team.decline, name="decline"),
    path("opinions/cases/<int:pk>/resend-link/", views_team.resend_link, name="resend_link"),
    path("opinions/cases/<int:pk>/pass-on/", views_team.pass_on, name="pass_on"),
    path("opinions/cases/<int:pk>/report/", views_team.report, name="report"),
    path("opinions/cases/<int:pk>/email-report/", views_team.email_report, name="email_report"),
    path("opinions/cases/<int:pk>/close/", views_team.close, name="close"),
    path("opinions/team/", views_team.team, name="team"),
    path("opinions/team/chat/<int:member_id>/", views_team.team_chat, name="team_chat"),
    path("opinions/assigned/", views_cases.assigned, name="assigned"),
    path("opinions/sign-in/", views_cases.sign_in_continue, name="sign_in_continue"),
    path("opinions/sign-in/<str:token>/", views_cases.sign_in, name="sign_in"),
    path("opinions/set-password/", views_cases.set_password, name="set_password"),
]
