from django.urls import path

from zdrave.member_rights.complaints.views import letters, member, staff

# Mounted at /complaints/. Fixed paths come before "<number>/" (numbers look like CP-2026-000123).
app_name = "complaints"
urlpatterns = [
    path("queue/", staff.queue, name="queue"),
    path("queue/new/", staff.record_complaint, name="record"),
    path("queue/register/", staff.register_page, name="register"),
    path("queue/register.csv", staff.register_file, {"extension": "csv"}, name="register_csv"),
    path("queue/register.xlsx", staff.register_file, {"extension": "xlsx"}, name="register_xlsx"),
    path("queue/<str:number>/", staff.review, name="review"),
    path("queue/<str:number>/take/", staff.take, name="take"),
    path("queue/<str:number>/escalate/", staff.escalate, name="escalate"),
    path("queue/<str:number>/answer/", staff.answer, name="answer"),
    path("", member.mine, name="mine"),
    path("new/", member.new, name="new"),
    path("<str:number>/", member.detail, name="detail"),
    path("<str:number>/letter/", letters.letter, name="letter"),
    path("<str:number>/letter.pdf", letters.letter_pdf, name="letter_pdf"),
]
