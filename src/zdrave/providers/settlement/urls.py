from django.urls import path

from zdrave.providers.settlement.views import provider, staff

# Mounted at /providers/settlement/.
app_name = "settlement"
urlpatterns = [
    path("", provider.claims, name="provider"),
    path("batch/", provider.batch, name="provider_batch"),
    path("statements/<int:pk>/", provider.statement, name="statement"),
    path("statements/<int:pk>/pdf/", provider.statement_pdf, name="statement_pdf"),
    path("statements/<int:pk>/csv/", provider.statement_csv, name="statement_csv"),
    path("staff/", staff.overview, name="staff"),
    path("staff/close/", staff.close, name="close"),
    path("staff/batches/", staff.new_batch, name="new_batch"),
    path("staff/batches/<int:pk>/xml/", staff.batch_xml, name="batch_xml"),
    path("staff/batches/<int:pk>/paid/", staff.batch_paid, name="batch_paid"),
    path("staff/claims/<int:pk>/recovery/", staff.recovery, name="recovery"),
    path("staff/recoveries/<int:pk>/repaid/", staff.repaid, name="repaid"),
    path("staff/recoveries/<int:pk>/letter/", staff.recovery_letter, name="recovery_letter"),
]
