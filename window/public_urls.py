from django.urls import path

from window import public

app_name = "window_public"
urlpatterns = [
    path("services/", public.services, name="services"),
    path("services/<int:pk>/", public.service, name="service"),
    path("commitments/", public.commitments, name="commitments"),
    path("complaints/new/", public.complaint_new, name="complaint_new"),
    path("complaints/result/", public.complaint_lookup, name="complaint_lookup"),
]
