"""Admin building blocks every chapter uses."""

from django.http import Http404
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
