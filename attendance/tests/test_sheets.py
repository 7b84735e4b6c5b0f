"""Closing the sheet (ATT-6), settling sessions (ATT-5, ATT-8) and the discipline
feed (ATT-11, ATT-12)."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from attendance import services
from attendance.excuses import _PROVIDERS, Excuse, register_excuse_provider
from attendance.models import Outcome, SessionRecord, Sheet, SheetStatus
from attendance.tests.conftest import at
from bureau.models import Person
from discipline.models import Violation

pytestmark = pytest.mark.django_db


def sign(person, when_in, when_out=None):
    with time_machine.travel(when_in, tick=False):
        services.record_sign_in(by=person.user)
    if when_out:
        with time_machine.travel(when_out, tick=False):
            services.record_sign_out(by=person.user)


@pytest.fixture
def leave_provider():
    """A stand-in for the leave app's provider: a1 on sick leave on the Monday."""
    days = {}

    def provider(person_ids, start, end):
        return {
            key: value
            for key, value in days.items()
            if key[0] in set(person_ids) and start <= key[1] <= end
        }

    previous = _PROVIDERS.get("leave")
    register_excuse_provider("leave", provider)
    yield days
    if previous is None:
        _PROVIDERS.pop("leave", None)
    else:
        register_excuse_provider("leave", previous)


def test_att6_sheet_close_fixes_everyone_and_run_twice_changes_nothing(org, monday):
    """ATT-6: at start + 10 every active person has a row (in / missing); a second
    run adds nothing and keeps the sheet as it was."""
    sign(org.a1, at(monday, 7, 58))
    first = services.sheets_close(day=monday, now=at(monday, 8, 10))
    rows = SessionRecord.objects.filter(date=monday, part="am")
    people = Person.objects.count()
    assert rows.count() == people
    assert first.rows_created == people - 1
    assert rows.get(person=org.a1).sheet_status == SheetStatus.IN
    assert rows.get(person=org.b1).sheet_status == SheetStatus.MISSING
    snapshot = list(rows.values_list("pk", "sheet_status", "signed_in_at"))
    second = services.sheets_close(day=monday, now=at(monday, 8, 11))
    assert second.rows_created == 0 and second.closed == []
    assert list(rows.values_list("pk", "sheet_status", "signed_in_at")) == snapshot
    assert Sheet.objects.filter(date=monday, part="am").count() == 2  # organ + unit


def test_att6_sheet_not_closed_before_start_plus_10(org, monday):
    """ATT-6: at start + 9 the sheet is still open."""
    run = services.sheets_close(day=monday, now=at(monday, 8, 9))
    assert run.closed == [] and not SessionRecord.objects.exists()


def test_att6_sheet_close_command_is_a_dry_run_unless_commit(org, monday):
    """ATT-6: the management command calls the same service; dry run by default."""
    with time_machine.travel(at(monday, 8, 11), tick=False):
        call_command("close_attendance_sheet", stdout=io.StringIO())
        assert not SessionRecord.objects.exists()
        call_command("close_attendance_sheet", "--commit", stdout=io.StringIO())
        count = SessionRecord.objects.count()
        call_command("close_attendance_sheet", "--commit", stdout=io.StringIO())
    assert count == Person.objects.count() and SessionRecord.objects.count() == count


def test_att6_beat_task_runs_the_same_service_twice_safely(org, monday):
    """ATT-6: the Celery task (eager) closes and settles; running it twice is a no-op."""
    from attendance.tasks import process_sheets

    with time_machine.travel(at(monday, 12, 31), tick=False):
        process_sheets.delay()
        records = list(SessionRecord.objects.values_list("pk", "outcome", "settled_at"))
        violations = Violation.objects.count()
        process_sheets.delay()
    assert len(records) == Person.objects.count()
    assert (
        list(SessionRecord.objects.values_list("pk", "outcome", "settled_at"))
        == records
    )
    assert Violation.objects.count() == violations == len(records)  # all absent


def test_att6_leave_and_business_on_the_sheet(org, monday, leave_provider):
    """ATT-6: on leave and out on business are their own categories on the sheet."""
    leave_provider[(org.a1.pk, monday, "am")] = Excuse("leave", "病假", "leave.x", 1)
    with time_machine.travel(at(monday, 7, 50), tick=False):
        services.going_out_report(
            by=org.b1.user,
            leaves_at=at(monday, 7, 55),
            expected_return=at(monday, 11, 0),
            destination="县政府",
            reason="送材料",
        )
    going_out = org.b1.going_outs.get()
    services.going_out_decide(
        by=org.head_b.user, going_out_id=going_out.pk, acknowledge=True
    )
    services.sheets_close(day=monday, now=at(monday, 8, 10))
    rows = SessionRecord.objects.filter(date=monday, part="am")
    assert rows.get(person=org.a1).sheet_status == SheetStatus.LEAVE
    assert rows.get(person=org.b1).sheet_status == SheetStatus.BUSINESS
    assert "县政府" in rows.get(person=org.b1).excuse_label


