"""Signing in and out (ATT-1..5) through the services, with frozen time."""

import datetime
import time

import pytest
import time_machine

from attendance import services
from attendance.models import Arrival, Departure, SessionRecord, SheetStatus
from attendance.tests.conftest import at

pytestmark = pytest.mark.django_db


def sign_in(person, when):
    with time_machine.travel(when, tick=False):
        return services.record_sign_in(by=person.user)


def test_att2_sign_in_at_10_00_after_start_is_on_time(org, monday):
    """ATT-2: signing in exactly 10 minutes after the start is on time."""
    record, created = sign_in(org.a1, at(monday, 8, 10, 0))
    assert created and record.arrival == Arrival.ON_TIME
    assert record.sheet_status == SheetStatus.IN


def test_att3_sign_in_at_10_01_after_start_is_late(org, monday):
    """ATT-3: 10:01 after the start is late."""
    record, _ = sign_in(org.a1, at(monday, 8, 10, 1))
    assert record.arrival == Arrival.LATE


def test_att3_sign_in_at_15_00_after_start_is_late(org, monday):
    """ATT-3: 15:00 after the start is still late (以內 includes 15)."""
    record, _ = sign_in(org.a1, at(monday, 8, 15, 0))
    assert record.arrival == Arrival.LATE


def test_att5_sign_in_at_15_01_after_start_is_half_day_absence(org, monday):
    """ATT-5: 15:01 after the start is a half-day absence."""
    record, _ = sign_in(org.a1, at(monday, 8, 15, 1))
    assert record.arrival == Arrival.ABSENT


def test_att1_repeated_sign_in_leaves_one_record_and_keeps_the_first(org, monday):
    """ATT-1: a second click does not move the sign-in time."""
    first, created = sign_in(org.a1, at(monday, 7, 55))
    again, created_again = sign_in(org.a1, at(monday, 8, 30))
    assert created and not created_again
    assert again.pk == first.pk and again.signed_in_at == first.signed_in_at
    assert SessionRecord.objects.filter(person=org.a1).count() == 1


def test_att1_record_stores_the_policy_versions_it_used(org, monday):
    """Each judgement records the policy version ids it was judged by."""
    from bureau.policies import policy_in_force

    record, _ = sign_in(org.a1, at(monday, 8, 0))
    grace = policy_in_force("attendance.sign_in_grace_minutes", monday)
    assert grace.id is not None
    assert record.policy_versions["attendance.sign_in_grace_minutes"] == grace.id


def test_att2_a_revised_policy_applies_from_its_date(org, monday):
    """ATT-2: the grace in force on the record's date decides (policy as data)."""
    from bureau.models import Policy

    Policy.objects.create(
        key="attendance.sign_in_grace_minutes", effective_from=monday, value=5
    )
    record, _ = sign_in(org.a1, at(monday, 8, 6))
    assert record.arrival == Arrival.LATE


def test_att1_no_session_open_refuses(org, monday):
    """ATT-1: outside every session's window there is nothing to sign in to."""
    with pytest.raises(services.AttendanceError):
        sign_in(org.a1, at(monday, 6, 30))
    with pytest.raises(services.AttendanceError):
        sign_in(org.a1, at(monday, 13, 0))


def test_cal1_make_up_saturday_needs_sign_in(org):
    """CAL-1/ATT-1: a make-up working Saturday (2026-05-09) has sessions."""
    saturday = datetime.date(2026, 5, 9)
    assert saturday.weekday() == 5
    record, created = sign_in(org.a1, at(saturday, 8, 0))
    assert created and record.arrival == Arrival.ON_TIME


def test_cal1_holiday_needs_no_sign_in(org):
    """CAL-1: on a public holiday (2026-10-01) there is no session to sign in to,
    and closing the sheet creates no absence."""
    holiday = datetime.date(2026, 10, 1)
    with pytest.raises(services.AttendanceError):
        sign_in(org.a1, at(holiday, 8, 0))
    run = services.sheets_settle(day=holiday, now=at(holiday, 23), force=True)
    assert run.rows_created == 0
    assert not SessionRecord.objects.filter(date=holiday).exists()


