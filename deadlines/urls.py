from django.urls import path

from deadlines import rules, views

app_name = "deadlines"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pause/", views.hold, {"action": rules.PAUSE}, name="pause"),
    path("<int:pk>/resume/", views.hold, {"action": rules.RESUME}, name="resume"),
]
