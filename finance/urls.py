from django.urls import path

from finance import views

app_name = "finance"
urlpatterns = [
    path("", views.claims, name="claims"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim, name="claim"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/submit/", views.claim_submit, name="claim_submit"),
    path("claims/<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("claims/<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("claims/<int:pk>/check/", views.claim_check, name="claim_check"),
    path("claims/<int:pk>/print/", views.claim_print, name="claim_print"),
    path("lines/<int:pk>/receive/", views.line_receive, name="line_receive"),
    path("spending/", views.spendings, name="spendings"),
    path("spending/new/", views.spending_new, name="spending_new"),
    path("spending/<int:pk>/", views.spending, name="spending"),
    path("spending/<int:pk>/decide/", views.spending_decide, name="spending_decide"),
    path("spending/<int:pk>/record/", views.spending_record, name="spending_record"),
    path("spending/<int:pk>/amount/", views.spending_amount, name="spending_amount"),
    path(
        "spending/<int:pk>/withdraw/",
        views.spending_withdraw,
        name="spending_withdraw",
    ),
    path("batches/", views.batches, name="batches"),
    path("batches/new/", views.batch_new, name="batch_new"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/pay/", views.batch_pay, name="batch_pay"),
    path("batches/<int:pk>/print/", views.batch_print, name="batch_print"),
    path("assets/", views.assets, name="assets"),
    path("assets/new/", views.asset_new, name="asset_new"),
    path("assets/<int:pk>/", views.asset, name="asset"),
    path("assets/<int:pk>/custody/", views.asset_custody, name="asset_custody"),
    path("handovers/", views.handovers, name="handovers"),
    path("handovers/new/", views.handover_new, name="handover_new"),
    path("handovers/<int:pk>/", views.handover, name="handover"),
    path("handovers/<int:pk>/sign/", views.handover_sign, name="handover_sign"),
    path("receptions/", views.receptions, name="receptions"),
    path("receptions/new/", views.reception_new, name="reception_new"),
    path("receptions/<int:pk>/", views.reception, name="reception"),
    path(
        "receptions/<int:pk>/withdraw/",
        views.reception_withdraw,
        name="reception_withdraw",
    ),
    path(
        "receptions/<int:pk>/settle/", views.reception_settle, name="reception_settle"
    ),
    path("receptions/<int:pk>/print/", views.reception_print, name="reception_print"),
    path("statements/", views.statements, name="statements"),
    path("statements/income/", views.statement_income, name="statement_income"),
    path(
        "statements/generate/",
        views.statements_generate,
        name="statements_generate",
    ),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("statements/<int:pk>/send/", views.statement_send, name="statement_send"),
    path("statements/<int:pk>/print/", views.statement_print, name="statement_print"),
    path("statements/<int:pk>/xlsx/", views.statement_xlsx, name="statement_xlsx"),
]
