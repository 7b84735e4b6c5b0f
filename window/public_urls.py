from django.urls import path

from window import public

app_name = "window_public"
urlpatterns = [
    path("services/", public.services, name="services"),
    path("services/<int:pk>/", public.service, name="service"),
]
