from django.urls import path

from window import views

app_name = "window"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:pk>/", views.contact, name="contact"),
    path("contacts/<int:pk>/take/", views.contact_take, name="contact_take"),
    path("contacts/<int:pk>/answer/", views.contact_answer, name="contact_answer"),
    path("matters/<int:pk>/", views.matter, name="matter"),
    path("matters/<int:pk>/handle/", views.matter_handle, name="matter_handle"),
    path(
        "matters/<int:pk>/appointment/",
        views.appointment_book,
        name="appointment_book",
    ),
    path(
        "appointments/<int:pk>/close/",
        views.appointment_close,
        name="appointment_close",
    ),
    path("slips/<int:pk>/", views.slip_print, name="slip"),
    path("receipts/<int:pk>/", views.receipt_print, name="receipt"),
    path("log/", views.log, name="log"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", views.complaint, name="complaint"),
    path(
        "complaints/<int:pk>/decide/",
        views.complaint_decide,
        name="complaint_decide",
    ),
    path("complaints/<int:pk>/reply/", views.complaint_reply, name="complaint_reply"),
    path("windows/", views.windows, name="windows"),
    path("windows/<int:pk>/handover/", views.handover, name="handover"),
]
