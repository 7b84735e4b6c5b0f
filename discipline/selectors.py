"""Reads: who may see whose record, and the inspector's tallies.

Every page, admin list and export goes through `people_visible_to(user)`
(`SCOPE`, bureau.scoping): a person sees their own record; a section head their
section; a unit head their unit; a deputy the people they are deputy in charge of;
the discipline inspector, the director and the administrator everyone.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import ExtractMonth

from bureau.access import has_role, is_administrator
from bureau.aggregates import Count as IntCount
from bureau.aggregates import Max as IntMax
from bureau.models import Person, Role
from bureau.policies import policy_in_force
from bureau.scoping import Scope
from discipline import registry, rules
from discipline.models import (
    Appraisal,
    Outcome,
    Violation,
    WindowAppraisal,
    cap_label,
)

# Discipline's reading of "in whose charge" (bureau.scoping): everyone's own record;
# the posts in their charge; the discipline inspector, beside the director and the
# administrator, everyone. No clerks, no stand-ins: a record of conduct is read by
# the person's own chain and the inspector.
SCOPE = Scope(also={Role.DISCIPLINE_INSPECTOR})


def is_inspector(user) -> bool:
    """Who decides complaints, records findings and the committee's grade."""
    return bool(is_administrator(user) or has_role(user, Role.DISCIPLINE_INSPECTOR))


def people_visible_to(user) -> QuerySet[Person]:
    return SCOPE.people(user)


def violations_visible_to(user) -> QuerySet[Violation]:
    return Violation.objects.filter(person__in=people_visible_to(user).values("pk"))


def outcomes_visible_to(user) -> QuerySet[Outcome]:
    return Outcome.objects.filter(person__in=people_visible_to(user).values("pk"))


def appraisals_visible_to(user) -> QuerySet[Appraisal]:
    return Appraisal.objects.filter(person__in=people_visible_to(user).values("pk"))


def window_appraisals_visible_to(user) -> QuerySet[WindowAppraisal]:
    return WindowAppraisal.objects.filter(
        person__in=people_visible_to(user).values("pk")
    )


def cap_rank_of(person_id: int, year: int) -> int | None:
    """The strictest grade cap of a person's year (DIS-6), None when uncapped."""
    return Outcome.objects.filter(
        person_id=person_id, year=year, status=Outcome.Status.IN_FORCE
    ).aggregate(cap=Max("cap_rank"))["cap"]


# --- tallies ------------------------------------------------------------------------


@dataclass(slots=True)
class PersonTally:
    # Slots, and no default factories: one is built per person on record (8,400
    # at 10,000 staff) and a Counter and two dicts each were a third of the
    # dashboard's Python (issue 17).
    id: int
    name: str
    employee_no: str
    group: str  # section, or unit for people outside a section
    staff_category: str
    by_ladder: dict  # ladder -> upheld violations
    positions: dict  # ladder -> the highest step reached
    total: int = 0
    pending: int = 0
    warnings: int = 0
    proposals: int = 0
    cap_rank: int | None = None
    lowering: tuple | list = ()
    # Dressed by the dashboard for the rows it shows (discipline.views.dashboard).
    url: str = ""
    ladder_counts: tuple | list = ()
    lowering_labels: tuple | list = ()

    @property
    def cap_label(self) -> str:
        return cap_label(self.cap_rank, self.staff_category)

    @property
    def highlighted(self) -> bool:
        return bool(self.lowering)


@dataclass
class Tallies:
    year: int
    people: list[PersonTally]
    by_group: list[tuple[str, int]]
    by_kind: list[tuple[str, str, int]]  # code, label, count
    by_month: dict[str, list[int]]  # ladder -> 12 counts, in the registry's order
    total: int
    pending: int

    @property
    def highlighted(self) -> list[PersonTally]:
        return [p for p in self.people if p.highlighted]


