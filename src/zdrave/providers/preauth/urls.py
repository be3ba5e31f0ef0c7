urlpatterns = []
app_name = "preauth"
