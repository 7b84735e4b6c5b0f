from django.urls import path

from handovers import views

app_name = "handovers"

urlpatterns = [
    path("", views.handover_list, name="list"),
    path("new/", views.handover_new, name="new"),
    path("<int:pk>/", views.handover_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.handover_acknowledge, name="acknowledge"),
    path("<int:pk>/cancel/", views.handover_cancel, name="cancel"),
]
