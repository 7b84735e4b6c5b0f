"""Working-day questions (CAL-1) and the sessions of a day (CAL-2).

Days not stored in CalendarDay follow Monday–Friday. A year without an entered
holiday arrangement is also judged Monday–Friday, and `arrangement_warnings` says so
on the admin and the clerk's pages: the system never guesses silently.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from chinese_calendar import constants
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.models import CalendarDay, HolidayArrangement, SeasonalSchedule
from bureau.policies import policy_value, register

TZ = ZoneInfo("Asia/Shanghai")


def _validate_month_day(value):
    try:
        month, day = (int(part) for part in str(value).split("-"))
        datetime.date(2024, month, day)
    except ValueError:
        raise ValueError(
            _("The value is a day of the year: month-day (MM-DD), e.g. 11-01.")
        ) from None


register(
    "calendar.warn_missing_arrangement_from",
    "11-01",
    label=gettext_lazy("Warn of a missing holiday arrangement from"),
    rule="CAL-1",
    description=gettext_lazy(
        "From this month-day on, warn when next year has no holiday arrangement."
    ),
    validator=_validate_month_day,
)

# What the calendar shows as the source of a year seeded from the package.
PACKAGE_DOCUMENT = "国务院办公厅节假日安排（程序内置数据）"

# chinesecalendar names its holidays in English; the calendar shows them in Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _pattern_working(day: datetime.date) -> bool:
    return day.weekday() < 5


def exceptions_between(start: datetime.date, end: datetime.date) -> dict:
    """Stored days in [start, end] as {date: is_working_day}: one query."""
    return dict(
        CalendarDay.objects.filter(date__range=(start, end)).values_list(
            "date", "is_working_day"
        )
    )


def is_working_day(day: datetime.date) -> bool:
    stored = (
        CalendarDay.objects.filter(date=day)
        .values_list("is_working_day", flat=True)
        .first()
    )
    return _pattern_working(day) if stored is None else stored


def working_days_in(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Working days from start to end, both included."""
    if end < start:
        return []
    stored = exceptions_between(start, end)
    days = []
    day = start
    while day <= end:
        if stored.get(day, _pattern_working(day)):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return len(working_days_in(start, end))


def next_working_day(day: datetime.date, *, after: bool = True) -> datetime.date:
    """The first working day after `day` (or on it, with after=False)."""
    candidate = day + datetime.timedelta(days=1) if after else day
    horizon = candidate + datetime.timedelta(days=60)
    stored = exceptions_between(candidate, horizon)
    while candidate <= horizon:
        if stored.get(candidate, _pattern_working(candidate)):
            return candidate
        candidate += datetime.timedelta(days=1)
    raise ValueError("no working day within 60 days")


@dataclass(frozen=True)
class WorkSession:
    """One work session (morning or afternoon) of a day, in Asia/Shanghai."""

    date: datetime.date
    part: str  # "am" | "pm"
    start: datetime.datetime
    end: datetime.datetime
    schedule_id: int | None

    @property
    def label(self) -> str:
        return _("Morning") if self.part == "am" else _("Afternoon")


def _season_for(schedules: list[SeasonalSchedule], day: datetime.date):
    if not schedules:
        return None
    ordered = sorted(schedules, key=lambda s: (s.starts_month, s.starts_day))
    key = (day.month, day.day)
    chosen = ordered[-1]  # wraps around from the last season of the previous year
    for schedule in ordered:
        if (schedule.starts_month, schedule.starts_day) <= key:
            chosen = schedule
    return chosen


def schedule_for(unit_id: int | None, day: datetime.date, schedules=None):
    """The season in force for a unit on a day: the unit's own, else the default."""
    if schedules is None:
        schedules = list(
            SeasonalSchedule.objects.filter(Q(unit_id=unit_id) | Q(unit__isnull=True))
        )
    own = [s for s in schedules if s.unit_id == unit_id and unit_id is not None]
    return _season_for(own or [s for s in schedules if s.unit_id is None], day)


def sessions_for_schedule(schedule, day: datetime.date) -> list[WorkSession]:
    def at(t):
        return datetime.datetime.combine(day, t, tzinfo=TZ)

    return [
        WorkSession(
            day, "am", at(schedule.morning_start), at(schedule.morning_end), schedule.pk
        ),
        WorkSession(
            day,
            "pm",
            at(schedule.afternoon_start),
            at(schedule.afternoon_end),
            schedule.pk,
        ),
    ]


def sessions_on(unit_id: int | None, day: datetime.date) -> list[WorkSession]:
    """The work sessions of a unit's people on a day; none on a rest day."""
    if not is_working_day(day):
        return []
    schedule = schedule_for(unit_id, day)
    if schedule is None:
        return []
    return sessions_for_schedule(schedule, day)


def person_sessions_on(person, day: datetime.date) -> list[WorkSession]:
    return sessions_on(person.unit_id, day)


def next_session(unit_id: int | None, now: datetime.datetime) -> WorkSession | None:
    """The next work session starting after `now` (today's later one, else the first
    of the next working day with a schedule); None when no working day follows
    within the calendar's reach."""
    today = now.astimezone(TZ).date()
    for session in sessions_on(unit_id, today):
        if session.start > now:
            return session
    day = today
    for _step in range(31):
        day = next_working_day(day)
        sessions = sessions_on(unit_id, day)
        if sessions:
            return sessions[0]
    return None


