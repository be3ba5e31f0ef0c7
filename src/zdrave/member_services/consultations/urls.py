from django.urls import path

from zdrave.member_services.consultations import views

# Mounted at /extra-care/consultations/. "book" takes the therapist's directory id: the
# therapist profile page (zdrave.member_services.specialists) links to it (000 б) стъпки 3–4).
app_name = "consultations"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("book/<int:specialist_id>/", views.book, name="book"),
    path("team/", views.team, name="team"),
    path("team/calendar/", views.team_calendar, name="team_calendar"),
    path("sessions/", views.sessions, name="sessions"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/choose/", views.choose, name="choose"),
    path("<int:pk>/other-dates/", views.other_dates, name="other_dates"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/done/", views.done, name="done"),
    path("<int:pk>/consultation.ics", views.invitation, name="invitation"),
]
