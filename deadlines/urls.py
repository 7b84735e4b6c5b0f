from django.urls import path

from deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
