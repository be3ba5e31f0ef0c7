from django.urls import path

from zdrave.member_services.specialists import views

# Mounted at /extra-care/. A profile's "request an opinion" button leads to
# "second_opinion:request" (000 а) стъпка 5).
app_name = "specialists"
urlpatterns = [
    path("specialists/", views.specialist_list, name="specialists"),
    path("specialists/<int:pk>/", views.specialist_detail, name="specialist"),
    path("specialists/<int:pk>/photo/", views.photo, name="photo"),
    path("therapists/", views.therapist_list, name="therapists"),
]