def test_cal2_seasonal_switch_day(org):
    """CAL-2: the afternoon starts 15:00 in summer (2026-09-30) and 14:30 from the
    winter season's first working day (2026-10-08); a unit's own season switches on
    its start day exactly."""
    from bureau.models import SeasonalSchedule

    summer, _ = sign_in(org.a1, at(datetime.date(2026, 9, 30), 15, 10))
    assert summer.arrival == Arrival.ON_TIME
    winter, _ = sign_in(org.a1, at(datetime.date(2026, 10, 8), 14, 41))
    assert winter.arrival == Arrival.LATE
    SeasonalSchedule.objects.create(
        unit=org.unit,
        name="站点冬令",
        starts_month=11,
        starts_day=3,
        morning_start=datetime.time(8, 30),
        morning_end=datetime.time(12, 0),
        afternoon_start=datetime.time(14, 0),
        afternoon_end=datetime.time(17, 0),
    )
    SeasonalSchedule.objects.create(
        unit=org.unit,
        name="站点夏令",
        starts_month=5,
        starts_day=1,
        morning_start=datetime.time(8, 0),
        morning_end=datetime.time(12, 0),
        afternoon_start=datetime.time(15, 0),
        afternoon_end=datetime.time(18, 0),
    )
    day_before, _ = sign_in(org.u1, at(datetime.date(2026, 11, 2), 8, 11))
    switch_day, _ = sign_in(org.u1, at(datetime.date(2026, 11, 3), 8, 11))
    assert day_before.arrival == Arrival.LATE  # still 08:00
    assert switch_day.arrival == Arrival.ON_TIME  # 08:30 from the switch day


def test_att4_sign_out_exactly_15_minutes_early_is_early_leave(org, monday):
    """ATT-4 reading: exactly 15 minutes before the end is early leave."""
    sign_in(org.a1, at(monday, 8, 0))
    with time_machine.travel(at(monday, 11, 45, 0), tick=False):
        record, changed = services.record_sign_out(by=org.a1.user)
    assert changed and record.departure == Departure.EARLY


def test_att5_sign_out_15_01_early_is_absence(org, monday):
    """ATT-5: 15:01 before the end is an absence."""
    sign_in(org.a1, at(monday, 8, 0))
    with time_machine.travel(at(monday, 11, 44, 59), tick=False):
        record, _ = services.record_sign_out(by=org.a1.user)
    assert record.departure == Departure.ABSENT


def test_att4_sign_out_without_sign_in_refused(org, monday):
    """ATT-4: one cannot sign out of a session one has not signed in to."""
    with (
        time_machine.travel(at(monday, 12, 0), tick=False),
        pytest.raises(services.AttendanceError),
    ):
        services.record_sign_out(by=org.a1.user)


def test_att1_late_sign_in_after_sheet_close_updates_the_missing_row(org, monday):
    """ATT-1/6: after the sheet closed (a "missing" row), a late sign-in fills that
    row; the sheet's category stays as fixed at closing."""
    services.sheets_close(day=monday, now=at(monday, 8, 10))
    row = SessionRecord.objects.get(person=org.a1, date=monday, part="am")
    assert row.sheet_status == SheetStatus.MISSING
    record, created = sign_in(org.a1, at(monday, 8, 12))
    assert created and record.pk == row.pk
    assert record.arrival == Arrival.LATE
    assert record.sheet_status == SheetStatus.MISSING
    assert record.history.count() == 2


