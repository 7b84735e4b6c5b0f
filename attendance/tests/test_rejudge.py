"""Re-judging attendance in one place (ATT-8): the excuse registry announces a
change, attendance judges the settled sessions again after commit in a Celery task
that is retried when the database interrupts it and is safe to run twice."""

import datetime
from unittest import mock

import pytest
from django.db import OperationalError, transaction
from django.utils import timezone

from attendance import excuses, services, tasks
from attendance.excuses import Excuse, announce_excuses_changed
from attendance.models import Outcome, SessionRecord
from attendance.services import judging
from attendance.tests.conftest import at
from attendance.tests.test_sheets import leave_provider  # noqa: F401
from discipline.models import Violation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_attendance_listens(monkeypatch):
    """Other chapters hear the same announcement (duty re-flags its rosters after
    commit); these tests count attendance's own re-judge only."""
    monkeypatch.setattr(
        excuses,
        "_LISTENERS",
        {k: v for k, v in excuses._LISTENERS.items() if k.startswith("attendance")},
    )


@pytest.fixture
def absent_b1(org, monday):
    """b1 never signed in on Monday morning: settled as a half-day absence, with
    its violation."""
    services.sheets_settle(day=monday, now=at(monday, 12, 30))
    record = SessionRecord.objects.get(person=org.b1, date=monday, part="am")
    assert record.outcome == Outcome.ABSENT
    return record


def _fails_once(real):
    calls = []

    def judge(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    return judge, calls


def test_att8_rejudge_task_retried_after_a_failure_applies_once(
    org,
    monday,
    absent_b1,
    leave_provider,  # noqa: F811
):
    """ATT-8: the re-judge fails once (the database is locked), the task retries,
    the second run succeeds: the session is excused with ONE new history row and
    the violation dismissed once; running the task again changes nothing."""
    violation = Violation.objects.get(kind="attendance.absence", source_id=absent_b1.pk)
    history_before = absent_b1.history.count()
    leave_provider[(org.b1.pk, monday, "am")] = Excuse("leave", "病假", "leave.x", 9)
    judge, calls = _fails_once(judging.judge_records)
    with mock.patch.object(judging, "judge_records", judge):
        # Run as a worker runs it (exceptions not propagated to the caller): the
        # autoretry on RejudgeInterrupted re-applies the task.
        result = tasks.rejudge_sessions.apply(
            args=[[org.b1.pk], monday.isoformat(), monday.isoformat(), "leave changed"],
            throw=False,
        )
    assert len(calls) == 2  # failed, retried
    assert result.get() == 1
    absent_b1.refresh_from_db()
    assert absent_b1.outcome == Outcome.EXCUSED and absent_b1.excuse_label == "病假"
    assert absent_b1.history.count() == history_before + 1
    assert absent_b1.history.first().history_change_reason == "leave changed"
    violation.refresh_from_db()
    assert violation.status == Violation.Status.DISMISSED
    dismissed = violation.history.count()

    again = tasks.rejudge_sessions.delay(
        [org.b1.pk], monday.isoformat(), monday.isoformat(), "leave changed"
    )
    assert again.get() == 0
    assert absent_b1.history.count() == history_before + 1
    assert violation.history.count() == dismissed


def test_att8_rejudge_interrupted_rolls_back_and_names_the_exception(
    org,
    monday,
    absent_b1,
    leave_provider,  # noqa: F811
):
    """ATT-8: an interruption is raised as RejudgeInterrupted (the exception the
    task retries on) and leaves nothing half applied."""
    leave_provider[(org.b1.pk, monday, "am")] = Excuse("leave", "病假", "leave.x", 9)

    def broken(records, **kwargs):
        for record in records:
            record.outcome = Outcome.EXCUSED
            record.save(update_fields=["outcome"])
        raise OperationalError("deadlock detected")

    with (
        mock.patch.object(judging, "judge_records", broken),
        pytest.raises(services.common.RejudgeInterrupted),
    ):
        services.rejudge_sessions(person_ids=[org.b1.pk], start=monday, end=monday)
    absent_b1.refresh_from_db()
    assert absent_b1.outcome == Outcome.ABSENT
    assert tasks.rejudge_sessions.autoretry_for == (services.common.RejudgeInterrupted,)


def test_att8_announced_change_is_rejudged_after_commit_not_before(
    org,
    monday,
    absent_b1,
    leave_provider,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """ATT-8: a provider announces the change inside its transaction; nothing is
    judged until it commits (then the task runs); a rolled-back change announces
    nothing."""
    leave_provider[(org.b1.pk, monday, "am")] = Excuse("leave", "事假", "leave.x", 3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        announce_excuses_changed([org.b1.pk], monday, monday, reason="leave changed")
    absent_b1.refresh_from_db()
    assert absent_b1.outcome == Outcome.ABSENT  # the request did not judge
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                announce_excuses_changed([org.b1.pk], monday, monday)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    absent_b1.refresh_from_db()
    assert absent_b1.outcome == Outcome.ABSENT
    callbacks[0]()
    absent_b1.refresh_from_db()
    assert absent_b1.outcome == Outcome.EXCUSED and absent_b1.excuse_label == "事假"


def test_att8_a_change_in_the_future_enqueues_nothing(
    org, monday, django_capture_on_commit_callbacks
):
    """ATT-8: sessions after today are judged when settled: nothing to re-judge."""
    later = timezone.localdate() + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        announce_excuses_changed([org.b1.pk], later, later)
    assert callbacks == []


def test_att8_rejudge_skips_a_closed_month(
    org,
    monday,
    absent_b1,
    leave_provider,  # noqa: F811
):
    """ATT-13: a closed month's records are locked: the re-judge leaves them."""
    services.month_close(
        by=org.a2.user,
        year=2026,
        month=11,
        reason="发布",
        today=datetime.date(2026, 12, 3),
    )
    leave_provider[(org.b1.pk, monday, "am")] = Excuse("leave", "病假", "leave.x", 9)
    assert (
        services.rejudge_sessions(person_ids=[org.b1.pk], start=monday, end=monday) == 0
    )
    absent_b1.refresh_from_db()
    assert absent_b1.outcome == Outcome.ABSENT
