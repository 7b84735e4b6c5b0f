from django.urls import path

from documents.views import outgoing

app_name = "documents"
urlpatterns = [
    path("", outgoing.outgoing_list, name="outgoing_list"),
    path("outgoing/new/", outgoing.outgoing_new, name="outgoing_new"),
    path("outgoing/<int:pk>/", outgoing.outgoing_detail, name="outgoing"),
    path("outgoing/<int:pk>/edit/", outgoing.outgoing_edit, name="outgoing_edit"),
    path("outgoing/<int:pk>/submit/", outgoing.outgoing_submit, name="outgoing_submit"),
    path(
        "outgoing/<int:pk>/withdraw/",
        outgoing.outgoing_withdraw,
        name="outgoing_withdraw",
    ),
    path("outgoing/<int:pk>/decide/", outgoing.outgoing_decide, name="outgoing_decide"),
    path(
        "outgoing/<int:pk>/proofread/",
        outgoing.outgoing_proofread,
        name="outgoing_proofread",
    ),
    path("outgoing/<int:pk>/number/", outgoing.outgoing_number, name="outgoing_number"),
    path("outgoing/<int:pk>/file/", outgoing.outgoing_file, name="outgoing_file"),
    path("outgoing/<int:pk>/sheet/", outgoing.outgoing_sheet, name="outgoing_sheet"),
]
