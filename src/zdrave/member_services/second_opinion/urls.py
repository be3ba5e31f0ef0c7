from django.urls import path

from zdrave.member_services.second_opinion.views import cases, order, team

# Mounted at /extra-care/opinions/: the second-opinion journey (000 а), стъпки 5–17).
app_name = "second_opinion"
urlpatterns = [
    path("request/<int:pk>/", cases.request_opinion, name="request"),
    path("account/", cases.account, name="account"),
    path("account/chat/", team.member_chat, name="chat"),
    path("cases/", cases.my_cases, name="cases"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/order/<int:step>/", order.order, name="order"),
    path("cases/<int:pk>/upload/", order.upload, name="upload"),
    path("cases/<int:pk>/payment/", order.pay, name="payment"),
    path("cases/<int:pk>/forward/", team.forward, name="forward"),
    path("cases/<int:pk>/decline/", team.decline, name="decline"),
    path("cases/<int:pk>/resend-link/", team.resend_link, name="resend_link"),
    path("cases/<int:pk>/pass-on/", team.pass_on, name="pass_on"),
    path("cases/<int:pk>/report/", team.report, name="report"),
    path("cases/<int:pk>/email-report/", team.email_report, name="email_report"),
    path("cases/<int:pk>/close/", team.close, name="close"),
    path("team/", team.team, name="team"),
    path("team/chat/<int:member_id>/", team.team_chat, name="team_chat"),
    path("assigned/", cases.assigned, name="assigned"),
    path("sign-in/", cases.sign_in_continue, name="sign_in_continue"),
    path("sign-in/<str:token>/", cases.sign_in, name="sign_in"),
    path("set-password/", cases.set_password, name="set_password"),
]
