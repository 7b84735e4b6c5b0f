"""The deciders' desk: what waits for me, decide in bulk with a comment, the chain.

Every queryset comes from approvals.selectors, so another section's request is
neither listed nor reachable by its URL (404).
"""

from functools import partial

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import label_for_field
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from approvals import selectors, services
from approvals.forms import (
    DecisionForm,
    ExternalDecisionForm,
    MeetingDecisionForm,
    RefusalForm,
)
from approvals.hooks import subject_panels
from approvals.models import ApprovalRequest, ApprovalStep, Notification
from approvals.notify import subject_url
from bureau.access import person_of
from bureau.admin_base import ScopedHistoryAdmin, form_action
from bureau.admin_keyset import KeysetAdminMixin, KeysetChangeList, beyond


class WaitingFilter(admin.SimpleListFilter):
    title = _("show")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        choices = [("all", _("Everything I may see"))]
        if request.user.has_perm("approvals.record_external_approvalrequest"):
            choices.insert(0, ("external", _("County decisions to record")))
        if request.user.has_perm("approvals.record_meeting_approvalrequest"):
            choices.insert(0, ("meeting", _("Meeting decisions to record")))
        return choices

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Waiting for my decision"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup}
                ),
                "display": title,
            }

    def queryset(self, request, queryset):
        # The pending page is a subset of what the user may see: it is served
        # straight from the (approver, status) index, not through the wider scope.
        if self.value() == "all":
            return queryset
        if self.value() == "external":
            if not request.user.has_perm("approvals.record_external_approvalrequest"):
                return queryset.none()
            return with_related(selectors.waiting_for_county())
        if self.value() == "meeting":
            if not request.user.has_perm("approvals.record_meeting_approvalrequest"):
                return queryset.none()
            return with_related(selectors.waiting_for_meeting())
        person = person_of(request.user)
        return with_related(selectors.waiting_for(person, timezone.localdate()))


def with_related(queryset):
    """What the list and the detail show, in a constant number of queries."""
    return queryset.select_related(
        "requester", "requester__section", "requester__unit"
    ).prefetch_related(
        Prefetch(
            "steps",
            queryset=ApprovalStep.objects.select_related(
                "approver", "acting_for", "decided_by"
            ).order_by("order"),
        )
    )


def chain_html(approval: ApprovalRequest) -> str:
    rows = []
    for step in approval.steps.all():
        acting = (
            format_html(" ({}: {})", gettext("acting for"), step.acting_for.name)
            if step.acting_for_id
            else ""
        )
        decided_by = (
            format_html(" · {} {}", gettext("entered by"), step.decided_by.name)
            if step.decided_by_id and step.decided_by_id != step.approver_id
            else ""
        )
        rows.append(
            (
                step.order,
                step.get_action_display(),
                step.relation_label,
                format_html("{}{}", step.who, acting),
                step.get_decision_display() or step.get_status_display(),
                format_html(
                    "{}{}{}{}",
                    timezone.localtime(step.decided_at).strftime("%Y-%m-%d %H:%M")
                    if step.decided_at
                    else "",
                    decided_by,
                    format_html(" · {}", step.reference or step.meeting_decision)
                    if step.reference or step.meeting_decision
                    else "",
                    format_html(
                        " ({} {})",
                        gettext("county decision of"),
                        step.external_decided_on.isoformat(),
                    )
                    if step.external_decided_on
                    else "",
                ),
                step.comment,
            )
        )
    head = format_html(
        "<tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
        "<th>{}</th></tr>",
        gettext("Action"),
        gettext("Post"),
        gettext("Approver"),
        pgettext("approval", "Decision"),
        gettext("When"),
        gettext("Comment"),
    )
    body = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td></tr>",
        rows,
    )
    return format_html('<table class="approval-chain">{}{}</table>', head, body)


