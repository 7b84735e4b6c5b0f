"""The home page's window panel and the SVC-4 warning beside a leave on the
approval engine's decision pages."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.board_notices import BoardNotice
from bureau.workdays import is_working_day, working_days_in
from window import rules, selectors
from window.models import Window

# Longest leave the warning looks through, day by day (a longer one is warned
# about over its first days; the approver sees the dates).
HORIZON_DAYS = 62
PARTS = ("am", "pm")


def my_window_panel(request, person, today):
    """Window staff and overseers: the queue's counts, standing in, and windows
    with neither post present (SVC-4). Nothing (and no query after the first,
    remembered on the user) for anyone else."""
    if person is None or not selectors.sees_windows(request.user):
        return None
    now = timezone.now()
    queue = selectors.queue_for(person, now, counts_only=True)
    overseen = []
    if is_working_day(today):
        overseen = selectors.unstaffed_windows(
            list(
                selectors.windows_visible_to(request.user)
                .filter(is_active=True)
                .select_related("post_a", "post_b")
            ),
            today,
            selectors.part_of(now),
        )
    return {"queue": queue, "unstaffed": overseen}


def _period_of(model, object_ids):
    """{object_id: (start, end)} of subjects that are a period of absence of their
    requester (a model with `start_date` and `end_date`, e.g. a leave request):
    one query. Other subjects are not a period and are left out."""
    names = {f.name for f in model._meta.concrete_fields}
    if not {"start_date", "end_date"} <= names:
        return {}
    return {
        pk: (start, end)
        for pk, start, end in model._default_manager.filter(
            pk__in=list(object_ids)
        ).values_list("pk", "start_date", "end_date")
    }


def approval_staffing_warning(request, approvals) -> dict[int, str]:
    """SVC-4: beside a pending leave of a window's A or B post, on the approval
    engine's decision pages: the half days on which approving it would leave the
    window with neither post (the other post away already). Costs one query when no
    requester holds a post."""
    pending = [a for a in approvals if a.status == "pending"]
    if not pending:
        return {}
    requesters = {a.requester_id for a in pending}
    windows = list(
        Window.objects.filter(
            Q(post_a_id__in=requesters) | Q(post_b_id__in=requesters), is_active=True
        ).select_related("post_a", "post_b")
    )
    if not windows:
        return {}
    panels = {}
    by_type: dict[int, list] = {}
    for approval in pending:
        by_type.setdefault(approval.content_type_id, []).append(approval)
    periods = {}
    for type_id, group in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        found = _period_of(model, {a.object_id for a in group})
        for approval in group:
            if approval.object_id in found:
                periods[approval.pk] = found[approval.object_id]
    for approval in pending:
        if approval.pk not in periods:
            continue
        start, end = periods[approval.pk]
        end = min(end, start + datetime.timedelta(days=HORIZON_DAYS))
        clashes = []
        for window in windows:
            if approval.requester_id not in (window.post_a_id, window.post_b_id):
                continue
            other = (
                window.post_b
                if approval.requester_id == window.post_a_id
                else window.post_a
            )
            days = [(d, part) for d in working_days_in(start, end) for part in PARTS]
            other_away = {
                (d, part)
                for d, part in days
                if other.pk in selectors.away_at([other.pk], d, part)
            }
            both = rules.both_away_days(
                days, requester_away=set(days), other_away=other_away
            )
            if both:
                clashes.append({"window": window, "other": other, "days": both})
        if clashes:
            panels[approval.pk] = render_to_string(
                "window/_approval_warning.html", {"clashes": clashes}
            )
    return panels


def board_notices(unit, day: datetime.date, part: str) -> list:
    """SVC-4 on attendance's whereabouts board (attendance.board_notices): each
    active window of the unit with neither its A nor its B post present in this
    half day (approved leave, acknowledged going out) — on working days only. Two
    queries (the windows, the absence providers' one each) whatever the number."""
    if not is_working_day(day):
        return []
    windows = list(
        Window.objects.filter(unit=unit, is_active=True)
        .select_related("post_a", "post_b")
        .order_by("order", "name")
    )
    if not windows:
        return []
    url = reverse("window:windows")
    return [
        BoardNotice(
            _(
                "%(window)s is empty: neither the A post %(a)s nor the B post "
                "%(b)s is present."
            )
            % {"window": w.name, "a": w.post_a.name, "b": w.post_b.name},
            level="warn",
            url=url,
        )
        for w in selectors.unstaffed_windows(windows, day, part)
    ]
