from django.urls import path

from petitions import views

app_name = "petitions"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.register, name="new"),
    path("export.xlsx", views.export, name="export"),
    path("access-log/", views.access_log, name="access_log"),
    path("extensions/<int:pk>/", views.extension, name="extension"),
    path("statistics/", views.stats, name="stats"),
    path("statistics.xlsx", views.stats_xlsx, name="stats_xlsx"),
    path("work/", views.work, name="work"),
    path("rota/", views.rota, name="rota"),
    path("rota/plan/", views.rota_plan, name="rota_plan"),
    path("rota/<int:pk>/swap/", views.rota_swap, name="rota_swap"),
    path("rota/<int:pk>/reception/", views.reception_new, name="reception_new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/route/", views.route, name="route"),
    path("<int:pk>/object/", views.object_routing, name="object"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/deliver/", views.deliver, name="deliver"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/review-outcome/", views.review_outcome, name="review_outcome"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/owner/", views.owner, name="owner"),
    path("<int:pk>/statement/", views.statement, name="statement"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/summary/", views.summary, name="summary"),
]
