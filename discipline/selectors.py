"""Reads: who may see whose record, and the inspector's tallies.

Every page, admin list and export goes through `people_visible_to(user)`
(`SCOPE`, bureau.scoping): a person sees their own record; a section head their
section; a unit head their unit; a deputy the people they are deputy in charge of;
the discipline inspector, the director and the administrator everyone.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import ExtractMonth

from bureau.access import has_role, is_administrator
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


@dataclass
class PersonTally:
    id: int
    name: str
    employee_no: str
    group: str  # section, or unit for people outside a section
    staff_category: str
    by_ladder: Counter = field(default_factory=Counter)
    positions: dict = field(default_factory=dict)
    total: int = 0
    pending: int = 0
    warnings: int = 0
    proposals: int = 0
    cap_rank: int | None = None
    lowering: list = field(default_factory=list)

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

    Six queries whatever the number of people or violations; the rest is Python.
    """
    visible = people if people is not None else people_visible_to(user)
    counted = Violation.objects.filter(
        person__in=visible.values("pk"),
        occurred_on__year=year,
        status__in=[Violation.Status.UPHELD, Violation.Status.PENDING],
    ).order_by()
    # Per person and ladder (a few rows a person), then the year's kinds and
    # months over everyone in the database: the Python loop below reads about as
    # many rows as there are people on record, not one per violation.
    per_person = counted.values_list("person_id", "ladder", "status").annotate(
        n=Count("id"), step=Max("ladder_step")
    )
    upheld = counted.filter(status=Violation.Status.UPHELD)
    kind_rows = upheld.values_list("kind").annotate(n=Count("id"))
    month_rows = (
        upheld.annotate(month=ExtractMonth("occurred_on"))
        .values_list("ladder", "month")
        .annotate(n=Count("id"))
    )
    outcome_rows = (
        Outcome.objects.filter(
            person__in=visible.values("pk"),
            year=year,
            status=Outcome.Status.IN_FORCE,
        )
        .values_list("person_id")
        .annotate(
            cap=Max("cap_rank"),
            warnings=Count("id", filter=Q(kind=rules.EFFICIENCY_WARNING)),
            proposals=Count("id", filter=Q(kind__in=rules.PROPOSALS)),
        )
        .order_by()
    )
    tallies: dict[int, PersonTally] = {}
    by_kind: Counter = Counter(dict(kind_rows))
    by_month: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for ladder, month, n in month_rows:
        by_month[ladder or registry.OTHER][month - 1] += n
    pending_people: Counter = Counter()
    pending = Violation.Status.PENDING
    other = registry.OTHER
    for pid, ladder, status, n, step in per_person:
        if status == pending:
            pending_people[pid] += n
            continue
        tally = tallies.get(pid)
        if tally is None:
            tally = tallies[pid] = PersonTally(pid, "", "", "", "")
        ladder = ladder or other
        tally.by_ladder[ladder] += n
        tally.total += n
        if step:
            tally.positions[ladder] = max(tally.positions.get(ladder, 0), step)
    for pid, cap, warnings, proposals in outcome_rows:
        tally = tallies.get(pid)
        if tally is None:
            continue
        tally.cap_rank = cap
        tally.warnings = warnings
        tally.proposals = proposals
    for pid, n in pending_people.items():
        tallies.setdefault(pid, PersonTally(pid, "", "", "", "")).pending = n
    ids = set(tallies)
    by_group: Counter = Counter()
    for pid, name, employee_no, category, section, unit in visible.values_list(
        "id", "name", "employee_no", "staff_category", "section__name", "unit__name"
    ).order_by():
        tally = tallies.get(pid)
        if tally is None:
            continue
        ids.discard(pid)
        tally.name = name
        tally.employee_no = employee_no
        tally.staff_category = category
        tally.group = section or unit
        by_group[tally.group] += tally.total
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
                lowering = judged[key] = rules.ladders_lowering_cap(
                    positions=tally.positions,
                    warnings=tally.warnings,
                    cap_rank=tally.cap_rank,
                    policy_at=policy_in_force,
                    on=on,
                    ladders=ladders,
                )
            tally.lowering = list(lowering)
    people = sorted(
        (t for t in tallies.values() if t.id not in ids),
        key=lambda t: (-(t.cap_rank or 0), -t.warnings, -t.total, t.employee_no),
    )
    kinds = []
    for code, n in by_kind.most_common():
        kinds.append((code, registry.label_of(code), n))
    return Tallies(
        year=year,
        people=people,
        by_group=sorted(by_group.items(), key=lambda item: -item[1]),
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
