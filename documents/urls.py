from django.urls import path

from documents.views import archives, incoming, outgoing, printroom, supervision

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
    path("incoming/", incoming.incoming_list, name="incoming_list"),
    path("incoming/new/", incoming.incoming_new, name="incoming_new"),
    path("incoming/<int:pk>/", incoming.incoming_detail, name="incoming"),
    path(
        "incoming/<int:pk>/propose/", incoming.incoming_propose, name="incoming_propose"
    ),
    path("incoming/<int:pk>/send/", incoming.incoming_send, name="incoming_send"),
    path("incoming/<int:pk>/close/", incoming.incoming_close, name="incoming_close"),
    path("hops/<int:pk>/", incoming.hop, name="hop"),
    path("hops/<int:pk>/instruct/", incoming.hop_instruct, name="hop_instruct"),
    path("hops/<int:pk>/read/", incoming.hop_read, name="hop_read"),
    path("hops/<int:pk>/handle/", incoming.hop_handle, name="hop_handle"),
    path("hops/<int:pk>/urge/", incoming.hop_urge, name="hop_urge"),
    path("hops/<int:pk>/withdraw/", incoming.hop_withdraw, name="hop_withdraw"),
    path("tasks/", supervision.task_list, name="tasks"),
    path("tasks/new/", supervision.task_new, name="task_new"),
    path("tasks/<int:pk>/", supervision.task_detail, name="task"),
    path("tasks/<int:pk>/note/", supervision.task_note, name="task_note"),
    path("tasks/<int:pk>/report/", supervision.task_report, name="task_report"),
    path("tasks/<int:pk>/check/", supervision.task_check, name="task_check"),
    path("monthly/", supervision.monthly, name="monthly"),
    path("monthly/send/", supervision.monthly_send, name="monthly_send"),
    path("archive/", archives.archive, name="archive"),
    path("archive/export/", archives.archive_export, name="archive_export"),
    path("archive/file/", archives.archive_file, name="archive_file"),
    path("archive/loans/new/", archives.loan_new, name="loan_new"),
    path("loans/", archives.loans, name="loans"),
    path("loans/<int:pk>/return/", archives.loan_return, name="loan_return"),
    path("print/", printroom.print_log, name="print_log"),
    path("print/summary/", printroom.print_summary, name="print_summary"),
]