def in_session(sessions: list[WorkSession], now: datetime.datetime) -> bool:
    return any(s.start <= now <= s.end for s in sessions)


# --- CAL-1: the State Council's arrangement -------------------------------------


def years_without_arrangement(today: datetime.date) -> list[int]:
    """This year, and next year once the warning season has begun, if not entered."""
    wanted = [today.year]
    month, day = (
        int(p)
        for p in policy_value("calendar.warn_missing_arrangement_from", today).split(
            "-"
        )
    )
    if (today.month, today.day) >= (month, day):
        wanted.append(today.year + 1)
    entered = set(
        HolidayArrangement.objects.filter(year__in=wanted).values_list(
            "year", flat=True
        )
    )
    return [year for year in wanted if year not in entered]


def arrangement_warnings(today: datetime.date) -> list[str]:
    return [
        _(
            "The holiday arrangement for %(year)s has not been entered: its days are "
            "judged Monday to Friday until an administrator enters the State "
            "Council's arrangement."
        )
        % {"year": year}
        for year in years_without_arrangement(today)
    ]


class ArrangementError(ValueError):
    pass


def validate_arrangement(
    *,
    year: int,
    holidays: list[tuple[datetime.date, str]],
    workdays: list[tuple[datetime.date, str]],
) -> None:
    """Raise ArrangementError for a day of another year, a day listed twice, or a
    make-up working day that is not a weekend day."""
    for day, _name in [*holidays, *workdays]:
        if day.year != year:
            raise ArrangementError(
                _("%(day)s is not in %(year)s.") % {"day": day, "year": year}
            )
    holiday_days = {day for day, _n in holidays}
    workday_days = {day for day, _n in workdays}
    both = holiday_days & workday_days
    if both:
        raise ArrangementError(
            _("%(day)s is listed both as a holiday and as a working day.")
            % {"day": min(both)}
        )
    for day in workday_days:
        if _pattern_working(day):
            raise ArrangementError(
                _(
                    "%(day)s is a weekday: only a weekend day can be a make-up working day."
                )
                % {"day": day}
            )


@transaction.atomic
def arrangement_enter(
    *,
    year: int,
    holidays: list[tuple[datetime.date, str]],
    workdays: list[tuple[datetime.date, str]],
    document: str = "",
    source: str = CalendarDay.Source.STATE_COUNCIL,
) -> HolidayArrangement:
    """Enter a whole year's arrangement at once: holidays and make-up working days.

    Replaces the year's earlier package or State Council days; bureau overrides stay.
    """
    validate_arrangement(year=year, holidays=holidays, workdays=workdays)
    arrangement, _created = HolidayArrangement.objects.update_or_create(
        year=year, defaults={"document": document, "source": source}
    )
    overrides = set(
        CalendarDay.objects.filter(
            date__year=year, source=CalendarDay.Source.OVERRIDE
        ).values_list("date", flat=True)
    )
    for day in CalendarDay.objects.filter(date__year=year).exclude(
        source=CalendarDay.Source.OVERRIDE
    ):
        day.delete()  # one by one, so the history keeps what the calendar was
    rows = [
        CalendarDay(
            date=day,
            is_working_day=False,
            kind=CalendarDay.Kind.HOLIDAY,
            name=name,
            source=source,
        )
        for day, name in holidays
        if day not in overrides
    ] + [
        CalendarDay(
            date=day,
            is_working_day=True,
            kind=CalendarDay.Kind.MAKEUP_WORKDAY,
            name=name,
            source=source,
        )
        for day, name in workdays
        if day not in overrides
    ]
    for row in rows:
        row.save()
    return arrangement


def arrangement_from_package(year: int) -> HolidayArrangement:
    """Seed a year from the chinesecalendar package (it knows years up to 2026)."""
    if year not in {d.year for d in constants.holidays}:
        raise ArrangementError(
            _("The calendar package does not know %(year)s: enter it by hand.")
            % {"year": year}
        )
    holidays = [
        (day, HOLIDAY_NAMES.get(name, name))
        for day, name in constants.holidays.items()
        if day.year == year
    ]
    workdays = [
        (day, HOLIDAY_NAMES.get(name, name) + "调休")
        for day, name in constants.workdays.items()
        if day.year == year
    ]
    return arrangement_enter(
        year=year,
        holidays=holidays,
        workdays=workdays,
        document=PACKAGE_DOCUMENT,
        source=CalendarDay.Source.PACKAGE,
    )


def parse_day_list(text: str, *, year: int) -> list[tuple[datetime.date, str]]:
    """Parse lines like `2027-02-05~2027-02-13 春节` or `2027-02-14 春节调休`.

    Raises ArrangementError naming the line that is wrong.
    """
    result = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        span, _sep, name = line.partition(" ")
        try:
            if "~" in span:
                first, last = (datetime.date.fromisoformat(p) for p in span.split("~"))
            else:
                first = last = datetime.date.fromisoformat(span)
        except ValueError:
            raise ArrangementError(
                _("Line %(n)s: %(line)r is not a date or a range of dates.")
                % {"n": number, "line": line}
            ) from None
        if last < first:
            raise ArrangementError(
                _("Line %(n)s: the range ends before it starts.") % {"n": number}
            )
        day = first
        while day <= last:
            result.append((day, name.strip()))
            day += datetime.timedelta(days=1)
    for day, _name in result:
        if day.year != year:
            raise ArrangementError(
                _("%(day)s is not in %(year)s.") % {"day": day, "year": year}
            )
    return result