def test_att8_settlement_absence_without_leave_excused_with_leave(
    org, monday, leave_provider
):
    """ATT-8/ATT-5: no sign-in without leave is a half-day absence and a violation;
    approved leave excuses the session and records its label."""
    leave_provider[(org.a1.pk, monday, "am")] = Excuse("leave", "病假", "leave.x", 1)
    sign(org.a2, at(monday, 8, 0), at(monday, 12, 0))
    services.sheets_settle(day=monday, now=at(monday, 12, 30))
    a1 = SessionRecord.objects.get(person=org.a1, date=monday, part="am")
    b1 = SessionRecord.objects.get(person=org.b1, date=monday, part="am")
    a2 = SessionRecord.objects.get(person=org.a2, date=monday, part="am")
    assert (a1.outcome, a1.excuse_label, a1.absence_days) == ("excused", "病假", 0)
    assert (b1.outcome, b1.absence_days) == (Outcome.ABSENT, Decimal("0.5"))
    assert a2.outcome == Outcome.ON_TIME
    assert b1.policy_versions["attendance.late_limit_minutes"] is not None
    violation = Violation.objects.get(person=org.b1)
    assert violation.kind == "attendance.absence" and violation.days == Decimal("0.5")
    assert not Violation.objects.filter(person__in=[org.a1, org.a2]).exists()


def test_att11_each_unexcused_incident_becomes_a_violation_once(org, monday):
    """ATT-11: late and early leave are each a violation with evidence; settling
    again records nothing more."""
    sign(org.a1, at(monday, 8, 12), at(monday, 11, 50))
    services.sheets_settle(day=monday, now=at(monday, 12, 30))
    kinds = set(Violation.objects.filter(person=org.a1).values_list("kind", flat=True))
    assert kinds == {"attendance.late", "attendance.early_leave"}
    assert (
        "08:12" in Violation.objects.get(person=org.a1, kind="attendance.late").evidence
    )
    services.sheets_settle(day=monday, now=at(monday, 12, 31))
    assert Violation.objects.filter(person=org.a1).count() == 2


def test_att5_settlement_waits_for_the_session_end(org, monday):
    """ATT-5: before end + settle minutes nothing is judged."""
    run = services.sheets_settle(day=monday, now=at(monday, 12, 29))
    assert run.settled == []


def test_att5_absence_from_post_over_30_minutes(org, monday):
    """ATT-5/7: the clerk records 31 minutes away without leave: the settled session
    becomes an absence; 30 minutes is not."""
    sign(org.a1, at(monday, 8, 0), at(monday, 12, 0))
    sign(org.b1, at(monday, 8, 0), at(monday, 12, 0))
    services.sheets_settle(day=monday, now=at(monday, 12, 30))
    with time_machine.travel(at(monday, 13, 0), tick=False):
        services.away_record(
            by=org.a2.user,
            person_id=org.a1.pk,
            left_at=at(monday, 9, 0),
            returned_at=at(monday, 9, 31),
        )
        services.away_record(
            by=org.a2.user,
            person_id=org.b1.pk,
            left_at=at(monday, 9, 0),
            returned_at=at(monday, 9, 30),
        )
    a1 = SessionRecord.objects.get(person=org.a1, date=monday, part="am")
    b1 = SessionRecord.objects.get(person=org.b1, date=monday, part="am")
    assert (a1.outcome, a1.outcome_reason) == (Outcome.ABSENT, "away_from_post")
    assert b1.outcome == Outcome.ON_TIME


def test_att5_clerk_cannot_record_own_absence_from_post(org, monday):
    """Nobody records against their own record."""
    with (
        time_machine.travel(at(monday, 13, 0), tick=False),
        pytest.raises(services.AttendanceError),
    ):
        services.away_record(
            by=org.a2.user,
            person_id=org.a2.pk,
            left_at=at(monday, 9, 0),
            returned_at=at(monday, 9, 40),
        )


def test_att8_leave_approved_afterwards_rejudges(org, monday, leave_provider):
    """LV-8/ATT-8: leave filed afterwards re-judges the settled session."""
    services.sheets_settle(day=monday, now=at(monday, 12, 30))
    leave_provider[(org.b1.pk, monday, "am")] = Excuse("leave", "事假", "leave.x", 2)
    assert (
        services.rejudge_sessions(person_ids=[org.b1.pk], start=monday, end=monday) == 1
    )
    b1 = SessionRecord.objects.get(person=org.b1, date=monday, part="am")
    assert b1.outcome == Outcome.EXCUSED and b1.excuse_label == "事假"


