from django.urls import path

from duty import views

app_name = "duty"
urlpatterns = [
    path("", views.roster_list, name="list"),
    path("new/", views.roster_new, name="new"),
    path("<int:pk>/", views.roster_detail, name="roster"),
    path("<int:pk>/edit/", views.roster_edit, name="edit"),
    path("<int:pk>/file/", views.roster_file, name="file"),
    path("<int:pk>/acknowledge/", views.roster_acknowledge, name="acknowledge"),
    path("<int:pk>/swap/", views.swap_new, name="swap_new"),
    path("swaps/<int:pk>/decide/", views.swap_decide, name="swap_decide"),
    path("days/<int:pk>/", views.day_log, name="log"),
    path("arrive/<int:pk>/", views.arrive, name="arrive"),
]
