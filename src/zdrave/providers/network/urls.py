from django.urls import path

from zdrave.providers.network.views import front_desk, members, staff

# Mounted at /providers/.
app_name = "network"
urlpatterns = [
    # the members' list (views/members.py)
    path("", members.search, name="search"),
    path("<int:pk>/", members.institution, name="institution"),
    # provider relations (views/staff.py)
    path("staff/", staff.registry, name="registry"),
    path("staff/<int:pk>/", staff.institution, name="staff_institution"),
    path("staff/<int:pk>/edit/", staff.edit, name="staff_edit"),
    path("staff/<int:pk>/price/", staff.price, name="staff_price"),
    path("staff/<int:pk>/doctor/", staff.doctor, name="staff_doctor"),
    path("staff/<int:pk>/location/", staff.location, name="staff_location"),
    path("staff/<int:pk>/account/", staff.account, name="staff_account"),
    path("staff/<int:pk>/leave/", staff.leave, name="staff_leave"),
    # the provider's front desk (views/front_desk.py)
    path("front-desk/", front_desk.desk, name="front_desk"),
    path("front-desk/keys/", front_desk.new_key, name="new_key"),
    path("front-desk/keys/<int:pk>/revoke/", front_desk.revoke_key, name="revoke_key"),
]
