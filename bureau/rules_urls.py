from django.urls import path

from bureau import rules_views

app_name = "rules"
urlpatterns = [
    path("", rules_views.index, name="index"),
    path("why/<str:kind>/<int:object_id>/", rules_views.why, name="why"),
    path("<str:rule_id>/", rules_views.rule_detail, name="rule"),
]
