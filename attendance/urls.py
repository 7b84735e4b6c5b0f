from django.urls import path

from attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("going-out/", views.going_out_list, name="going_out_list"),
    path("going-out/new/", views.going_out_new, name="going_out_new"),
    path(
        "going-out/<int:pk>/return/",
        views.going_out_return_view,
        name="going_out_return",
    ),
    path("board/", views.board_index, name="board_index"),
    path("board/<int:unit_id>/", views.board, name="board"),
    path("sheet/", views.sheet, name="sheet"),
    path("records/<int:pk>/correct/", views.record_correct_view, name="record_correct"),
    path("away/new/", views.away_new, name="away_new"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("report.csv", views.report_csv, name="report_csv"),
    path("report/exports/", views.report_export_new, name="report_export_new"),
    path(
        "report/exports/<int:pk>/",
        views.report_export_progress,
        name="report_export",
    ),
    path(
        "report/exports/<int:pk>/file.xlsx",
        views.report_export_download,
        name="report_export_download",
    ),
    path("report/close/", views.month_close_view, name="month_close"),
    path("report/reopen/", views.month_reopen_view, name="month_reopen"),
    path("study/", views.study_list, name="study_list"),
    path("study/<int:pk>/", views.study_detail, name="study_detail"),
    path("study/<int:pk>/leave/", views.study_leave_view, name="study_leave"),
    path("study/<int:pk>/take/", views.study_take_view, name="study_take"),
    path("study/<int:pk>/notes/", views.study_notes_view, name="study_notes"),
]
