"""Reads: who may see which attendance records (ATT access), the reads the services
and pages share (a month's lock, study participants, who is out, the "business"
excuse provider), and the monthly report.

`people_scope(user)` is the one answer to "whose attendance may this user see";
every list, sheet, board, admin queryset and export goes through it.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import ApprovalRequest, ApprovalStep
from approvals.selectors import subjects_reached, waiting_for
from attendance import rules
from attendance.excuses import Excuse
from attendance.models import (
    AwayFromPost,
    GoingOut,
    MonthClose,
    Outcome,
    SessionRecord,
    Sheet,
    StudyAttendance,
    StudyLeave,
    StudySession,
)
from attendance.policies import ALLOWANCE_TABLE
from bureau import workdays
from bureau.access import person_of
from bureau.aggregates import Count as IntCount
from bureau.models import Person, SeasonalSchedule, Unit
from bureau.policies import policy_in_force

# The clerk's units are the ground floor's vocabulary (leave scopes clerks too);
# re-exported here for attendance's callers.
from bureau.scoping import (  # noqa: F401
    Scope,
    clerk_keeps,
    clerk_people_scope,
    clerk_unit_ids,
    is_clerk,
    keeps_all_units,
)

# Attendance's reading of "in whose charge" (bureau.scoping): everyone's own
# records; the posts in their charge; a clerk the units they keep, the all-units
# clerk everyone. Stand-ins see what their decisions need through the approval
# engine (going out, study leave), not the principal's sheets.
SCOPE = Scope(clerks=True)


def people_scope(user, prefix: str = "") -> Q:
    """A Q over Person (with `prefix`, e.g. "person__") of whose records the user
    sees: their own; a section head their section; a unit head their unit; a deputy
    the people they are deputy in charge of; a unit clerk the units they keep; the
    all-units clerk and the director everyone (`SCOPE`, bureau.scoping)."""
    return SCOPE.q(user, prefix)


def people_visible_to(user):
    return SCOPE.people(user)


def leave_kind_visible_ids(user, person_ids) -> frozenset:
    """Of these people, those whose kind of leave (sick, marriage, ...) the user may
    see on the whereabouts board: themself, the people in their charge and those of
    the units they keep as clerk (`people_scope`). Colleagues see only "on leave".
    One query."""
    ids = list(person_ids)
    if not ids:
        return frozenset()
    return frozenset(
        Person.objects.filter(people_scope(user), pk__in=ids).values_list(
            "pk", flat=True
        )
    )


def records_visible_to(user):
    return SessionRecord.objects.filter(people_scope(user, "person__"))


def going_outs_visible_to(user, on: datetime.date | None = None):
    """Going-out reports of the people in the user's scope, and those whose
    approval reached the user (the supervisor, a stand-in, who decided)."""
    return _decided_subjects_visible_to(user, GoingOut, on)


def study_leaves_visible_to(user, on: datetime.date | None = None):
    return _decided_subjects_visible_to(user, StudyLeave, on)


def _decided_subjects_visible_to(user, model, on):
    q = people_scope(user, "person__")
    if q != Q() and person_of(user) is not None:
        q |= Q(
            pk__in=subjects_reached(
                user, model, on=on or timezone.localdate(), exclude_own=True
            )
        )
    return model.objects.filter(q)


def waiting_subjects(person, model, on: datetime.date):
    """Records of `model` whose approval waits for this person's decision today
    (as approver or stand-in): the engine's queue, for a chapter's page."""
    return model.objects.filter(
        pk__in=waiting_for(person, on)
        .filter(content_type=ContentType.objects.get_for_model(model))
        .values("object_id")
    )


def decided_subjects(person, model):
    """Records of `model` whose approval step this person decided."""
    return model.objects.filter(
        pk__in=ApprovalStep.objects.filter(
            decided_by=person,
            request__content_type=ContentType.objects.get_for_model(model),
        ).values("request__object_id")
    )


def units_visible_to(user):
    """Units whose whereabouts board the user may open: their own unit (it hangs on
    their wall), the units in their charge, a unit clerk's units, all for the
    all-units clerk and the director."""
    if SCOPE.sees_everyone(user):
        return Unit.objects.all()
    person = person_of(user)
    if person is None:
        return Unit.objects.none()
    q = (
        Q(pk=person.unit_id)
        | Q(deputy_in_charge=person)
        | Q(sections__deputy_in_charge=person)
        | Q(head=person)
    )
    kept = clerk_unit_ids(user)
    if kept:
        q |= Q(pk__in=sorted(kept))
    return Unit.objects.filter(q).distinct()


# --- reads the services and pages share: a month's lock, who studies, who is out --


def month_is_closed(day: datetime.date) -> bool:
    """A closed month is locked (ATT-13): corrections wait for its reopening."""
    return MonthClose.objects.filter(
        year=day.year, month=day.month, is_closed=True
    ).exists()


def month_has_sheets(year: int, month: int) -> bool:
    """Whether any sign-in sheet was kept in the month: without one there is no
    attendance data, and the month is neither reported as perfect nor closed."""
    return Sheet.objects.filter(date__year=year, date__month=month).exists()


def participants(session: StudySession):
    """Who is expected at a study session: the active staff of its units, of the
    organ when it names none (STUDY-1)."""
    unit_ids = list(session.units.values_list("id", flat=True))
    if not unit_ids:
        unit_ids = list(
            Unit.objects.filter(kind=Unit.Kind.ORGAN).values_list("id", flat=True)
        )
    return Person.objects.active().filter(unit_id__in=unit_ids)


def business_excuses(person_ids, start, end) -> dict:
    """The "business" excuse provider: acknowledged going-outs cover the sessions
    they overlap (ATT-6's "out on business"), also once logged back — but not one
    logged back without ever being acknowledged. One query plus the schedules."""
    rows = list(
        GoingOut.objects.filter(
            person_id__in=list(person_ids),
            date__range=(start, end),
            status__in=[GoingOut.Status.ACKNOWLEDGED, GoingOut.Status.RETURNED],
            approvals__status=ApprovalRequest.Status.APPROVED,
        ).values(
            "id",
            "person_id",
            "person__unit_id",
            "date",
            "leaves_at",
            "expected_return",
            "returned_at",
            "destination",
        )
    )
    if not rows:
        return {}
    schedules = list(SeasonalSchedule.objects.all())
    found = {}
    for row in rows:
        schedule = workdays.schedule_for(row["person__unit_id"], row["date"], schedules)
        if schedule is None:
            continue
        back = row["returned_at"] or row["expected_return"]
        for session in workdays.sessions_for_schedule(schedule, row["date"]):
            if row["leaves_at"] < session.end and back > session.start:
                found[(row["person_id"], row["date"], session.part)] = Excuse(
                    kind="business",
                    label=_("Out on business: %(place)s")
                    % {"place": row["destination"]},
                    source_app="attendance.goingout",
                    source_id=row["id"],
                    until=row["expected_return"],
                )
    return found


def going_out_absences(person_ids, day, part) -> dict:
    """meetings.absences provider: {person_id: "Out on business: …"} of the people
    out on an acknowledged going-out during `day`'s `part` ("am"/"pm"), read from
    the same excuses as attendance (SVC-4: a window's post going out is away)."""
    return {
        person_id: str(excuse.label)
        for (person_id, _day, excused_part), excuse in business_excuses(
            person_ids, day, day
        ).items()
        if excused_part == part
    }


def current_going_outs(person_ids, now) -> dict:
    """{person_id: GoingOut} of those out right now (for the board)."""
    qs = GoingOut.objects.filter(
        person_id__in=list(person_ids),
        date=now.astimezone(workdays.TZ).date(),
        status__in=[GoingOut.Status.ACKNOWLEDGED, GoingOut.Status.REQUESTED],
        leaves_at__lte=now,
    ).order_by("leaves_at")
    return {g.person_id: g for g in qs}


def away_minutes_for(person_ids, day) -> dict:
    """{(person_id, part): longest recorded absence from post in minutes}."""
    qs = AwayFromPost.objects.filter(date=day)
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    return {
        (row["person_id"], row["part"]): row["longest"]
        for row in qs.values("person_id", "part").annotate(longest=Max("minutes"))
    }


# --- the monthly report (ATT-6, ATT-10, ATT-13) -------------------------------------

OUTCOME_LABELS = {}


def month_bounds(year: int, month: int):
    first = datetime.date(year, month, 1)
    return first, first.replace(day=calendar.monthrange(year, month)[1])


@dataclass(slots=True)
class ReportRow:
    # Slots and no default factory: one is built per person (10,000 at 10,000
    # staff), for every page of the report (issue 17).
    person_id: int
    name: str
    employee_no: str
    unit: str
    section: str
    due: int = 0
    worked: int = 0
    lates: int = 0
    early: int = 0
    absence_days: Decimal = Decimal("0")
    business: int = 0
    leave: dict | None = None  # label -> days; None without leave
    leave_days: Decimal = Decimal("0")  # the sum of `leave`
    outcome: str = "none"
    reason: str = ""  # the rule's terse form, e.g. "L=3 ≥ 3"
    reason_text: str = ""  # the same for people, translated

    @property
    def incidents(self) -> int:
        return self.lates + self.early

    @property
    def leave_text(self) -> str:
        if not self.leave:  # most people, most months
            return ""
        return "；".join(
            f"{label} {days}" for label, days in sorted(self.leave.items())
        )


@dataclass(slots=True)
class Totals:
    name: str
    people: int = 0
    due: int = 0
    worked: int = 0
    lates: int = 0
    early: int = 0
    absence_days: Decimal = Decimal("0")
    leave_days: Decimal = Decimal("0")
    deducted: int = 0

    def add(self, row: ReportRow):
        # Once per person for the unit and once for the section: 20,000 calls
        # at 10,000 staff (issue 17), hence plain attribute sums.
        self.people += 1
        self.due += row.due
        self.worked += row.worked
        self.lates += row.lates
        self.early += row.early
        self.absence_days += row.absence_days
        self.leave_days += row.leave_days
        self.deducted += row.outcome != "none"


@dataclass
class MonthlyReport:
    year: int
    month: int
    first: datetime.date
    last: datetime.date
    rows: list
    by_unit: list
    by_section: list
    late_by_day: list  # [(date, count)]
    late_by_section: list  # [(name, count)]
    close: MonthClose | None
    table_version_id: int | None

    @property
    def is_closed(self) -> bool:
        return bool(self.close and self.close.is_closed)


def allowance_reason_text(parts) -> str:
    """ATT-10's matched conditions in words: "迟到早退 3 次 ≥ 3；缺勤 1 天 ≥ 1"."""
    texts = []
    for key, value, limit in parts:
        if key == "L":
            texts.append(
                _("%(n)s late arrivals/early leaves ≥ %(limit)s")
                % {"n": value, "limit": limit}
            )
        else:
            texts.append(
                _("%(n)s day(s) of absence ≥ %(limit)s") % {"n": value, "limit": limit}
            )
    return "；".join(texts)


def _in_report_order(rows):
    """(pk, name, employee_no, unit name, section name) in the report's order:
    unit (its order, id), section (its order, id; people outside sections last),
    employee number. The database sorts by employee number only and the rows are
    put in their (unit, section) groups here: a five-key sort of 10,000 rows was a
    sixth of the report's SQL (issue 17)."""
    groups: dict = {}
    for pk, name, number, unit, section, u_order, u_id, s_order, s_id in rows:
        key = (u_order, u_id, s_order is None, s_order or 0, s_id is None, s_id or 0)
        group = groups.get(key)
        if group is None:
            group = groups[key] = []
        group.append((pk, name, number, unit, section))
    return [row for key in sorted(groups) for row in groups[key]]


def monthly_report(user, year: int, month: int) -> MonthlyReport:
    """The month per person, with the ATT-10 outcome; a constant number of queries
    whatever the number of staff (aggregates, no per-person query)."""
    first, last = month_bounds(year, month)
    scope = people_scope(user, "person__")
    records = SessionRecord.objects.filter(scope, date__range=(first, last))
    settled = Q(settled_at__isnull=False)
    # person -> (due, worked, lates, earlies, absence, business): plain tuples,
    # not a dict per person.
    stats = {
        row[0]: row[1:]
        for row in records.values_list("person_id")
        .annotate(
            # Counts read as ints as the database returns them (bureau.aggregates).
            due=IntCount("id"),
            # Worked: signed in or out on business, and neither absent nor on
            # leave (a sign-in on a day that leave covers does not make it work).
            worked=IntCount(
                "id",
                filter=(Q(signed_in_at__isnull=False) | Q(excuse_kind="business"))
                & ~Q(outcome=Outcome.ABSENT)
                & ~(Q(outcome=Outcome.EXCUSED) & ~Q(excuse_kind="business")),
            ),
            lates=IntCount("id", filter=Q(late=True) & settled),
            earlies=IntCount("id", filter=Q(early=True) & settled),
            absence=Sum("absence_days"),
            business=IntCount("id", filter=Q(excuse_kind="business")),
        )
        .order_by()
    }
    leave = defaultdict(dict)
    for person_id, label, n in (
        records.filter(outcome="excused")
        .exclude(excuse_kind="business")
        .values_list("person_id", "excuse_label")
        .annotate(n=Count("id"))
        .order_by()
    ):
        leave[person_id][label or "—"] = Decimal(n) / 2
    study = dict(
        StudyAttendance.objects.filter(
            people_scope(user, "person__"),
            session__starts_at__date__range=(first, last),
            absence_days__gt=0,
        )
        .values_list("person_id")
        .annotate(total=Sum("absence_days"))
        .order_by()
    )
    # "Active, or with a record this month": the inactive part as a correlated
    # EXISTS on (person, date), which PostgreSQL estimates from the index, instead
    # of `pk IN (the month's records)` that it overestimated and spent most of the
    # page compiling (JIT, issue 17). Plain values: no model objects for 10,000 rows.
    month_records = SessionRecord.objects.filter(
        person_id=OuterRef("pk"), date__range=(first, last)
    )
    people = _in_report_order(
        Person.objects.filter(people_scope(user))
        .filter(Q(is_active=True) | Exists(month_records))
        .order_by("employee_no")
        .values_list(
            "pk",
            "name",
            "employee_no",
            "unit__name",
            "section__name",
            "unit__order",
            "unit_id",
            "section__order",
            "section_id",
        )
    )
    version = policy_in_force(ALLOWANCE_TABLE, last)
    # ATT-10 is a pure function of (incidents, absence days) for the month's table:
    # judged and worded once per distinct pair, not once per person.
    judged: dict = {}
    rows = []
    by_unit: dict = {}
    by_section: dict = {}
    late_by_group: dict = {}
    zero = Decimal("0")
    no_stat = (0, 0, 0, 0, None, 0)
    for pk, name, employee_no, unit_name, section_name in people:
        due, worked, lates, earlies, absence, business = stats.get(pk, no_stat)
        person_leave = leave.get(pk)
        row = ReportRow(
            person_id=pk,
            name=name,
            employee_no=employee_no,
            unit=unit_name,
            section=section_name or "",
            due=due,
            worked=worked,
            lates=lates,
            early=earlies,
            absence_days=(absence or zero) + (study.get(pk) or zero),
            business=business,
            leave=person_leave,
            leave_days=sum(person_leave.values(), zero) if person_leave else zero,
        )
        key = (row.lates + row.early, row.absence_days)
        outcome = judged.get(key)
        if outcome is None:
            result = rules.allowance_outcome(key[0], key[1], version.value)
            outcome = judged[key] = (
                result.outcome,
                result.reason,
                allowance_reason_text(result.parts),
            )
        row.outcome, row.reason, row.reason_text = outcome
        rows.append(row)
        totals = by_unit.get(unit_name)
        if totals is None:  # (not setdefault: a Totals made for every row)
            totals = by_unit[unit_name] = Totals(unit_name)
        totals.add(row)
        if row.section:
            totals = by_section.get(row.section)
            if totals is None:
                totals = by_section[row.section] = Totals(row.section)
            totals.add(row)
        # The chart's groups: sections of the organ, and each subordinate unit
        # (units have no sections); leaders outside sections under their unit.
        group = row.section or row.unit
        late_by_group[group] = late_by_group.get(group, 0) + row.lates
    late_by_day = dict(
        records.filter(late=True).values_list("date").annotate(n=Count("id")).order_by()
    )
    days = []
    day = first
    while day <= last:
        days.append((day, late_by_day.get(day, 0)))
        day += datetime.timedelta(days=1)
    close = MonthClose.objects.filter(year=year, month=month).first()
    return MonthlyReport(
        year=year,
        month=month,
        first=first,
        last=last,
        rows=rows,
        by_unit=list(by_unit.values()),
        by_section=list(by_section.values()),
        late_by_day=days,
        late_by_section=list(late_by_group.items()),
        close=close,
        table_version_id=version.id,
    )
