"""Attachments in the admin.

`AttachmentInline` is the generic inline any chapter's admin adds to show a record's
attachments (download links) and, for who may attach (the chapter's `may_attach`,
on an admin page the user may change), to upload through the service. Rows are
never edited or deleted here: removal is soft, through attachments.services.

`AttachmentAdmin` is the administrators' audit list: every file, removed ones too,
with its SHA-256 and how many other records carry the same content.
"""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import (
    BaseGenericInlineFormSet,
    GenericTabularInline,
)
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from attachments import selectors, services
from attachments.forms import AttachmentField
from attachments.models import Attachment
from attachments.registry import owner_for
from bureau.access import is_administrator
from bureau.admin_base import ScopedHistoryAdmin


def _download_link(obj):
    if not obj or not obj.pk:
        return "—"
    return format_html(
        '<a href="{}" download>{}</a>',
        reverse("attachments:download", args=[obj.pk]),
        obj.name,
    )


def _uploader(obj):
    person = getattr(obj.uploaded_by, "person", None)
    return person.name if person else obj.uploaded_by.get_username()


class AttachmentInlineFormSet(BaseGenericInlineFormSet):
    request = None  # set by AttachmentInline.get_formset

    def save_new(self, form, commit=True):
        return services.attachment_add(
            by=self.request.user,
            obj=self.instance,
            file=form.cleaned_data["upload"],
            purpose=form.cleaned_data.get("purpose") or "",
        )

    def save_existing(self, form, obj, commit=True):
        return obj  # never edited here

    def delete_existing(self, obj, commit=True):
        return None  # removal is soft, through the service


class AttachmentInline(GenericTabularInline):
    model = Attachment
    formset = AttachmentInlineFormSet
    extra = 0
    can_delete = False
    verbose_name = _("attachment")
    verbose_name_plural = _("attachments")

    def get_queryset(self, request):
        return selectors.with_people(super().get_queryset(request).current())

    def get_fields(self, request, obj=None):
        return ["file_link", "purpose_label", "size_label", "uploader", "uploaded_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        can_add = obj is not None and self.has_add_permission(request, obj)
        owner = owner_for(self.parent_model)
        fields = {}
        if can_add:
            fields["upload"] = AttachmentField(label=_("File"))
            if owner and owner.purposes:
                fields["purpose"] = forms.ChoiceField(
                    label=_("Purpose"), choices=list(owner.purposes)
                )
        form = type(
            "AttachmentInlineForm",
            (forms.ModelForm,),
            {**fields, "Meta": type("Meta", (), {"model": Attachment, "fields": []})},
        )
        kwargs["form"] = form
        kwargs["fields"] = []
        kwargs["extra"] = 1 if can_add else 0
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"request": request})

    def get_fieldsets(self, request, obj=None):
        fields = self.get_fields(request, obj)
        if obj is not None and self.has_add_permission(request, obj):
            fields = fields + ["upload"]
            owner = owner_for(self.parent_model)
            if owner and owner.purposes:
                fields.append("purpose")
        return [(None, {"fields": fields})]

    def has_add_permission(self, request, obj=None):
        return obj is not None and selectors.may_attach(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The parent admin has scoped the record already.
        return True

    @admin.display(description=_("file"))
    def file_link(self, obj):
        return _download_link(obj)

    @admin.display(description=_("purpose"))
    def purpose_label(self, obj):
        if not obj or not obj.pk:
            return ""
        owner = (
            owner_for(obj.content_type.model_class()) if obj.content_type_id else None
        )
        return owner.purpose_label(obj.purpose) if owner else obj.purpose

    @admin.display(description=_("size"))
    def size_label(self, obj):
        return filesizeformat(obj.size) if obj and obj.pk else ""

    @admin.display(description=_("uploaded by"))
    def uploader(self, obj):
        return _uploader(obj) if obj and obj.pk else ""


class RemovedFilter(admin.SimpleListFilter):
    title = _("removed")
    parameter_name = "removed"

    def lookups(self, request, model_admin):
        return [("no", _("Current")), ("yes", _("Removed"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(removed_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(removed_at__isnull=False)
        return queryset


@admin.register(Attachment)
class AttachmentAdmin(ScopedHistoryAdmin):
    list_display = [
        "name",
        "content_type",
        "object_id",
        "kind",
        "size",
        "uploaded_by",
        "uploaded_at",
        "removed_at",
        "same_elsewhere",
    ]
    list_filter = ["kind", RemovedFilter]
    search_fields = ["name", "sha256"]
    show_full_result_count = False
    readonly_fields = [
        "file_link",
        "content_type",
        "object_id",
        "purpose",
        "kind",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "removed_at",
        "removed_by",
        "removal_reason",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        if not is_administrator(request.user):
            return Attachment.objects.none()
        others = (
            Attachment.objects.filter(sha256=OuterRef("sha256"))
            .exclude(
                content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
            )
            .order_by()
            .values("sha256")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .select_related("content_type", "uploaded_by", "removed_by")
            .annotate(elsewhere=Coalesce(Subquery(others), 0))
        )

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def file_link(self, obj):
        return _download_link(obj)

    @admin.display(description=_("same file elsewhere"), ordering="elsewhere")
    def same_elsewhere(self, obj):
        return obj.elsewhere or ""
