"""Admin pages of documents: the types of document are data the administrator
keeps; the registers are read here (scoped by the selectors, history read-only) and
changed on the documents pages through the services."""

from django.contrib import admin
from django.utils import timezone

from bureau.access import is_administrator
from bureau.admin_base import ScopedHistoryAdmin
from documents import selectors
from documents.models import (
    AccessLog,
    ArchiveEntry,
    DocumentType,
    Hop,
    IncomingDocument,
    Instruction,
    Loan,
    MonthlyReport,
    OutgoingDocument,
    PrintJob,
    SupervisionTask,
    TaskNote,
)
from documents.services import secret_access_log


class ReadOnlyAdmin(ScopedHistoryAdmin):
    """Written by the services only (the documents pages): no add, change, delete."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(DocumentType)
class DocumentTypeAdmin(ScopedHistoryAdmin):
    list_display = ["name", "order", "is_active"]

    def has_add_permission(self, request):
        return is_administrator(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        # Documents hang on their type: retire it (in use: off).
        return False


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "doc_number",
        "title",
        "doc_type",
        "level",
        "urgency",
        "secrecy",
        "section",
        "drafter",
        "status",
        "created_at",
    ]
    list_filter = ["status", "level", "urgency", "doc_type"]
    search_fields = ["title", "doc_number"]
    list_select_related = ["doc_type", "section", "drafter"]

    def get_queryset(self, request):
        return selectors.outgoing_visible_to(
            request.user, on=timezone.localdate()
        ).select_related("doc_type", "section", "drafter")


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Who viewed which secret document, when: read-only, for the clerk and the
    administrator."""

    list_display = ["at", "user", "what", "content_type", "object_id"]
    list_filter = ["what", "content_type"]
    list_select_related = ["user", "content_type"]

    def get_queryset(self, request):
        if is_administrator(request.user) or selectors.is_document_clerk(request.user):
            return super().get_queryset(request)
        return AccessLog.objects.none()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HopInline(admin.TabularInline):
    model = Hop
    fields = [
        "person",
        "purpose",
        "note",
        "sent_at",
        "done_at",
        "withdrawn_at",
        "result",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IncomingDocument)
class IncomingDocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "reg_number",
        "title",
        "sender",
        "their_number",
        "received_on",
        "urgency",
        "secrecy",
        "status",
    ]
    list_filter = ["status", "urgency", "secrecy"]
    search_fields = ["title", "reg_number", "their_number", "sender"]
    inlines = [HopInline]

    def get_queryset(self, request):
        return selectors.incoming_visible_to(request.user, on=timezone.localdate())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        incoming = self.get_queryset(request).filter(pk=object_id).first()
        if incoming is not None:
            secret_access_log(obj=incoming, by=request.user)
        return response


@admin.register(Hop)
class HopAdmin(ReadOnlyAdmin):
    list_display = [
        "incoming",
        "person",
        "purpose",
        "sent_at",
        "done_at",
        "withdrawn_at",
    ]
    list_filter = ["purpose"]
    list_select_related = ["incoming", "person"]

    def get_queryset(self, request):
        return selectors.hops_visible_to(request.user)


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyAdmin):
    list_display = ["incoming", "leader", "at"]
    list_select_related = ["incoming", "leader"]

    def get_queryset(self, request):
        return Instruction.objects.filter(
            incoming__in=selectors.incoming_visible_to(request.user).values("pk")
        )


@admin.register(SupervisionTask)
class SupervisionTaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "source", "section", "supervisor", "due_on", "status"]
    list_filter = ["status", "source", "section"]
    search_fields = ["title"]
    list_select_related = ["section", "supervisor"]

    def get_queryset(self, request):
        return selectors.tasks_visible_to(request.user)


@admin.register(TaskNote)
class TaskNoteAdmin(ReadOnlyAdmin):
    list_display = ["task", "kind", "by", "at"]
    list_select_related = ["task", "by"]

    def get_queryset(self, request):
        return TaskNote.objects.filter(
            task__in=selectors.tasks_visible_to(request.user).values("pk")
        )


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ["month", "section", "sent_by", "sent_at"]
    list_filter = ["month", "section"]
    list_select_related = ["section", "sent_by"]

    def get_queryset(self, request):
        return selectors.monthly_reports_visible_to(request.user)


@admin.register(ArchiveEntry)
class ArchiveEntryAdmin(ReadOnlyAdmin):
    list_display = ["year", "item_no", "kind", "number", "title", "retention_years"]
    list_filter = ["year", "kind"]
    search_fields = ["title", "number"]

    def get_queryset(self, request):
        return selectors.archive_visible_to(request.user)


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ["entry", "borrower", "lent_on", "due_on", "returned_on"]
    list_select_related = ["entry", "borrower"]

    def get_queryset(self, request):
        return selectors.loans_visible_to(request.user)


@admin.register(PrintJob)
class PrintJobAdmin(ReadOnlyAdmin):
    list_display = ["done_on", "requested_by", "section", "what", "copies", "reason"]
    list_filter = ["kind", "secrecy", "section"]
    list_select_related = ["requested_by", "section"]

    def get_queryset(self, request):
        return selectors.print_jobs_visible_to(request.user)