def test_att1_sign_in_writes_no_history_row_the_record_says_who_and_when(org, monday):
    """Issue 17: a sign-in is the record itself (personal, the server's time): no
    history row is written for it; the sign-out writes one with the whole record."""
    record, created = sign_in(org.a1, at(monday, 8, 0))
    assert created and record.history.count() == 0
    assert record.person == org.a1 and record.signed_in_at == at(monday, 8, 0)
    with time_machine.travel(at(monday, 12, 0), tick=False):
        services.record_sign_out(by=org.a1.user)
    (row,) = record.history.all()
    assert row.signed_in_at == at(monday, 8, 0) and row.signed_out_at is not None


def test_att6_correction_of_a_sign_in_keeps_the_signed_in_version(org, monday):
    """Issue 17: correcting a record that has no history yet (signed in, not yet
    out) first keeps the version signed in, by the person at their sign-in time,
    then the correction's own row: history still holds both."""
    record, _ = sign_in(org.b1, at(monday, 8, 20))
    assert record.arrival == Arrival.ABSENT
    with time_machine.travel(at(monday, 9, 0), tick=False):
        services.record_correct(
            by=org.a2.user,
            record_id=record.pk,
            signed_in_at=at(monday, 7, 58),
            signed_out_at=None,
            reason="门禁故障，股长证明按时到岗",
        )
    first, second = record.history.order_by("history_date")
    assert first.history_type == "+" and first.history_user_id == org.b1.user_id
    assert first.history_date == at(monday, 8, 20)
    assert first.signed_in_at == at(monday, 8, 20) and first.arrival == Arrival.ABSENT
    assert second.signed_in_at == at(monday, 7, 58)
    assert second.arrival == Arrival.ON_TIME
    assert second.history_change_reason.startswith("门禁故障")


def _counting_shared_cache(plan, monkeypatch):
    """The plan module's cache as a shared one, its calls listed."""
    calls = []

    class Counting:
        def __getattr__(self, name):
            method = getattr(plan.caches["default"], name)

            def call(*args, **kwargs):
                calls.append(name)
                return method(*args, **kwargs)

            return call

    monkeypatch.setattr(plan, "cache_is_shared", lambda: True)
    monkeypatch.setattr(plan, "cache", Counting())
    return calls


def test_att1_day_plan_is_one_cache_round_trip_with_a_shared_cache(
    org, monday, monkeypatch
):
    """Issue 17: with a shared cache (Redis) a sign-in reads the day plan in one
    round trip: the generation only, the worker keeping the plan it read; a
    bumped generation (a policy or calendar change) is seen by the next read."""
    from attendance import plan

    calls = _counting_shared_cache(plan, monkeypatch)
    first = plan.day_plan(org.organ.pk, monday)
    calls.clear()
    assert plan.day_plan(org.organ.pk, monday) == first
    assert calls == ["get"]
    plan._bump_cache()
    calls.clear()
    assert plan.day_plan(org.organ.pk, monday) == first
    assert calls == ["get", "get", "set"]  # computed afresh under the new generation


def test_att1_a_workers_copy_of_the_day_plan_follows_the_shared_cache(
    org, monday, monkeypatch
):
    """Issue 17: the plan a worker keeps is used only under the generation it was
    computed under and no longer than the cache keeps it (a minute); a plan
    another worker computed is taken from the cache; a generation Redis lost is
    replaced by a random one, never matched by an old copy."""
    from attendance import plan

    calls = _counting_shared_cache(plan, monkeypatch)
    unit = org.organ.pk
    first = plan.day_plan(unit, monday)
    # Another worker's change: the generation moves on, the next read recomputes.
    plan.caches["default"].incr(plan.GENERATION_KEY)
    calls.clear()
    second = plan.day_plan(unit, monday)
    assert calls == ["get", "get", "set"] and second == first
    # Another worker's plan, in the cache: read from there, not computed.
    plan._copies.clear()
    calls.clear()
    assert plan.day_plan(unit, monday) == first
    assert calls == ["get", "get"]
    # A minute later the copy is no longer used (nor the cache's entry).
    calls.clear()
    with time_machine.travel(time.time() + plan.TTL_SECONDS + 1):
        plan.day_plan(unit, monday)
    assert calls == ["get", "get", "set"]
    # Redis lost everything: a new random generation, computed afresh.
    generation = plan.caches["default"].get(plan.GENERATION_KEY)
    plan.caches["default"].clear()
    calls.clear()
    plan.day_plan(unit, monday)
    assert calls == ["get", "set", "get", "set"]
    assert plan.caches["default"].get(plan.GENERATION_KEY) != generation


