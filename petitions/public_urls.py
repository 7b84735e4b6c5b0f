from django.urls import path

from petitions import public_views

app_name = "petitions_public"
urlpatterns = [
    path("", public_views.submit, name="submit"),
    path("query/", public_views.query, name="query"),
]
