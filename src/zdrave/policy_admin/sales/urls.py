from django.urls import path

from zdrave.policy_admin.sales import views

# Mounted at /sales/. Applications are named by their reference (ZA-2026-000123), the persons on
# them by id, cards by their number (ZK26…). Fixed paths come before "<reference>/".
app_name = "sales"
urlpatterns = [
    path("quote/", views.quote, name="quote"),
    path("", views.mine, name="mine"),
    path("all/", views.staff_list, name="staff_list"),
    path("underwriting/", views.queue, name="queue"),
    path("underwriting/<int:pk>/", views.review, name="review"),
    path("cards/<str:card>/", views.card_check, name="card_check"),
    path("persons/<int:pk>/remove/", views.remove_person, name="remove_person"),
    path("persons/<int:pk>/declaration/", views.declaration, name="declaration"),
    path("persons/<int:pk>/letter/", views.letter, name="letter"),
    path("persons/<int:pk>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("persons/<int:pk>/card.pdf", views.card_pdf, name="card_pdf"),
    path("persons/<int:pk>/card.png", views.card_png, name="card_png"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/persons/", views.add_person, name="add_person"),
    path("<str:reference>/submit/", views.submit, name="submit"),
    path("<str:reference>/conclude/", views.conclude, name="conclude"),
    path("<str:reference>/payment/", views.payment, name="payment"),
    path("<str:reference>/policy.pdf", views.policy_pdf, name="policy_pdf"),
]
