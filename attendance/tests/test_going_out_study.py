"""Going out (ATT-7) and study sessions (ATT-9, STUDY-1)."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from attendance import services
from attendance.excuses import excuses_for
from attendance.models import GoingOut, StudyAttendance, StudyLeave, StudySession
from attendance.tests.conftest import at
from bureau.models import ActingAssignment
from discipline.models import Violation

pytestmark = pytest.mark.django_db


def report(person, day, hh=9):
    with time_machine.travel(at(day, hh, 0), tick=False):
        return services.going_out_report(
            by=person.user,
            leaves_at=at(day, hh, 5),
            expected_return=at(day, hh + 2, 0),
            destination="乡镇",
            reason="检查",
        )


@pytest.mark.parametrize(
    ("who", "to"),
    [
        ("a1", "head_a"),  # section staff → section head
        ("head_a", "dep_a"),  # section head → deputy in charge
        ("unit_head", "dep_a"),  # unit head → deputy in charge
        ("dep_b", "director"),  # deputy → director
        ("u1", "unit_head"),  # unit staff → unit head
    ],
)
def test_att7_going_out_reported_to_supervisor_by_position(org, monday, who, to):
    """ATT-7: the report goes to the supervisor by position."""
    going_out = report(getattr(org, who), monday)
    assert going_out.approver == getattr(org, to)
    assert going_out.status == GoingOut.Status.REQUESTED


def test_att7_director_reports_outside_the_bureau(org, monday):
    """ATT-7: the director's going out is recorded, acknowledged (county level)."""
    going_out = report(org.director, monday)
    assert going_out.approver is None
    assert going_out.status == GoingOut.Status.ACKNOWLEDGED


def test_att7_acting_supervisor_receives_the_report(org, monday):
    """ORG-2/ATT-7: with the section head away, the stand-in acknowledges."""
    ActingAssignment.objects.create(
        principal=org.head_a, stand_in=org.a2, starts_on=monday, ends_on=monday
    )
    going_out = report(org.a1, monday)
    assert going_out.approver == org.a2
    assert going_out.approver_acting_for == org.head_a


def test_att7_only_the_addressee_decides_and_return_is_logged(org, monday):
    """ATT-7: acknowledge/refuse by the addressee only; the return is logged."""
    going_out = report(org.a1, monday)
    with pytest.raises(services.AttendanceError):
        services.going_out_decide(
            by=org.head_b.user, going_out_id=going_out.pk, acknowledge=True
        )
    services.going_out_decide(
        by=org.head_a.user, going_out_id=going_out.pk, acknowledge=True
    )
    with time_machine.travel(at(monday, 10, 40), tick=False):
        back, changed = services.going_out_return(
            by=org.a1.user, going_out_id=going_out.pk
        )
    assert changed and back.status == GoingOut.Status.RETURNED
    assert back.returned_at == at(monday, 10, 40)
    assert back.history.count() == 3
    assert back.decision_step.decided_by == org.head_a


def test_att7_acknowledged_going_out_excuses_sessions_it_overlaps(org, monday):
    """ATT-6/7: the "business" excuse provider covers the sessions overlapped."""
    going_out = report(org.a1, monday)
    assert excuses_for([org.a1.pk], monday, monday) == {}  # not acknowledged yet
    services.going_out_decide(
        by=org.head_a.user, going_out_id=going_out.pk, acknowledge=True
    )
    found = excuses_for([org.a1.pk], monday, monday)
    assert set(found) == {(org.a1.pk, monday, "am")}
    assert found[(org.a1.pk, monday, "am")].kind == "business"


def test_att7_refused_going_out_excuses_nothing(org, monday):
    going_out = report(org.a1, monday)
    services.going_out_decide(
        by=org.head_a.user,
        going_out_id=going_out.pk,
        acknowledge=False,
        note="今天人手不足",  # the engine asks a reason of a refusal
    )
    assert excuses_for([org.a1.pk], monday, monday) == {}


def test_study1_weekly_monday_evening_sessions_scheduled(org):
    """STUDY-1: weekly Monday evening study, a rest Monday skipped, idempotent."""
    start = datetime.date(2026, 9, 28)  # Monday; 10-05 is a holiday Monday
    created = services.study_sessions_schedule(start=start, weeks=3)
    days = [s.starts_at.astimezone(at(start, 0).tzinfo).date() for s in created]
    assert days == [
        datetime.date(2026, 9, 28),
        datetime.date(2026, 10, 12),
        datetime.date(2026, 10, 19),
    ]
    assert all(s.starts_at.hour == 19 and s.starts_at.minute == 30 for s in created)
    assert services.study_sessions_schedule(start=start, weeks=3) == []


def _study(monday):
    return StudySession.objects.create(
        title="集体学习", starts_at=at(monday, 19, 30), ends_at=at(monday, 21, 0)
    )


@pytest.mark.parametrize(
    ("who", "approver"),
    [("a1", "dep_a"), ("b1", "dep_b"), ("head_a", "director"), ("dep_a", "director")],
)
def test_att9_study_leave_asked_of_deputy_or_director(org, monday, who, approver):
    """ATT-9: general staff ask the deputy in charge; middle level and above the
    director."""
    session = _study(monday)
    with time_machine.travel(at(monday, 15), tick=False):
        leave = services.study_leave_ask(
            by=getattr(org, who).user, session_id=session.pk, reason="外出开会"
        )
    assert leave.approver == getattr(org, approver)


def test_att9_missing_study_without_approval_is_absence(org, monday):
    """ATT-9: attendance is taken; approved leave excuses; missing without approval
    is an absence fed to discipline."""
    session = _study(monday)
    with time_machine.travel(at(monday, 15), tick=False):
        leave = services.study_leave_ask(
            by=org.a1.user, session_id=session.pk, reason="家中有事"
        )
    services.study_leave_decide(by=org.dep_a.user, leave_id=leave.pk, approve=True)
    with time_machine.travel(at(monday, 19, 45), tick=False):
        counts = services.study_attendance_take(
            by=org.a2.user,
            session_id=session.pk,
            present_ids=[org.a2.pk, org.head_a.pk, org.director.pk],
            late_ids=[org.dep_a.pk],
        )
    assert counts["leave"] == 1 and counts["late"] == 1
    status = dict(
        StudyAttendance.objects.filter(session=session).values_list(
            "person_id", "status"
        )
    )
    assert status[org.a1.pk] == "leave"
    assert status[org.b1.pk] == "absent"
    assert org.u1.pk not in status  # subordinate units are not expected by default
    violation = Violation.objects.get(person=org.b1)
    assert violation.days == Decimal("0.5")
    assert StudyLeave.objects.get().status == "approved"


def test_study1_notes_kept(org, monday):
    """STUDY-1: notes and discussion records are kept (by the clerk)."""
    session = _study(monday)
    services.study_notes_save(
        by=org.a2.user, session_id=session.pk, notes="学习文件", discussion="讨论"
    )
    session.refresh_from_db()
    assert session.notes == "学习文件" and session.history.count() == 2
    with pytest.raises(services.AttendanceError):
        services.study_notes_save(
            by=org.a1.user, session_id=session.pk, notes="x", discussion=""
        )