class WindowedChangeList(KeysetChangeList):
    """ "Everything I may see" for a head or the director is half a million
    requests at a million: sorting them all to show 50 (and then counting them)
    took seconds. Here the list's order is walked in windows of the whole table
    (the `approval_request_recent` index), and only each window's requests are
    checked against the scope (by request id); a page is found within the
    first window or two. After `MAX_WINDOWS` windows with too few visible (a
    person who sees few requests), the rest comes from the scope's own query,
    which is small for such a person. Exact either way: the same rows in the same
    order as the scope's query."""

    WINDOW = 500
    MAX_WINDOWS = 8

    def fetch(self, request, condition, newer, limit):
        if request.GET.get(WaitingFilter.parameter_name) != "all":
            return super().fetch(request, condition, newer, limit)
        fields = self.model_admin.keyset_fields
        order = ["-submitted_at", "-pk"]
        if newer:
            order = [f.removeprefix("-") for f in order]
        base = ApprovalRequest.objects.order_by(*order)
        found: list[int] = []
        for _i in range(self.MAX_WINDOWS):
            window = list(base.filter(condition).values_list(*fields)[: self.WINDOW])
            if not window:
                break
            ids = self._visible_ids(request, [pk for _at, pk in window], order)
            found += ids[: limit - len(found)]
            if len(found) >= limit or len(window) < self.WINDOW:
                return self._rows(request, found, order)
            condition = beyond(fields, window[-1], older=not newer)
        else:
            rest = self.queryset.filter(condition).order_by(*order)
            found += list(
                rest.prefetch_related(None)
                .select_related(None)
                .values_list("pk", flat=True)[: limit - len(found)]
            )
        return self._rows(request, found, order)

    def _scoped(self, request, within):
        # The admin's scope, restricted to `within`, with the list's filters.
        request._approvals_within = within
        try:
            self.root_queryset = self.model_admin.get_queryset(request)
            return self.get_queryset(request)
        finally:
            del request._approvals_within

    def _visible_ids(self, request, window, order):
        scoped = self._scoped(request, window)
        return list(
            scoped.order_by(*order)
            .prefetch_related(None)
            .select_related(None)
            .values_list("pk", flat=True)
        )

    def _rows(self, request, ids, order):
        if not ids:
            return []
        return list(self._scoped(request, ids).order_by(*order))

    def rows_html(self):
        """The result table, written in one pass (the admin's `result_list` tag
        formats each of the 400 cells through several layers: about 40% of the
        page's time at a million requests). Same markup: the action checkboxes,
        the first column linking to the request, the admin's CSS classes."""
        admin_ = self.model_admin
        results = self.result_list
        if not results:
            return ""
        columns = [
            ("summary", True),
            ("requester", False),
            ("subject_type", False),
            ("status", False),
            ("where", False),
            ("submitted_at", False),
            ("decision_page", False),
        ]
        head = [
            '<th scope="col" class="action-checkbox-column"><div class="text">'
            '<span><input type="checkbox" id="action-toggle" aria-label="{}">'
            '</span></div><div class="clear"></div></th>'.format(
                escape(gettext("Select all objects on this page for an action"))
            )
        ]
        for name, _link in columns:
            label = label_for_field(name, self.model, admin_)
            head.append(
                f'<th scope="col" class="column-{name}"><div class="text"><span>'
                f"{escape(capfirst(label))}</span></div>"
                '<div class="clear"></div></th>'
            )
        filters = self.preserved_filters
        change = reverse("admin:approvals_approvalrequest_change", args=[0])
        change_prefix, change_suffix = change.rsplit("/0/", 1)
        detail = reverse("approvals:detail", args=[0])
        detail_prefix, detail_suffix = detail.rsplit("/0/", 1)
        select_label = gettext("Select this object for an action - {}")
        open_label = escape(gettext("Open"))
        statuses = dict(ApprovalRequest.Status.choices)
        body = []
        for obj in results:
            pk = obj.pk
            summary = escape(obj.summary)
            href = f"{change_prefix}/{pk}/{change_suffix}"
            if filters:
                href = add_preserved_filters(
                    {"preserved_filters": filters, "opts": self.opts}, href
                )
            submitted = (
                formats.localize(timezone.template_localtime(obj.submitted_at))
                if obj.submitted_at
                else admin_.get_empty_value_display()
            )
            body.append(
                "<tr>"
                '<td class="action-checkbox"><input type="checkbox" '
                f'name="{helpers.ACTION_CHECKBOX_NAME}" value="{pk}" '
                f'class="action-select" aria-label="{escape(select_label.format(obj.summary))}">'
                "</td>"
                f'<th class="field-summary"><a href="{escape(href)}">{summary}</a></th>'
                f'<td class="field-requester nowrap">{escape(obj.requester)}</td>'
                f'<td class="field-subject_type">{escape(admin_.subject_type(obj))}</td>'
                f'<td class="field-status">{escape(statuses.get(obj.status, obj.status))}</td>'
                f'<td class="field-where">{escape(admin_.where(obj))}</td>'
                f'<td class="field-submitted_at nowrap">{escape(submitted)}</td>'
                f'<td class="field-decision_page"><a href="{detail_prefix}/{pk}/'
                f'{detail_suffix}">{open_label}</a></td>'
                "</tr>\n"
            )
        return mark_safe(  # noqa: S308 - every text above is escaped
            '<div class="results"><table id="result_list"><thead><tr>'
            + "".join(head)
            + "</tr></thead><tbody>"
            + "".join(body)
            + "</tbody></table></div>"
        )


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(KeysetAdminMixin, ScopedHistoryAdmin):
    list_display = [
        "summary",
        "requester",
        "subject_type",
        "status",
        "where",
        "submitted_at",
        "decision_page",
    ]
    # No filter on "kind": its choices would need a DISTINCT over everything visible.
    list_filter = [WaitingFilter, "status"]
    search_fields = ["summary", "requester__name"]
    # Paged by key in this order, never counted (bureau.admin_keyset): at a
    # million requests a page costs the same as the first.
    keyset_fields = ("submitted_at", "pk")
    list_per_page = 50
    actions = [
        "approve_selected",
        "refuse_selected",
        "record_county_decision",
        "record_meeting_decision",
    ]
    readonly_fields = [
        "summary",
        "subject_type",
        "requester",
        "status",
        "submitted_at",
        "finished_at",
        "subject_link",
        "chain",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return with_related(
            selectors.approval_requests_visible_to(
                request.user,
                on=timezone.localdate(),
                within=getattr(request, "_approvals_within", None),
            )
        )

    def get_changelist(self, request, **kwargs):
        return WindowedChangeList

    def get_action_queryset(self, request, selected):
        # The scope looked up for the ticked requests only (by request id), not
        # over the half million a head may see.
        # No related rows either: the decision service reads the request and its
        # steps itself, under lock.
        ids = [int(pk) for pk in selected if pk.isdigit() and len(pk) < 19]
        return selectors.approval_requests_visible_to(
            request.user, on=timezone.localdate(), within=ids
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        person = person_of(request.user)
        waits = (
            object_id.isdigit()
            and selectors.waiting_for(person, timezone.localdate())
            .filter(pk=int(object_id))
            .exists()
        )
        # The subject's material (e.g. its attachments) shown beside the chain:
        # the decider does not leave the page to read it.
        approval = (
            self.get_queryset(request).filter(pk=int(object_id)).first()
            if object_id.isdigit()
            else None
        )
        panels = subject_panels(request, [approval])[approval.pk] if approval else []
        return super().change_view(
            request,
            object_id,
            form_url,
            {
                **(extra_context or {}),
                "waits_for_me": waits,
                "subject_panels": panels,
            },
        )

    def has_decide_permission(self, request):
        return request.user.has_perm("approvals.decide_approvalrequest")

    def has_record_external_permission(self, request):
        return request.user.has_perm(
            "approvals.record_external_approvalrequest"
        ) and selectors.can_record_external(request.user)

    def has_record_meeting_permission(self, request):
        return selectors.can_record_meeting(request.user)

    @admin.display(description=_("subject type"))
    def subject_type(self, obj):
        # Content types are cached per process: no query per row.
        model = ContentType.objects.get_for_id(obj.content_type_id).model_class()
        return model._meta.verbose_name if model else obj.kind

    @admin.display(description=_("waiting at"))
    def where(self, obj):
        step = obj.current_step()
        if step is None:
            return "—"
        return f"{step.order}. {step.get_action_display()} · {step.who}"

    @admin.display(description=_("chain"))
    def chain(self, obj):
        return chain_html(obj)

    @admin.display(description=_("decision page"))
    def decision_page(self, obj):
        # The same page the home page's "waiting for me" leads to.
        return format_html(
            '<a href="{}">{}</a>',
            reverse("approvals:detail", args=[obj.pk]),
            gettext("Open"),
        )

    @admin.display(description=_("subject"))
    def subject_link(self, obj):
        return format_html('<a href="{}">{}</a>', subject_url(obj), obj.summary)

    def _decide(self, request, queryset, *, decision, form_class, title):
        def apply(approval, cleaned):
            services.approval_decide(
                request=approval,
                by=request.user,
                decision=decision,
                comment=cleaned["comment"],
            )

        return form_action(
            self,
            request,
            queryset,
            form_class=form_class,
            title=title,
            apply=apply,
            error_class=services.ApprovalError,
            done_message=gettext("%(n)s requests decided."),
            label=lambda approval: approval.summary,
            # The ticked requests within the user's scope, read and locked in one
            # query; each decision then reads only its steps.
            prepare=services.lock_for_decision,
        )

    @admin.action(permissions=["decide"], description=_("Agree / approve selected"))
    def approve_selected(self, request, queryset):
        return self._decide(
            request,
            queryset,
            decision="approve",
            form_class=DecisionForm,
            title=gettext("Agree / approve"),
        )

    @admin.action(permissions=["decide"], description=_("Refuse selected"))
    def refuse_selected(self, request, queryset):
        return self._decide(
            request,
            queryset,
            decision="refuse",
            form_class=RefusalForm,
            title=gettext("Refuse"),
        )

    @admin.action(
        permissions=["record_external"],
        description=_("Record the county's decision"),
    )
    def record_county_decision(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=ExternalDecisionForm,
            initial={"decided_on": timezone.localdate()},
            title=gettext("Record the county's decision"),
            apply=lambda approval, cleaned: services.approval_record_external(
                request=approval, by=request.user, **cleaned
            ),
            error_class=services.ApprovalError,
            done_message=gettext("%(n)s county decisions recorded."),
            label=lambda approval: approval.summary,
        )

    @admin.action(
        permissions=["record_meeting"],
        description=_("Record the meeting's decision"),
    )
    def record_meeting_decision(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=partial(MeetingDecisionForm, user=request.user),
            title=gettext("Record the meeting's decision"),
            apply=lambda approval, cleaned: services.approval_record_meeting(
                request=approval, by=request.user, **cleaned
            ),
            error_class=services.ApprovalError,
            done_message=gettext("%(n)s meeting decisions recorded."),
            label=lambda approval: approval.summary,
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at", "emailed_at"]
    list_select_related = ["recipient"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
