from django.urls import path

from zdrave.claims.views import letters, member, payments, staff

# Mounted at /claims/. Fixed paths come before "<number>/": claim numbers look like CL-2026-000123.
app_name = "claims"
urlpatterns = [
    # the adjusters, the medical expert, the second approval (views/staff.py)
    path("queue/", staff.queue, name="queue"),
    path("queue/<str:number>/", staff.review, name="review"),
    path("queue/<str:number>/decide/", staff.decide, name="decide"),
    path("queue/<str:number>/approve/", staff.approve, name="approve"),
    path("queue/<str:number>/refer/", staff.refer, name="refer"),
    path("queue/<str:number>/medical/", staff.medical, name="medical"),
    path("queue/<str:number>/reopen/", staff.reopen, name="reopen"),
    path("dashboard/", staff.dashboard, name="dashboard"),
    # payments (views/payments.py)
    path("payments/", payments.batches, name="batches"),
    path("payments/returns/", payments.returns, name="returns"),
    path("payments/<int:pk>/", payments.batch, name="batch"),
    path("payments/<int:pk>/pain001.xml", payments.batch_file, name="batch_file"),
    # the member (views/member.py)
    path("", member.mine, name="mine"),
    path("new/", member.new, name="new"),
    path("new/<str:kind>/", member.new_claim, name="new_claim"),
    path("<str:number>/", member.detail, name="detail"),
    path("<str:number>/documents/", member.add_documents, name="add_documents"),
    path("<str:number>/withdraw/", member.withdraw, name="withdraw"),
    path("<str:number>/account/", member.new_account, name="new_account"),
    # the decision letter (views/letters.py): the member, and staff who may open the claim
    path("<str:number>/letter/", letters.letter, name="letter"),
    path("<str:number>/letter.pdf", letters.letter_pdf, name="letter_pdf"),
]
