"""CAL-1 (working days, 調休, arrangements) and CAL-2 (seasonal sessions)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bureau import workdays
from bureau.models import CalendarDay, HolidayArrangement, SeasonalSchedule

D = datetime.date


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day, working",
    [
        (D(2026, 10, 10), True),  # Saturday, make-up working day for National Day
        (D(2026, 2, 14), True),  # Saturday, make-up working day for Spring Festival
        (D(2026, 2, 28), True),  # Saturday, make-up working day
        (D(2026, 2, 16), False),  # Spring Festival (Monday)
        (D(2026, 2, 17), False),  # Spring Festival
        (D(2026, 2, 20), False),  # Spring Festival (Friday)
        (D(2026, 10, 1), False),  # National Day
        (D(2026, 11, 26), True),  # an ordinary Thursday
        (D(2026, 11, 28), False),  # an ordinary Saturday
    ],
)
def test_cal1_working_days_follow_the_national_arrangement(day, working):
    """CAL-1: make-up Saturdays are working days, holidays are not."""
    assert workdays.is_working_day(day) is working


@pytest.mark.django_db
def test_cal1_working_days_between_counts_makeup_saturdays():
    """CAL-1: 2026-02-09..2026-02-15 has 5 weekdays + the make-up Saturday 14th."""
    assert workdays.working_days_between(D(2026, 2, 9), D(2026, 2, 15)) == 6
    assert workdays.working_days_between(D(2026, 2, 15), D(2026, 2, 24)) == 1
    assert workdays.next_working_day(D(2026, 9, 30)) == D(2026, 10, 8)


@pytest.mark.django_db
def test_cal1_bureau_override_wins():
    """CAL-1: the bureau can override a day; re-seeding the year keeps the override."""
    CalendarDay.objects.update_or_create(
        date=D(2026, 12, 31),
        defaults=dict(
            is_working_day=False,
            kind=CalendarDay.Kind.BUREAU_REST,
            name="停电",
            source=CalendarDay.Source.OVERRIDE,
        ),
    )
    assert not workdays.is_working_day(D(2026, 12, 31))
    workdays.arrangement_from_package(2026)
    assert not workdays.is_working_day(D(2026, 12, 31))


@pytest.mark.django_db
def test_cal1_warns_from_november_when_next_year_is_missing(english):
    """CAL-1: from 1 November, a next year without an arrangement is warned about."""
    assert not HolidayArrangement.objects.filter(year=2027).exists()
    assert workdays.years_without_arrangement(D(2026, 10, 31)) == []
    assert workdays.years_without_arrangement(D(2026, 11, 1)) == [2027]
    warnings = workdays.arrangement_warnings(D(2026, 11, 26))
    assert len(warnings) == 1 and "2027" in warnings[0]


@pytest.mark.django_db
def test_cal1_entering_a_year_at_once_clears_the_warning():
    """CAL-1: an administrator enters 2027's holidays and make-up days in one go."""
    holidays = workdays.parse_day_list(
        "2027-01-01 元旦\n2027-02-06~2027-02-14 春节", year=2027
    )
    makeups = workdays.parse_day_list("2027-02-20 春节调休", year=2027)
    workdays.arrangement_enter(
        year=2027, holidays=holidays, workdays=makeups, document="国办发明电〔2026〕7号"
    )
    assert workdays.years_without_arrangement(D(2026, 11, 26)) == []
    assert not workdays.is_working_day(D(2027, 2, 8))  # a Monday in the holiday
    assert workdays.is_working_day(D(2027, 2, 20))  # the make-up Saturday


@pytest.mark.django_db
def test_cal1_a_year_without_arrangement_is_monday_to_friday():
    """CAL-1: 2027 (not entered) is judged Monday–Friday, and warned about above."""
    assert workdays.is_working_day(D(2027, 1, 1))  # a Friday; not guessed a holiday
    assert not workdays.is_working_day(D(2027, 1, 2))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, message",
    [
        ("2027-13-01 x", "not a date"),
        ("2027-02-10~2027-02-01 x", "ends before"),
        ("2028-01-01 x", "not in 2027"),
    ],
)
def test_cal1_bad_arrangement_lines_are_refused(text, message, english):
    """CAL-1: a wrong line is named, and nothing is entered."""
    with pytest.raises(workdays.ArrangementError, match=message):
        workdays.parse_day_list(text, year=2027)
    assert not HolidayArrangement.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_cal1_makeup_day_must_be_a_weekend(english):
    """CAL-1: a make-up working day on a weekday is a typing error: refused."""
    with pytest.raises(workdays.ArrangementError, match="weekday"):
        workdays.arrangement_enter(
            year=2027,
            holidays=[(D(2027, 1, 1), "元旦")],
            workdays=[(D(2027, 1, 4), "x")],
        )
    assert not HolidayArrangement.objects.filter(year=2027).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day, afternoon_start",
    [
        (D(2026, 4, 30), datetime.time(14, 30)),  # last winter day
        (
            D(2026, 5, 1),
            datetime.time(15, 0),
        ),  # summer starts (a holiday, still summer)
        (D(2026, 9, 30), datetime.time(15, 0)),  # last summer day
        (D(2026, 10, 1), datetime.time(14, 30)),  # winter starts
        (D(2026, 1, 5), datetime.time(14, 30)),  # January wraps round to winter
    ],
)
def test_cal2_seasonal_schedule_switch_days(day, afternoon_start):
    """CAL-2: summer from 1 May (afternoon 15:00), winter from 1 October (14:30)."""
    schedule = workdays.schedule_for(None, day)
    assert schedule.afternoon_start == afternoon_start


@pytest.mark.django_db
def test_cal2_sessions_in_shanghai_time_and_none_on_rest_days(org):
    """CAL-2: two sessions on a working day, in Asia/Shanghai; none on a holiday."""
    sessions = workdays.person_sessions_on(org.a1, D(2026, 11, 26))
    assert [s.part for s in sessions] == ["am", "pm"]
    assert sessions[0].start.isoformat() == "2026-11-26T08:00:00+08:00"
    assert sessions[1].end.isoformat() == "2026-11-26T17:30:00+08:00"
    assert workdays.person_sessions_on(org.a1, D(2026, 10, 1)) == []
    assert len(workdays.person_sessions_on(org.a1, D(2026, 10, 10))) == 2


@pytest.mark.django_db
def test_cal2_unit_schedule_replaces_the_default(org):
    """CAL-2: a unit with its own seasons uses them; other units keep the default."""
    SeasonalSchedule.objects.create(
        unit=org.unit,
        name="服务站全年",
        starts_month=1,
        starts_day=1,
        morning_start=datetime.time(8, 30),
        morning_end=datetime.time(12, 0),
        afternoon_start=datetime.time(14, 0),
        afternoon_end=datetime.time(17, 0),
    )
    assert workdays.person_sessions_on(org.u1, D(2026, 7, 1))[0].start.hour == 8
    assert workdays.person_sessions_on(org.u1, D(2026, 7, 1))[1].start.hour == 14
    assert workdays.person_sessions_on(org.a1, D(2026, 7, 1))[1].start.hour == 15


@pytest.mark.django_db
def test_cal2_schedule_sessions_must_be_in_order():
    """CAL-2: a schedule whose afternoon starts before the morning ends is refused."""
    schedule = SeasonalSchedule(
        name="x",
        starts_month=2,
        starts_day=30,
        morning_start=datetime.time(8),
        morning_end=datetime.time(12),
        afternoon_start=datetime.time(11),
        afternoon_end=datetime.time(17),
    )
    with pytest.raises(ValidationError):
        schedule.full_clean()
