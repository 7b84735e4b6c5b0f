"""Admin building blocks every chapter uses."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history pages honour get_queryset (the scope).

    simple-history falls back to the history table when get_queryset does not hold
    the object, so another section's record would show its whole history by URL.
    Here a record outside the user's scope is 404 on its history pages too.
    """

    def _in_scope_or_404(self, request, object_id):
        pk = str(object_id)
        if not pk.isdigit() or not self.get_queryset(request).filter(pk=pk).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


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
):
    """An admin action that first asks for a form (a comment, a reference, a date),
    then applies `apply(obj, cleaned_data)` — a service call — to each selected record.

    Records the service refuses are reported one by one with its message; the count
    of records changed is reported too.
    """
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            done, failures = 0, []
            for obj in queryset:
                try:
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
    )