def test_att1_sign_in_insert_writes_the_row_save_would(org, monday):
    """Issue 17: the sign-in's INSERT, compiled once per process, writes the row
    Model.save() writes (every column, each value prepared by its field) and sends
    the same signals; a second sign-in of the same session meets the unique
    constraint as save() would."""
    from django.db.models.signals import post_save, pre_save
    from django.forms.models import model_to_dict

    from attendance.services import records

    seen = []

    def listen(signal):
        def receiver(sender, instance, **kwargs):
            seen.append((signal, instance.pk, kwargs.get("created")))

        return receiver

    on_pre, on_post = listen("pre"), listen("post")
    pre_save.connect(on_pre, sender=SessionRecord)
    post_save.connect(on_post, sender=SessionRecord)
    try:
        fast, created = sign_in(org.a1, at(monday, 8, 3))
    finally:
        pre_save.disconnect(on_pre, sender=SessionRecord)
        post_save.disconnect(on_post, sender=SessionRecord)
    assert created and seen == [("pre", None, None), ("post", fast.pk, True)]
    assert not fast._state.adding and fast._state.db == "default"
    slow = SessionRecord(
        **{
            f.attname: getattr(fast, f.attname)
            for f in SessionRecord._meta.concrete_fields
            if not f.primary_key
        }
    )
    slow.person_id = org.b1.pk
    slow.save()
    stored = [
        model_to_dict(SessionRecord.objects.get(pk=pk), exclude=["id", "person"])
        for pk in (fast.pk, slow.pk)
    ]
    assert stored[0] == stored[1]
    assert records._INSERTS["default"] is not None  # the compiled statement
    again, created_again = sign_in(org.a1, at(monday, 8, 4))
    assert not created_again and again.pk == fast.pk


def test_att1_sign_in_with_a_workers_copy_needs_no_cache_round_trip(
    org, monday, monkeypatch, django_assert_num_queries
):
    """Issue 17: a worker that has judged a sign-in of the unit's day signs the
    next person in without asking the cache anything: the person and the
    INSERT, which itself checks that the plan's generation still holds. (A copy
    serves a minute from its computation.)"""
    from attendance import plan

    calls = _counting_shared_cache(plan, monkeypatch)
    sign_in(org.b1, at(monday, 7, 59, 50))
    calls.clear()
    # The INSERT and its savepoint (a test runs inside a transaction); the
    # person is the user's own, read with the user.
    with django_assert_num_queries(3):
        record, created = sign_in(org.a1, at(monday, 8, 0, 20))
    assert created and record.arrival == Arrival.ON_TIME
    assert calls == []


def test_att2_a_policy_revised_after_a_workers_copy_judges_the_next_sign_in(
    org, monday
):
    """ATT-2, issue 17: a grace revised after the worker kept its copy of the day
    plan: the copy's INSERT writes nothing, and the sign-in is judged again under
    the revised grace, with its version recorded."""
    from bureau.models import Policy

    sign_in(org.b1, at(monday, 8, 5, 30))  # the worker's copy: 10 minutes' grace
    revised = Policy.objects.create(
        key="attendance.sign_in_grace_minutes", effective_from=monday, value=5
    )
    record, created = sign_in(org.a1, at(monday, 8, 6))
    assert created and record.arrival == Arrival.LATE
    assert record.policy_versions["attendance.sign_in_grace_minutes"] == revised.pk
    assert SessionRecord.objects.filter(person=org.a1).count() == 1


