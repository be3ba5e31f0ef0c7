from django.urls import path

from zdrave.products import views

app_name = "products"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("search/", views.search, name="search"),
    path("<slug:code>/", views.product_detail, name="detail"),
    path("<slug:code>/<str:effective_from>/", views.product_detail, name="version"),
]
