from django.urls import path

from tests.toy_chapter import views

app_name = "toy_cars"
urlpatterns = [
    path("", views.trips, name="trips"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("export.csv", views.export, name="export"),
]