def year_tallies(
    user, year: int, *, today: datetime.date, people: QuerySet | None = None
) -> Tallies:
    """Tallies by person, section, kind and month for a year; caps and highlights.

    Four queries whatever the number of people or violations; the rest is Python.
    """
    visible = people if people is not None else people_visible_to(user)
    upheld, pending = Violation.Status.UPHELD, Violation.Status.PENDING
    # Whose records: none left out for who sees everyone (the inspector, the
    # director), instead of a join that keeps every row.
    everyone = people is None and SCOPE.sees_everyone(user)
    of_visible = Q() if everyone else Q(person__in=visible.values("pk"))
    counted = Violation.objects.filter(
        of_visible,
        occurred_on__year=year,
        status__in=[upheld, pending],
    ).order_by()
    kind_rows = (
        counted.filter(status=upheld).values_list("kind").annotate(n=Count("id"))
    )
    # The year's months per ladder, over everyone: its ladders (as stored) are
    # also the per-person query's columns below.
    month_rows = list(
        counted.filter(status=upheld)
        .annotate(month=ExtractMonth("occurred_on"))
        .values_list("ladder", "month")
        .annotate(n=Count("id"))
    )
    stored_ladders = sorted({ladder for ladder, _month, _n in month_rows})
    other = registry.OTHER
    ladder_keys = [ladder or other for ladder in stored_ladders]
    # One row per person on record: who they are, and per ladder the upheld
    # violations and the highest step, counted by the database (it read a row
    # per person, ladder and status before, and a row per person of the staff).
    in_year = Q(
        violations__occurred_on__year=year,
        violations__status__in=[upheld, pending],
    )
    # Counts and steps are ints as the database returns them (bureau.aggregates).
    columns = {"pending": IntCount("violations", filter=Q(violations__status=pending))}
    for i, ladder in enumerate(stored_ladders):
        on_ladder = Q(violations__status=upheld, violations__ladder=ladder)
        columns[f"n{i}"] = IntCount("violations", filter=on_ladder)
        columns[f"s{i}"] = IntMax("violations__ladder_step", filter=on_ladder)
    per_person = (
        Person.objects.filter(
            in_year, Q() if everyone else Q(pk__in=visible.values("pk"))
        )
        .values_list(
            "pk", "name", "employee_no", "staff_category", "section__name", "unit__name"
        )
        .annotate(**columns)
        .order_by()
    )
    outcome_rows = (
        Outcome.objects.filter(
            of_visible,
            year=year,
            status=Outcome.Status.IN_FORCE,
        )
        .values_list("person_id")
        .annotate(
            cap=IntMax("cap_rank"),
            warnings=IntCount("id", filter=Q(kind=rules.EFFICIENCY_WARNING)),
            proposals=IntCount("id", filter=Q(kind__in=rules.PROPOSALS)),
        )
        .order_by()
    )
    by_month: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for ladder, month, n in month_rows:
        by_month[ladder or other][month - 1] += n
    tallies: dict[int, PersonTally] = {}
    by_group: Counter = Counter()
    width = len(stored_ladders)
    for (
        pid,
        name,
        employee_no,
        category,
        section,
        unit,
        pending_n,
        *counts,
    ) in per_person:
        by_ladder: dict = {}
        positions: dict = {}
        total = 0
        for i in range(width):
            n = counts[2 * i]
            if n:
                key = ladder_keys[i]
                by_ladder[key] = by_ladder.get(key, 0) + n
                total += n
                step = counts[2 * i + 1]
                if step:
                    positions[key] = max(positions.get(key, 0), step)
        group = section or unit
        tallies[pid] = PersonTally(
            pid,
            name,
            employee_no,
            group,
            category,
            by_ladder,
            positions,
            total,
            pending_n,
        )
        by_group[group] += total
    for pid, cap, warnings, proposals in outcome_rows:
        tally = tallies.get(pid)
        if tally is None:
            continue
        tally.cap_rank = cap
        tally.warnings = warnings
        tally.proposals = proposals
    # Horizon for "one more violation": the policies in force at the year's end,
    # or today while the year runs.
    on = min(today, datetime.date(year, 12, 31))
    ladders = registry.ladder_map()
    # A pure rule of (positions, warnings, cap): judged once per distinct standing,
    # not once per person (thousands of people share a few standings).
    judged: dict = {}
    for tally in tallies.values():
        if tally.positions:
            key = (
                tuple(sorted(tally.positions.items())),
                tally.warnings,
                tally.cap_rank,
            )
            lowering = judged.get(key)
            if lowering is None:
                lowering = judged[key] = tuple(
                    rules.ladders_lowering_cap(
                        positions=tally.positions,
                        warnings=tally.warnings,
                        cap_rank=tally.cap_rank,
                        policy_at=policy_in_force,
                        on=on,
                        ladders=ladders,
                    )
                )
            tally.lowering = lowering
    people = sorted(
        tallies.values(),
        key=lambda t: (-(t.cap_rank or 0), -t.warnings, -t.total, t.employee_no),
    )
    kinds = []
    for code, n in Counter(dict(kind_rows)).most_common():
        kinds.append((code, registry.label_of(code), n))
    return Tallies(
        year=year,
        people=people,
        # The most first; a tie by name (it followed the database's row order).
        by_group=sorted(by_group.items(), key=lambda item: (-item[1], item[0])),
        by_kind=kinds,
        # Registered ladders in their order, then what no ladder counts ("other").
        by_month={
            ladder: by_month[ladder]
            for ladder in [*ladders, *sorted(set(by_month) - set(ladders))]
            if ladder in by_month
        },
        total=sum(t.total for t in people),
        pending=sum(t.pending for t in people),
    )


def person_year(person: Person, year: int) -> dict:
    """One person's record for a year: violations with outcomes, cap and reasons."""
    violations = list(
        Violation.objects.filter(person=person, occurred_on__year=year)
        .select_related("recorded_by", "decided_by", "meeting_decision__meeting__kind")
        .prefetch_related("outcomes__revisions")
        .order_by("occurred_on", "pk")
    )
    outcomes = [
        o
        for v in violations
        for o in v.outcomes.all()
        if o.year == year and o.status == Outcome.Status.IN_FORCE
    ]
    withdrawn = [
        o
        for v in violations
        for o in v.outcomes.all()
        if o.year == year and o.status == Outcome.Status.WITHDRAWN
    ]
    caps = [o.cap_rank for o in outcomes if o.cap_rank]
    cap_rank = max(caps) if caps else None
    reasons = [o for o in outcomes if o.kind == rules.GRADE_CAP]
    return {
        "person": person,
        "year": year,
        "violations": violations,
        "outcomes": outcomes,
        "withdrawn": withdrawn,
        "cap_rank": cap_rank,
        "cap_label": cap_label(cap_rank, person.staff_category),
        "reasons": reasons,
        "warnings": sum(1 for o in outcomes if o.kind == rules.EFFICIENCY_WARNING),
        "upheld": sum(1 for v in violations if v.status == Violation.Status.UPHELD),
        "pending": sum(1 for v in violations if v.status == Violation.Status.PENDING),
        "appraisal": Appraisal.objects.filter(person=person, year=year)
        .select_related("decided_by")
        .first(),
        "window_appraisal": WindowAppraisal.objects.filter(
            person=person, year=year
        ).first(),
    }
