"""Keyset pagination for the admin's large lists (issue 17).

Django's changelist counts the filtered rows (`paginator.count`) and pages with
OFFSET: at a million approval requests the count and the sort of everything
visible cost seconds. A `KeysetChangeList` fetches one page plus one row, after
(or before) the last row shown, in the list's fixed order — each page costs the
same wherever it is — and never counts. The links are "newer" and "older"; the
footer says how many rows this page shows.

A model admin uses it with `KeysetAdminMixin` and names its order with
`keyset_fields`, e.g. `("submitted_at", "pk")` for "-submitted_at, -pk" (both
descending; the last field must be unique). The order is fixed (`sortable_by` is
empty): a column header does not re-sort a list that is paged by its key.
"""

from __future__ import annotations

import datetime

from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.utils.dateparse import parse_datetime

AFTER_VAR = "after"
BEFORE_VAR = "before"
CURSOR_VARS = (AFTER_VAR, BEFORE_VAR)


def encode_cursor(values) -> str:
    parts = []
    for value in values:
        if isinstance(value, datetime.datetime):
            parts.append(value.isoformat())
        else:
            parts.append(str(value))
    return "~".join(parts)


def decode_cursor(raw: str | None, kinds) -> tuple | None:
    """The cursor's values, or None when it is absent or unreadable (a tampered
    cursor shows the first page, it is not an error page)."""
    if not raw:
        return None
    parts = raw.split("~")
    if len(parts) != len(kinds):
        return None
    values = []
    for part, kind in zip(parts, kinds, strict=True):
        if kind == "datetime":
            try:
                value = parse_datetime(part)
            except ValueError:
                value = None
            if value is None or value.tzinfo is None:
                return None
        else:
            if not part.isdigit() or len(part) > 18:
                return None
            value = int(part)
        values.append(value)
    return tuple(values)


def beyond(fields, values, *, older: bool) -> Q:
    """Rows strictly after `values` in descending order of `fields` (older=True)
    or strictly before them (older=False): the row-value comparison written out,
    so it also holds on SQLite and uses the index on PostgreSQL."""
    op = "lt" if older else "gt"
    condition = Q()
    for i, field in enumerate(fields):
        term = Q(**{f"{field}__{op}": values[i]})
        for j in range(i):
            term &= Q(**{fields[j]: values[j]})
        condition |= term
    return condition


class KeysetChangeList(ChangeList):
    def fetch(self, request, condition: Q, newer: bool, limit: int) -> list:
        """Up to `limit` rows of the list beyond `condition`, in the list's order
        (`newer`: the other way round, nearest first)."""
        queryset = self.queryset.filter(condition)
        if newer:
            queryset = queryset.reverse()
        return list(queryset[:limit])

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        for name in CURSOR_VARS:
            lookup_params.pop(name, None)
        return lookup_params

    def _cursor_kinds(self):
        kinds = []
        for field in self.model_admin.keyset_fields:
            name = self.lookup_opts.pk.name if field == "pk" else field
            internal = self.lookup_opts.get_field(name).get_internal_type()
            kinds.append("datetime" if internal == "DateTimeField" else "int")
        return kinds

    def get_results(self, request):
        fields = self.model_admin.keyset_fields
        per_page = self.list_per_page
        kinds = self._cursor_kinds()
        after = decode_cursor(request.GET.get(AFTER_VAR), kinds)
        before = None if after else decode_cursor(request.GET.get(BEFORE_VAR), kinds)
        if after:
            rows = self.fetch(
                request, beyond(fields, after, older=True), False, per_page + 1
            )
            has_older, has_newer = len(rows) > per_page, True
            rows = rows[:per_page]
        elif before:
            rows = self.fetch(
                request, beyond(fields, before, older=False), True, per_page + 1
            )
            has_newer, has_older = len(rows) > per_page, True
            rows = rows[:per_page][::-1]
            if not has_newer:
                # Back at the newest rows: the first page, with its own URL.
                before = None
        else:
            rows = self.fetch(request, Q(), False, per_page + 1)
            has_older, has_newer = len(rows) > per_page, False
            rows = rows[:per_page]

        def key(obj):
            return encode_cursor(getattr(obj, f) for f in fields)

        self.older_url = (
            self.get_query_string({AFTER_VAR: key(rows[-1])}, [BEFORE_VAR])
            if has_older and rows
            else None
        )
        self.newer_url = None
        if has_newer:
            self.newer_url = (
                self.get_query_string({BEFORE_VAR: key(rows[0])}, [AFTER_VAR])
                if rows and (after or before)
                else self.get_query_string(remove=list(CURSOR_VARS))
            )
        self.result_count = len(rows)
        self.full_result_count = None
        self.show_full_result_count = False
        self.show_admin_actions = True
        self.result_list = rows
        self.can_show_all = False
        # Django's own page links would count the rows: the template of
        # `KeysetAdminMixin` draws "newer" / "older" instead.
        self.multi_page = False
        self.paginator = None


class KeysetAdminMixin:
    """A model admin whose changelist pages by key, never counts, never sorts by
    a column (see the module's docstring)."""

    keyset_fields: tuple[str, ...] = ()
    show_full_result_count = False
    sortable_by = ()

    def get_changelist(self, request, **kwargs):
        return KeysetChangeList

    def get_action_queryset(self, request, selected):
        """The scope an action on the ticked rows `selected` is applied within
        (Django then keeps the ticked ones). A model admin whose scope is costly
        over the whole table narrows it to `selected` here."""
        return self.get_queryset(request)

    def changelist_view(self, request, extra_context=None):
        """An action on rows ticked on the page (a decision's confirm POST) is
        applied to those rows within the user's scope, then redirects: the list
        is not built first only to be thrown away. "Select all" (select_across)
        and everything else go through Django's own view."""
        if (
            request.method == "POST"
            and request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
            and request.POST.get("select_across", "0") == "0"
            and "_save" not in request.POST
        ):
            if not self.has_view_or_change_permission(request):
                raise PermissionDenied
            if self.get_actions(request):
                selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
                response = self.response_action(
                    request, queryset=self.get_action_queryset(request, selected)
                )
                return response or HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)
