"""Admin building blocks every chapter uses."""

from contextlib import nullcontext
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

# Set on the request while a historical version is rendered: every field read-only.
_READING_HISTORY = "_bureau_reading_history"


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history pages honour get_queryset (the scope) and
    are read-only for everyone.

    simple-history falls back to the history table when get_queryset does not hold
    the object, so another section's record would show its whole history by URL.
    Here a record outside the user's scope is 404 on its history pages too.

    simple-history's version page saves the form posted to it (a "revert") without
    asking for the change permission, and renders foreign keys as drop-downs of
    every person and user. Here that page only ever shows a version: a POST is 405
    and every field is read-only (a foreign key shows as its name). Nobody reverts
    from history: who may change a record does so on its change form or the
    chapter's own page, through the chapter's service and its rules.
    """

    def _in_scope_or_404(self, request, object_id):
        pk = unquote(str(object_id))
        try:
            found = self.get_queryset(request).filter(pk=pk).exists()
        except (ValueError, TypeError):
            found = False
        if not found:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not str(version_id).isdigit():
            raise Http404
        self._in_scope_or_404(request, object_id)
        setattr(request, _READING_HISTORY, True)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not getattr(request, _READING_HISTORY, False):
            return readonly
        # Every field the page would show, asked with the flag off (get_fieldsets
        # asks get_readonly_fields again).
        setattr(request, _READING_HISTORY, False)
        try:
            shown = flatten_fieldsets(self.get_fieldsets(request, obj))
        finally:
            setattr(request, _READING_HISTORY, True)
        return readonly + [name for name in shown if name not in readonly]

    def revert_disabled(self, request, obj=None):
        return True


class SuperuserOnlyAdminMixin:
    """The admin of a third-party app (users and groups, sign-in lockouts, the
    beat schedule): only a superuser opens, adds, changes or deletes there, whatever
    permissions a group may be given one day (and only what the app's own admin
    allows: axes' logs stay without an add page)."""

    @staticmethod
    def _superuser(request):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._superuser(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._superuser(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._superuser(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request) and super().has_delete_permission(request, obj)


def _is_project_app(app_config) -> bool:
    path = Path(app_config.path).resolve()
    return path.is_relative_to(Path(settings.BASE_DIR).resolve()) and not (
        {"site-packages", "dist-packages"} & set(path.parts)
    )


def keep_third_party_admins_to_superusers(site) -> None:
    """Wrap every registered admin of an app that is not the project's own in
    SuperuserOnlyAdminMixin. Called once every admin module is imported."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, SuperuserOnlyAdminMixin):
            continue
        if _is_project_app(apps.get_app_config(model._meta.app_label)):
            continue
        admin_class = type(model_admin)
        wrapped = type(
            f"SuperuserOnly{admin_class.__name__}",
            (SuperuserOnlyAdminMixin, admin_class),
            {"__module__": admin_class.__module__},
        )
        site.unregister(model)
        site.register(model, wrapped)


def form_action(
    model_admin,
    request,
    queryset,
    *,
    form_class,
    title,
    apply,
    error_class,
    done_message,
    initial=None,
    label=str,
    prepare=None,
):
    """An admin action that first asks for a form (a comment, a reference, a date),
    then applies `apply(obj, cleaned_data)` — a service call — to each selected record.

    Records the service refuses are reported one by one with its message; the count
    of records changed is reported too. A form that does not validate (e.g. an
    unknown decision) is shown again with its errors, as HTTP 400, and nothing is
    applied.

    `prepare(queryset)`: the records to apply to, read inside one transaction that
    holds every application (each in its own savepoint: a refused one changes
    nothing and the others stand), e.g. read and locked in one query.
    """
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            done, failures = 0, []
            with transaction.atomic() if prepare else nullcontext():
                for obj in prepare(queryset) if prepare else queryset:
                    try:
                        with transaction.atomic() if prepare else nullcontext():
                            apply(obj, form.cleaned_data)
                        done += 1
                    except error_class as exc:
                        failures.append(f"{label(obj)}: {exc}")
            model_admin.message_user(
                request,
                done_message % {"n": done},
                messages.SUCCESS if done else messages.WARNING,
            )
            for failure in failures:
                model_admin.message_user(request, failure, messages.ERROR)
            return None
    else:
        form = form_class(initial=initial or {})
    opts = model_admin.model._meta
    return TemplateResponse(
        request,
        "admin/form_action.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": opts,
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": request.POST.get("action"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
            "changelist_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_changelist"
            ),
        },
        # A posted form that is refused (an unknown decision, a refusal without a
        # reason) is a 400: shown again with its errors, nothing applied.
        status=400 if form.is_bound else 200,
    )