def test_att12_long_absence_flagged(org):
    """ATT-12: more than 15 consecutive working days absent → long_absence violation."""
    day = datetime.date(2026, 6, 1)
    settled = 0
    while settled < 16:
        run = services.sheets_settle(day=day, now=at(day, 23), force=True)
        settled += bool(run.settled)
        day += datetime.timedelta(days=1)
    flags = Violation.objects.filter(person=org.b1, kind="attendance.long_absence")
    assert flags.count() == 1


def test_att6_corrections_keep_history_and_need_reason(org, monday):
    """ATT-6: the clerk corrects with a reason; history keeps both; never one's own."""
    services.sheets_settle(day=monday, now=at(monday, 12, 30))
    record = SessionRecord.objects.get(person=org.b1, date=monday, part="am")
    with pytest.raises(services.AttendanceError):
        services.record_correct(
            by=org.a2.user,
            record_id=record.pk,
            signed_in_at=at(monday, 7, 58),
            signed_out_at=at(monday, 12, 1),
            reason=" ",
        )
    own = SessionRecord.objects.get(person=org.a2, date=monday, part="am")
    with pytest.raises(services.AttendanceError):
        services.record_correct(
            by=org.a2.user,
            record_id=own.pk,
            signed_in_at=at(monday, 7, 58),
            signed_out_at=at(monday, 12, 1),
            reason="忘记签到",
        )
    with pytest.raises(services.AttendanceError):
        services.record_correct(
            by=org.head_b.user,
            record_id=record.pk,
            signed_in_at=at(monday, 7, 58),
            signed_out_at=at(monday, 12, 1),
            reason="x",
        )
    corrected, changed = services.record_correct(
        by=org.a2.user,
        record_id=record.pk,
        signed_in_at=at(monday, 7, 58),
        signed_out_at=at(monday, 12, 1),
        reason="系统故障，股长证明按时到岗",
    )
    assert changed and corrected.outcome == Outcome.ON_TIME
    history = list(corrected.history.order_by("history_date"))
    assert history[0].outcome == Outcome.OPEN
    assert history[-2].outcome == Outcome.ABSENT
    assert history[-1].history_change_reason.startswith("系统故障")


def test_att13_closed_month_locks_corrections_until_reopened(org, monday):
    """ATT-6/13: a closed month refuses corrections; reopening needs a reason."""
    services.sheets_settle(day=monday, now=at(monday, 12, 30))
    record = SessionRecord.objects.get(person=org.b1, date=monday, part="am")
    today = datetime.date(2026, 12, 5)
    services.month_close(
        by=org.a2.user, year=2026, month=11, reason="发布", today=today
    )
    with pytest.raises(services.AttendanceError):
        services.record_correct(
            by=org.a2.user,
            record_id=record.pk,
            signed_in_at=at(monday, 7, 58),
            signed_out_at=at(monday, 12, 1),
            reason="补正",
        )
    with pytest.raises(services.AttendanceError):
        services.month_reopen(by=org.a2.user, year=2026, month=11, reason="")
    services.month_reopen(by=org.a2.user, year=2026, month=11, reason="补正病假")
    services.record_correct(
        by=org.a2.user,
        record_id=record.pk,
        signed_in_at=at(monday, 7, 58),
        signed_out_at=at(monday, 12, 1),
        reason="补正",
    )
    from attendance.models import MonthClose

    assert MonthClose.objects.get().history.count() == 2


def test_att13_month_cannot_close_before_it_ends(org):
    """ATT-6: the monthly summary is published after the month."""
    with pytest.raises(services.AttendanceError):
        services.month_close(
            by=org.a2.user,
            year=2026,
            month=11,
            reason="x",
            today=datetime.date(2026, 11, 20),
        )


def test_att11_correction_withdraws_the_violation_it_no_longer_supports(org, monday):
    """ATT-11: a half-day absence corrected to on time no longer counts: its
    violation is dismissed with the correction's reason, and the ladder recomputed."""
    services.sheets_settle(day=monday, now=at(monday, 12, 30))
    record = SessionRecord.objects.get(person=org.b1, date=monday, part="am")
    violation = Violation.objects.get(kind="attendance.absence", source_id=record.pk)
    assert violation.status == Violation.Status.UPHELD
    services.record_correct(
        by=org.a2.user,
        record_id=record.pk,
        signed_in_at=at(monday, 7, 58),
        signed_out_at=at(monday, 12, 1),
        reason="系统故障，股长证明按时到岗",
    )
    violation.refresh_from_db()
    assert violation.status == Violation.Status.DISMISSED
    assert "系统故障" in violation.decision_note
