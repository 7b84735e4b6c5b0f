"""Statistics (part 9 of issue 13): cases by channel, category, township, outcome,
on time vs late, per month, and the overdue list first. Counts only: no names
(PET-7); the overdue list shows numbers and categories of the cases the reader may
see anyway."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from bureau.access import has_role, is_administrator
from bureau.models import Role
from deadlines.models import Deadline
from petitions import selectors
from petitions.models import CONCLUDE, DECIDE, EXTENDED, HIGHER, Case, Channel


def reads_statistics(user) -> bool:
    return (
        selectors.is_officer(user)
        or is_administrator(user)
        or has_role(user, Role.DIRECTOR)
        or has_role(user, Role.DEPUTY)
    )


@dataclass
class Statistics:
    year: int
    total: int = 0
    by_channel: list = field(default_factory=list)
    by_category: list = field(default_factory=list)
    by_township: list = field(default_factory=list)
    by_outcome: list = field(default_factory=list)
    by_month: list = field(default_factory=list)
    timeliness: list = field(default_factory=list)
    overdue: list = field(default_factory=list)


def _rows(queryset, key, labels=None):
    rows = queryset.values(key).annotate(n=Count("pk")).order_by("-n", key)
    return [((labels or {}).get(r[key], r[key]) or _("(none)"), r["n"]) for r in rows]


def statistics_for(user, year: int, today: datetime.date) -> Statistics:
    """Five grouped queries, one for the clocks, one for the overdue list."""
    cases = Case.objects.filter(received_on__year=year).exclude(
        status=Case.Status.MERGED
    )
    stats = Statistics(year=year)
    stats.total = cases.count()
    stats.by_channel = _rows(cases, "channel", dict(Channel.choices))
    stats.by_category = _rows(cases, "category__name")
    stats.by_township = _rows(cases, "township__name")
    stats.by_outcome = _rows(
        cases.exclude(outcome=""), "outcome", dict(Case.Outcome.choices)
    )
    months = dict(
        cases.annotate(m=ExtractMonth("received_on"))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    stats.by_month = [(m, months.get(m, 0)) for m in range(1, 13)]
    clocks = (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_id__in=cases.values("pk"),
            kind__in=[DECIDE, CONCLUDE, EXTENDED, HIGHER],
            state__in=[Deadline.State.MET, Deadline.State.MISSED],
        )
        .values("kind", "state")
        .annotate(n=Count("pk"))
    )
    table: dict[str, dict[str, int]] = {}
    for row in clocks:
        label = _("Decision (15 days)") if row["kind"] == DECIDE else _("Conclusion")
        table.setdefault(label, {"met": 0, "missed": 0})[row["state"]] += row["n"]
    stats.timeliness = [(k, v["met"], v["missed"]) for k, v in table.items()]
    overdue = (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            state=Deadline.State.OPEN,
            kind__in=list(selectors.OPEN_CLOCKS),
            due_date__lt=today,
            object_id__in=selectors.cases_visible_to(user).values("pk"),
        )
        .select_related("section")
        .order_by("due_date", "pk")[:200]
    )
    stats.overdue = [
        (
            d.label,
            d.kind_label,
            d.due_date,
            (today - d.due_date).days,
            d.section,
            d.object_id,
            d.pk,  # the clock's why page (petitions.deadline)
        )
        for d in overdue
    ]
    return stats
