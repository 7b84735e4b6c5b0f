"""The register of numbers: read-only for everyone; the one change is voiding, an
action with its own permission that goes through numbering.services.number_void."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bureau.admin_base import ScopedHistoryAdmin, form_action
from numbering import selectors, services
from numbering.forms import VoidForm
from numbering.models import Number
from numbering.registry import all_series, get_series


class SeriesFilter(admin.SimpleListFilter):
    title = _("series")
    parameter_name = "series"

    def lookups(self, request, model_admin):
        return [(s.key, s.label) for s in all_series()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(series=self.value())
        return queryset


@admin.register(Number)
class NumberAdmin(ScopedHistoryAdmin):
    list_display = [
        "text",
        "series_label",
        "year",
        "n",
        "owner_label",
        "taken_at",
        "voided",
        "reason",
    ]
    list_filter = [SeriesFilter, "year", "voided"]
    search_fields = ["text"]
    list_per_page = 100
    show_full_result_count = False
    actions = ["void_selected"]
    fields = [
        "text",
        "series_label",
        "year",
        "n",
        "owner_label",
        "taken_at",
        "taken_by",
        "voided",
        "voided_at",
        "voided_by",
        "reason",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.numbers_visible_to(request.user).select_related(
            "taken_by", "voided_by"
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_void_permission(self, request):
        return services.can_void(request.user)

    @admin.display(description=_("series"), ordering="series")
    def series_label(self, obj):
        spec = get_series(obj.series)
        return spec.label if spec else obj.series

    @admin.display(description=_("record"))
    def owner_label(self, obj):
        # The type and id only: the register shows no record's content (a petition's
        # registration is not for every reader of the register). Content types are
        # cached per process: no query per row.
        model = ContentType.objects.get_for_id(obj.content_type_id).model_class()
        name = model._meta.verbose_name if model else gettext("record")
        return f"{name} #{obj.object_id}"

    @admin.action(permissions=["void"], description=_("Void selected numbers"))
    def void_selected(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=VoidForm,
            title=gettext("Void numbers"),
            apply=lambda number, cleaned: services.number_void(
                number=number, by=request.user, reason=cleaned["reason"]
            ),
            error_class=services.NumberingError,
            done_message=gettext("%(n)s numbers voided."),
            label=lambda number: number.text,
        )
