"""Admin pages, scoped like every page: get_queryset goes through the selectors, so
another person's record is a 404 by URL too. Outcomes are written by the rules only
(no add, no change); revisions are read-only history."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bureau.access import person_of
from bureau.admin_base import ScopedHistoryAdmin
from discipline import registry, selectors, services
from discipline.models import (
    Appraisal,
    Outcome,
    OutcomeRevision,
    Violation,
    WindowAppraisal,
)


class ScopedAdmin(ScopedHistoryAdmin):
    selector = None

    def get_queryset(self, request):
        return (
            type(self)
            .selector(request.user)
            .select_related("person__section", "person__unit")
        )


class KindFilter(admin.SimpleListFilter):
    """Kinds by their label in the current language, not their code."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(k.code, registry.label_of(k.code)) for k in registry.all_kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class LadderFilter(admin.SimpleListFilter):
    title = _("ladder")
    parameter_name = "ladder"

    def lookups(self, request, model_admin):
        return [
            (ladder.code, registry.ladder_label(ladder.code))
            for ladder in registry.ladders()
        ]

    def queryset(self, request, queryset):
        return queryset.filter(ladder=self.value()) if self.value() else queryset


@admin.register(Violation)
class ViolationAdmin(ScopedAdmin):
    selector = staticmethod(selectors.violations_visible_to)
    list_display = [
        "occurred_on",
        "person",
        "kind_label",
        "status",
        "ladder_step",
        "recorded_by",
    ]
    list_filter = ["status", LadderFilter, KindFilter]
    search_fields = ["person__name", "person__employee_no", "evidence", "reference"]
    date_hierarchy = "occurred_on"
    actions = ["uphold", "dismiss"]
    readonly_fields = [
        "person",
        "occurred_on",
        "kind",
        "ladder",
        "status",
        "ladder_step",
        "days",
        "evidence",
        "meeting_decision",
        "reference",
        "source_type",
        "source_id",
        "recorded_by",
        "recorded_at",
        "decided_by",
        "decided_at",
        "decision_note",
        "apology_made_on",
        "apology_note",
    ]

    @admin.display(description=_("kind"))
    def kind_label(self, obj):
        return obj.kind_label

    def has_add_permission(self, request):
        # Findings are recorded on the discipline pages through the service.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return request.user.has_perm("discipline.decide_violation")

    @admin.action(
        permissions=["decide"], description=_("Uphold the selected complaints")
    )
    def uphold(self, request, queryset):
        changed = 0
        for violation in queryset.filter(status=Violation.Status.PENDING):
            services.violation_decide(violation=violation, upheld=True, by=request.user)
            changed += 1
        self.message_user(
            request,
            gettext("%(n)d violation(s) upheld.") % {"n": changed},
            messages.SUCCESS,
        )

    @admin.action(
        permissions=["decide"], description=_("Dismiss the selected complaints")
    )
    def dismiss(self, request, queryset):
        changed = 0
        for violation in queryset.filter(status=Violation.Status.PENDING):
            services.violation_decide(
                violation=violation, upheld=False, by=request.user
            )
            changed += 1
        self.message_user(
            request,
            gettext("%(n)d complaint(s) dismissed.") % {"n": changed},
            messages.SUCCESS,
        )


class OutcomeRevisionInline(admin.TabularInline):
    model = OutcomeRevision
    extra = 0
    can_delete = False
    fields = ["revised_at", "revised_by", "reason", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Outcome)
class OutcomeAdmin(ScopedAdmin):
    selector = staticmethod(selectors.outcomes_visible_to)
    list_display = ["person", "year", "kind", "step", "status", "decision", "rule_ref"]
    list_filter = ["year", "kind", "status"]
    search_fields = ["person__name", "person__employee_no", "decision"]
    inlines = [OutcomeRevisionInline]
    # The idempotency key ("first_inquiry:1:self_criticism") is for code.
    exclude = ["key", "rule"]
    readonly_fields = ["rule_ref"]

    @admin.display(description=_("rule"), ordering="rule")
    def rule_ref(self, obj):
        return format_html('<small class="help">{}</small>', obj.rule)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("violation")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Appraisal)
class AppraisalAdmin(ScopedAdmin):
    selector = staticmethod(selectors.appraisals_visible_to)
    list_display = ["person", "year", "final_grade", "cap_rank", "decided_by"]
    list_filter = ["year", "final_grade"]
    search_fields = ["person__name", "person__employee_no"]

    def has_add_permission(self, request):
        # Through the record page only: the service refuses a grade above the cap.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WindowAppraisal)
class WindowAppraisalAdmin(ScopedAdmin):
    selector = staticmethod(selectors.window_appraisals_visible_to)
    list_display = [
        "person",
        "year",
        "window",
        "self_score",
        "democratic_score",
        "peer_score",
        "composite_score",
        "suggested_grade",
    ]
    list_filter = ["year", "suggested_grade"]
    search_fields = ["person__name", "window"]
    readonly_fields = ["composite_score", "suggested_grade"]
    autocomplete_fields = ["person"]

    def has_add_permission(self, request):
        return selectors.is_inspector(request.user) and super().has_add_permission(
            request
        )

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.person_id == getattr(
            person_of(request.user), "pk", None
        ):
            # Nobody edits their own appraisal (the service refuses it too).
            return False
        return selectors.is_inspector(request.user) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            me = person_of(request.user)
            kwargs["queryset"] = selectors.people_visible_to(request.user).exclude(
                pk=getattr(me, "pk", None)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.window_appraisal_save(
            person=data["person"],
            year=data["year"],
            window=data["window"],
            self_report=data["self_report"],
            self_score=data["self_score"],
            democratic_score=data["democratic_score"],
            peer_score=data["peer_score"],
            duties=data.get("duties", ""),
            attendance_note=data.get("attendance_note", ""),
            by=request.user,
        )
        obj.pk = saved.pk
        obj.composite_score = saved.composite_score
        obj.suggested_grade = saved.suggested_grade
