from django.urls import path

from zdrave.opinions import views

# "opinions:request" (/extra-care/opinions/request/<id>/, 000 стъпка 5) is reserved for the
# second-opinion request journey; the profile page shows its button once the URL exists.
app_name = "opinions"
urlpatterns = [
    path("specialists/", views.specialist_list, name="specialists"),
    path("specialists/<int:pk>/", views.specialist_detail, name="specialist"),
    path("specialists/<int:pk>/photo/", views.photo, name="photo"),
    path("therapists/", views.therapist_list, name="therapists"),
]