def test_cal1_a_make_up_day_added_after_a_workers_copy_opens_its_sessions(org):
    """CAL-1, issue 17: a Saturday the worker's copy holds as a rest day, made a
    bureau working day since: "no session open" is checked against the database's
    generation first, and the sign-in goes through under the fresh plan."""
    from bureau.models import CalendarDay

    saturday = datetime.date(2026, 11, 7)
    with pytest.raises(services.AttendanceError):
        sign_in(org.b1, at(saturday, 7, 59, 40))
    CalendarDay.objects.create(
        date=saturday,
        is_working_day=True,
        kind=CalendarDay.Kind.BUREAU_WORKDAY,
        name="加班",
    )
    record, created = sign_in(org.a1, at(saturday, 8, 0))
    assert created and record.arrival == Arrival.ON_TIME


def test_att1_a_second_click_after_a_policy_change_keeps_the_first_sign_in(org, monday):
    """ATT-1, issue 17: a repeated click after a change still meets the first
    sign-in (unique constraint), judged by the copy's plan only once checked."""
    from bureau.models import Policy

    first, _ = sign_in(org.a1, at(monday, 8, 6))
    assert first.arrival == Arrival.ON_TIME
    Policy.objects.create(
        key="attendance.sign_in_grace_minutes", effective_from=monday, value=5
    )
    again, created = sign_in(org.a1, at(monday, 8, 7))
    assert not created and again.pk == first.pk
    assert again.arrival == Arrival.ON_TIME and again.signed_in_at == first.signed_in_at


def test_att1_sign_in_generation_guard_holds_back_a_stale_insert(org, monday):
    """Issue 17: the guarded INSERT writes nothing under a generation that is no
    longer the database's, and writes the row under the current one."""
    from attendance import plan
    from attendance.services import records

    record = SessionRecord(
        person=org.a1,
        unit_id=org.a1.unit_id,
        date=monday,
        part="am",
        starts_at=at(monday, 8),
        ends_at=at(monday, 12),
        signed_in_at=at(monday, 8),
        arrival=Arrival.ON_TIME,
    )
    plan.invalidate()
    current = plan.current_generation()
    assert records._insert(record, current + 1) is False
    assert record._state.adding and record.pk is None
    assert not SessionRecord.objects.filter(person=org.a1).exists()
    assert records._insert(record, current) is True
    assert SessionRecord.objects.get(person=org.a1).pk == record.pk


def test_att3_a_late_limit_revised_after_a_workers_copy_judges_a_sign_in_after_close(
    org, monday
):
    """ATT-3, issue 17: after the sheet closed, a sign-in fills the "missing" row
    without an INSERT; the worker's copy is checked first, so the late limit
    revised since (15 → 20 minutes) judges it late, not absent."""
    from bureau.models import Policy

    services.sheets_close(day=monday, now=at(monday, 8, 10))
    sign_in(org.b1, at(monday, 8, 16))  # the worker's copy: a 15-minute limit
    Policy.objects.create(
        key="attendance.late_limit_minutes", effective_from=monday, value=20
    )
    record, created = sign_in(org.a1, at(monday, 8, 16, 30))
    assert created and record.arrival == Arrival.LATE


def test_att1_sign_in_insert_is_prepared_once_per_connection(org, monday):
    """Issue 17: on PostgreSQL the sign-in's INSERT is a prepared statement,
    parsed and planned once per connection, and still reaches the query log."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements: PostgreSQL")
    with CaptureQueriesContext(connection) as queries:
        sign_in(org.a1, at(monday, 8, 0))
        sign_in(org.b1, at(monday, 8, 0, 10))
    table = SessionRecord._meta.db_table
    inserts = [q for q in queries if q["sql"].startswith(f'INSERT INTO "{table}"')]
    assert len(inserts) == 2
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f'INSERT INTO "{table}"%'],
        )
        assert cursor.fetchone()[0] == 1
