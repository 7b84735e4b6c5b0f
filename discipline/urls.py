from django.urls import path

from discipline import views

app_name = "discipline"
urlpatterns = [
    path("", views.me, name="me"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("records/", views.records, name="records"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path(
        "people/<int:pk>/appraisal/<int:year>/",
        views.appraisal_sheet,
        name="appraisal_sheet",
    ),
    path(
        "people/<int:pk>/appraisal/<int:year>/decide/",
        views.appraisal_decide,
        name="appraisal_decide",
    ),
    path(
        "people/<int:pk>/window/<int:year>/",
        views.window_appraisal_edit,
        name="window_appraisal",
    ),
    path("violations/new/", views.violation_new, name="violation_new"),
    path(
        "violations/<int:pk>/decide/", views.violation_decide, name="violation_decide"
    ),
    path(
        "violations/<int:pk>/apology/",
        views.violation_apology,
        name="violation_apology",
    ),
    path("outcomes/<int:pk>/decide/", views.outcome_decide, name="outcome_decide"),
    path("outcomes/<int:pk>/revise/", views.outcome_revise, name="outcome_revise"),
]
