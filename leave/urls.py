from django.urls import path

from leave import views

app_name = "leave"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/return/", views.report_back, name="return"),
    path("<int:pk>/form/", views.print_form, name="form"),
]
