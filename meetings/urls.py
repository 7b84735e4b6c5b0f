from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/agenda/", views.meeting_agenda, name="agenda"),
    path("<int:pk>/record/", views.meeting_record, name="record"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("items/", views.item_list, name="items"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/withdraw/", views.item_withdraw, name="item_withdraw"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
]
