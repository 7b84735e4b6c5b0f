"""Deadlines in the admin: read-only, scoped by the selector (a deadline of someone
outside the user's charge is neither listed nor reachable by URL). Deadlines change
only through the owning chapter's services and the engine."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bureau.admin_base import ScopedHistoryAdmin
from deadlines import registry, selectors
from deadlines.models import Deadline, DeadlineEvent, DeadlineNotice


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = DeadlineEvent
    fields = readonly_fields = ["kind", "on", "reason", "by", "at"]


class NoticeInline(ReadOnlyInline):
    model = DeadlineNotice
    fields = readonly_fields = ["kind", "due_date", "recipient", "sent_on"]


class KindFilter(admin.SimpleListFilter):
    """The kinds by their labels (the key, "leave.return", is for code)."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.key, kind.label) for kind in registry.kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Deadline)
class DeadlineAdmin(ScopedHistoryAdmin):
    list_display = [
        "label",
        "kind_display",
        "rule_ref",
        "responsible",
        "start",
        "due_date",
        "state",
        "light_display",
    ]
    list_filter = ["state", KindFilter, "day_type"]
    search_fields = ["label", "responsible__name"]
    date_hierarchy = "due_date"
    list_select_related = ["responsible"]
    inlines = [EventInline, NoticeInline]
    fields = readonly_fields = [
        "kind_display",
        "label",
        "rule_ref",
        "legal_basis",
        "start",
        "policy_id",
        "length",
        "day_type",
        "remind_days",
        "escalate_to",
        "remind_from",
        "due_date",
        "responsible",
        "section",
        "unit",
        "state",
        "closed_on",
        "opened_at",
    ]

    @admin.display(description=_("rule"), ordering="rule")
    def rule_ref(self, obj):
        # Rule IDs are help text (docs/new_chapter.md), never a column's label.
        return format_html('<small class="help">{}</small>', obj.rule)

    def get_queryset(self, request):
        return selectors.deadlines_visible_to(request.user).select_related(
            "responsible", "section", "unit"
        )

    @admin.display(description=_("kind"))
    def kind_display(self, obj):
        return obj.kind_label

    @admin.display(description=_("traffic light"))
    def light_display(self, obj):
        light = obj.light_on(timezone.localdate())
        return {
            "red": _("Overdue"),
            "yellow": _("Due soon"),
            "green": _("On track"),
            "paused": _("Paused"),
        }.get(light, "—")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
