"""Leave through the approval engine: flows, ORG-2/ORG-3, LV-7..10, ATT-8 link."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from approvals.models import ApprovalRequest, ApprovalStep, Notification
from approvals.services import ApprovalError, approval_decide, approval_record_external
from bureau.models import ActingAssignment, CalendarDay, Role
from bureau.testing import make_person
from bureau.workdays import TZ
from leave.models import LeaveRequest
from leave.services import (
    LeaveError,
    leave_file,
    leave_remind_returns,
    leave_return,
    leave_withdraw,
)
from leave.tests.conftest import MONDAY, period_of

pytestmark = pytest.mark.django_db


def _decide(leave, who, decision="approve", comment=""):
    return approval_decide(
        request=leave.approval, by=who.user, decision=decision, comment=comment
    )


def _steps(leave):
    return list(leave.approval.steps.order_by("order"))


def test_lv1_two_days_agree_agree_approve(org, ask):
    """LV-1: section staff 2 days: head agrees → deputy in charge agrees → director approves."""
    leave = ask(org.a1, 2)
    assert leave.status == LeaveRequest.Status.PENDING
    assert [s.status for s in _steps(leave)] == ["pending", "waiting", "waiting"]
    _decide(leave, org.head_a, comment="同意")
    _decide(leave, org.dep_a)
    with pytest.raises(ApprovalError):
        _decide(leave, org.dep_a)  # not theirs any more
    _decide(leave, org.director)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    assert [s.decision for s in _steps(leave)] == ["agreed", "agreed", "approved"]
    assert _steps(leave)[0].comment == "同意"
    assert leave.history.count() >= 2


def test_lv1_one_day_informs_the_director_after_approval(org, ask):
    """LV-1: 1 day: head agrees → deputy approves, and the director is informed."""
    leave = ask(org.a1, 1)
    _decide(leave, org.head_a)
    _decide(leave, org.dep_a)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    inform = _steps(leave)[2]
    assert inform.decision == ApprovalStep.Decision.INFORMED
    assert Notification.objects.filter(recipient=org.director).exists()


def test_lv1_section_head_cannot_decide_another_sections_request(org, ask):
    """Only the step's approver decides: head_b cannot decide a1's request."""
    leave = ask(org.a1, 0.5)
    with pytest.raises(ApprovalError):
        _decide(leave, org.head_b)


def test_org2_acting_approver_decides_and_the_record_shows_both(org, ask):
    """ORG-2: while head_a is away, a2 stands in; the step shows a2 acting for head_a."""
    ActingAssignment.objects.create(
        principal=org.head_a,
        stand_in=org.a2,
        starts_on=MONDAY,
        ends_on=MONDAY + datetime.timedelta(days=3),
    )
    leave = ask(org.a1, 0.5)
    step = _steps(leave)[0]
    assert (step.approver, step.acting_for) == (org.a2, org.head_a)
    _decide(leave, org.a2)
    step.refresh_from_db()
    assert step.decided_by == org.a2 and step.acting_for == org.head_a
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED


def test_org2_stand_in_named_after_submission_can_decide(org, ask):
    """ORG-2: an acting assignment made after submission lets the stand-in decide."""
    leave = ask(org.a1, 0.5)
    ActingAssignment.objects.create(
        principal=org.head_a, stand_in=org.a2, starts_on=MONDAY, ends_on=MONDAY
    )
    _decide(leave, org.a2)
    step = _steps(leave)[0]
    assert step.decided_by == org.a2 and step.acting_for == org.head_a


def test_org3_requester_who_is_the_resolved_approver_goes_one_up(org, ask):
    """ORG-3: a1 stands in for head_a; a1's own request goes to the deputy in charge."""
    ActingAssignment.objects.create(
        principal=org.head_a, stand_in=org.a1, starts_on=MONDAY, ends_on=MONDAY
    )
    leave = ask(org.a1, 0.5)
    step = _steps(leave)[0]
    assert step.approver == org.dep_a
    with pytest.raises(ApprovalError):
        _decide(leave, org.a1)


def test_org3_nobody_decides_their_own_request_even_as_stand_in(org, ask):
    """ORG-3: a stand-in named later who is the requester still cannot decide."""
    leave = ask(org.a1, 0.5)
    ActingAssignment.objects.create(
        principal=org.head_a, stand_in=org.a1, starts_on=MONDAY, ends_on=MONDAY
    )
    with pytest.raises(ApprovalError, match="ORG-3"):
        _decide(leave, org.a1)


def test_lv1_refusal_ends_the_request(org, ask):
    """A refusal ends it: later steps are cancelled, the requester is told."""
    leave = ask(org.a1, 2)
    with pytest.raises(ApprovalError):
        _decide(leave, org.head_a, "refuse")  # a refusal needs a reason
    _decide(leave, org.head_a, "refuse", "工作繁忙")
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.REFUSED
    assert [s.status for s in _steps(leave)] == ["done", "cancelled", "cancelled"]
    assert Notification.objects.filter(
        recipient=org.a1, title__icontains=leave.approval.summary
    ).exists()


def test_lv1_withdrawal_before_the_final_decision(org, ask):
    """The requester withdraws while pending; not after the final decision."""
    leave = ask(org.a1, 2)
    _decide(leave, org.head_a)
    with pytest.raises(LeaveError):
        leave_withdraw(leave=leave, by=org.head_a.user)  # not the requester
    leave = leave_withdraw(leave=leave, by=org.a1.user)
    assert leave.status == LeaveRequest.Status.WITHDRAWN
    done = ask(
        org.a1,
        (
            MONDAY + datetime.timedelta(days=7),
            "am",
            MONDAY + datetime.timedelta(days=7),
            "am",
        ),
    )
    _decide(done, org.head_a)
    with pytest.raises(LeaveError):
        leave_withdraw(leave=done, by=org.a1.user)


def test_lv3_director_leave_recorded_from_county_documents(org, ask):
    """LV-3: the document clerk records the three county decisions with references."""
    clerk = make_person(
        "docclerk",
        unit=org.organ,
        section=org.section_a,
        position="section_staff",
        duties=[Role.DOCUMENT_CLERK],
    )
    leave = ask(org.director, 3)
    with pytest.raises(ApprovalError):
        _decide(leave, org.dep_a)  # a county step is not decided in the bureau
    with pytest.raises(ApprovalError):
        approval_record_external(
            request=leave.approval, by=org.a1.user, decision="approve", reference="x"
        )
    for number in range(3):
        approval_record_external(
            request=leave.approval,
            by=clerk.user,
            decision="approve",
            reference=f"示委办〔2026〕{number + 1}号",
            decided_on=MONDAY,
        )
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    steps = _steps(leave)
    assert [s.decision for s in steps] == ["agreed", "agreed", "approved"]
    assert steps[2].reference == "示委办〔2026〕3号" and steps[2].decided_by == clerk


def test_lv4_deputy_director_agrees_then_county(org, ask):
    """LV-4: a deputy's 2 days: the director agrees, then the county leader in charge."""
    clerk = make_person(
        "docclerk",
        unit=org.organ,
        section=org.section_a,
        position="section_staff",
        duties=[Role.DOCUMENT_CLERK],
    )
    leave = ask(org.dep_b, 2)
    _decide(leave, org.director)
    assert Notification.objects.filter(recipient=clerk).exists()
    approval_record_external(
        request=leave.approval, by=clerk.user, decision="refuse", reference="县委办函"
    )
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.REFUSED


def test_lv8_retroactive_within_seven_days_needs_consent(org, ask, frozen):
    """LV-8: 7 days after the start is accepted with the leader's consent."""
    today = MONDAY + datetime.timedelta(days=7)  # asked the next Monday
    period = (MONDAY, "am", MONDAY, "pm")
    with pytest.raises(LeaveError, match="LV-8"):
        ask(org.a1, period, today=today)
    leave = ask(org.a1, period, leader_consent="张股长当日电话同意", today=today)
    assert leave.is_retroactive and leave.status == LeaveRequest.Status.PENDING


def test_lv8_retroactive_after_seven_days_is_refused_with_a_clear_message(
    org, ask, frozen
):
    """LV-8: on the 8th day after the start the request cannot be made any more."""
    today = MONDAY + datetime.timedelta(days=8)
    with pytest.raises(LeaveError, match="7") as exc:
        ask(org.a1, (MONDAY, "am", MONDAY, "pm"), leader_consent="同意", today=today)
    assert "absence" in str(exc.value) or "缺勤" in str(exc.value)
    assert not LeaveRequest.objects.exists()


def test_lv1_weekend_inside_a_leave_does_not_count(org, ask):
    """CAL-1: Friday to Monday is 2 working days."""
    friday = MONDAY + datetime.timedelta(days=4)
    leave = ask(org.a1, (friday, "am", friday + datetime.timedelta(days=3), "pm"))
    assert leave.days == Decimal(2)


def test_lv1_make_up_saturday_counts(org, ask, frozen):
    """CAL-1: a make-up Saturday (调休) inside a leave is a working day."""
    saturday = datetime.date(2026, 3, 7)
    CalendarDay.objects.update_or_create(
        date=saturday,
        defaults={"is_working_day": True, "kind": CalendarDay.Kind.MAKEUP_WORKDAY},
    )
    friday = saturday - datetime.timedelta(days=1)
    leave = ask(org.a1, (friday, "am", saturday + datetime.timedelta(days=2), "pm"))
    assert leave.days == Decimal(3)  # Fri, Sat (make-up), Mon


def test_lv1_no_working_time_and_overlap_are_refused(org, ask):
    """A weekend-only period and an overlapping second request are refused."""
    saturday = MONDAY + datetime.timedelta(days=5)
    with pytest.raises(LeaveError):
        ask(org.a1, (saturday, "am", saturday + datetime.timedelta(days=1), "pm"))
    ask(org.a1, 1)
    with pytest.raises(LeaveError):
        ask(org.a1, 0.5)


def _approved(org, ask, days=3):
    leave = ask(org.u1, days)  # unit staff ≤3 days: unit head agrees, deputy approves
    _decide(leave, org.unit_head)
    _decide(leave, org.dep_a)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    return leave


def test_lv9_early_return_shortens_the_leave(org, ask):
    """LV-9: back on Tuesday afternoon from a Mon–Wed leave: 1.5 days taken."""
    leave = _approved(org, ask)
    tuesday = MONDAY + datetime.timedelta(days=1)
    leave = leave_return(leave=leave, by=org.u1.user, back_date=tuesday, back_half="pm")
    assert (leave.actual_end_date, leave.actual_end_half) == (tuesday, "am")
    assert leave.actual_days == Decimal("1.5")
    from leave.excuses import leave_excuses

    excused = leave_excuses([org.u1.pk], MONDAY, MONDAY + datetime.timedelta(days=2))
    assert (org.u1.pk, tuesday, "am") in excused
    assert (org.u1.pk, tuesday, "pm") not in excused


def test_lv9_return_on_time_and_only_by_the_person(org, ask):
    """LV-9: only the person reports back; after the end the days stay as asked."""
    leave = _approved(org, ask)
    with pytest.raises(LeaveError):
        leave_return(leave=leave, by=org.u2.user, back_date=MONDAY, back_half="pm")
    thursday = MONDAY + datetime.timedelta(days=3)
    leave = leave_return(
        leave=leave, by=org.u1.user, back_date=thursday, back_half="am"
    )
    assert leave.actual_days == leave.days and leave.actual_end_date is None


def test_lv9_reminder_on_the_last_day_once(org, ask):
    """LV-9: on the last day of leave a reminder goes out, once (safe to run twice)."""
    leave = _approved(org, ask, days=3)
    last_day = MONDAY + datetime.timedelta(days=2)
    assert leave_remind_returns(on=MONDAY, commit=True) == []
    assert leave_remind_returns(on=last_day, commit=True) == [leave]
    assert leave_remind_returns(on=last_day, commit=True) == []
    assert (
        Notification.objects.filter(recipient=org.u1, title__contains="销假").count()
        == 1
    )


def test_lv10_filing_leaders_with_the_county_others_with_attendance(org, ask):
    """LV-10: the attendance clerk files a deputy's leave with the county organisation
    department and a staff member's with the attendance section."""
    staff_leave = _approved(org, ask)
    with pytest.raises(LeaveError):
        leave_file(leave=staff_leave, by=org.head_a.user)
    staff_leave = leave_file(leave=staff_leave, by=org.a2.user, reference="考勤备案")
    assert staff_leave.filed_with == "attendance"
    deputy_leave = ask(org.dep_b, 1)
    _decide(deputy_leave, org.director)
    deputy_leave = leave_file(leave=deputy_leave, by=org.a2.user)
    assert deputy_leave.filed_with == "county_org"


def test_att8_approved_leave_excuses_sessions_with_its_label(org, ask):
    """ATT-8: approved leave (not pending) excuses the sessions, labelled by type."""
    from attendance.excuses import _PROVIDERS, excuses_for
    from leave.excuses import leave_excuses

    # The leave app registers this in ready(); another app's test may have replaced
    # it with a stand-in and popped it afterwards.
    _PROVIDERS["leave"] = leave_excuses

    pending = ask(org.a1, 1, leave_type="sick")
    assert excuses_for([org.a1.pk], MONDAY, MONDAY) == {}
    _decide(pending, org.head_a)
    _decide(pending, org.dep_a)
    excused = excuses_for([org.a1.pk, org.b1.pk], MONDAY, MONDAY)
    assert set(excused) == {(org.a1.pk, MONDAY, "am"), (org.a1.pk, MONDAY, "pm")}
    assert excused[(org.a1.pk, MONDAY, "am")].label in {"Sick leave", "病假"}


def test_att8_excuse_provider_is_one_query(org, ask, django_assert_num_queries):
    """The provider answers for many people in one query."""
    from leave.excuses import leave_excuses

    _approved(org, ask)
    ids = [org.u1.pk, org.u2.pk, org.a1.pk]
    with django_assert_num_queries(1):
        leave_excuses(ids, MONDAY, MONDAY + datetime.timedelta(days=30))


def test_lv1_submission_costs_at_most_18_queries(org, frozen):
    """Submitting a 2-day request (three resolved steps) costs ≤ 18 queries: 15,
    the lock on the person's row taken before the checks, the deciders' e-mail
    addresses for the outbox and the date-bounds policy (bureau.params), read once
    per request (the savepoint a nested call costs is not counted: a request runs it
    outermost)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bureau.models import Person
    from leave.services import leave_submit

    person = Person.objects.select_related(
        "section__head",
        "section__deputy_in_charge",
        "unit__head",
        "unit__deputy_in_charge",
        "user",
    ).get(pk=org.a1.pk)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_model(LeaveRequest)
    start, sh, end, eh = period_of(2)
    with CaptureQueriesContext(connection) as captured:
        leave_submit(
            by=person.user,
            person=person,
            leave_type="annual",
            start_date=start,
            start_half=sh,
            end_date=end,
            end_half=eh,
            reason="休年假",
            handover_note="交接给同事",
        )
    queries = [q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(queries) <= 18


def test_notifications_email_the_next_decider_after_commit(
    org, frozen, django_capture_on_commit_callbacks
):
    """The next decider gets an in-app notification and an e-mail after commit."""
    from leave.services import leave_submit

    org.head_a.user.email = "head_a@example.org"
    org.head_a.user.save()
    start, sh, end, eh = period_of(2)
    with django_capture_on_commit_callbacks(execute=True):
        leave_submit(
            by=org.a1.user,
            leave_type="annual",
            start_date=start,
            start_half=sh,
            end_date=end,
            end_half=eh,
            reason="r",
            handover_note="h",
        )
    assert Notification.objects.filter(recipient=org.head_a).count() == 1
    assert [m.to for m in mail.outbox] == [["head_a@example.org"]]


def test_daily_digest_once_a_day(org, ask):
    """The digest of pending decisions goes once per approver and day."""
    from approvals.mail import digest_send

    ask(org.a1, 0.5)
    ask(org.b1, 0.5)
    first = digest_send(on=MONDAY, commit=True)
    assert sorted(p.user.username for p, _n in first) == ["head_a", "head_b"]
    assert digest_send(on=MONDAY, commit=True) == []


def test_waiting_for_me_lists_only_my_pending_steps(org, ask):
    """'Waiting for me' is the approver's pending steps, nobody else's."""
    from approvals.selectors import waiting_for

    a = ask(org.a1, 0.5)
    ask(org.b1, 0.5)
    assert list(waiting_for(org.head_a, MONDAY)) == [a.approval]
    assert waiting_for(org.dep_a, MONDAY).count() == 0


def test_policy_version_in_force_decides_the_chain(org, frozen):
    """A new chain version from a date on is used for leave starting from that date."""
    from bureau.models import Policy
    from leave.policies import DEFAULT_CHAINS
    from leave.services import leave_quote

    changed = {**DEFAULT_CHAINS}
    changed["section_staff"] = {
        "rule": "LV-1",
        "tiers": [{"up_to": None, "steps": [{"action": "approve", "who": "director"}]}],
    }
    Policy.objects.create(
        key="leave.chains",
        effective_from=MONDAY + datetime.timedelta(days=7),
        value=changed,
    )
    before = leave_quote(
        person=org.a1,
        start_date=MONDAY,
        start_half="am",
        end_date=MONDAY,
        end_half="am",
        today=frozen,
    )
    later = MONDAY + datetime.timedelta(days=7)
    after = leave_quote(
        person=org.a1,
        start_date=later,
        start_half="am",
        end_date=later,
        end_half="am",
        today=frozen,
    )
    assert before.steps[0].approver == org.head_a
    assert after.steps[0].approver == org.director and after.policy_id is not None


def test_approval_request_is_generic(org, frozen):
    """Any model can be routed: a section as a stand-in subject, with its own chain."""
    from approvals.services import approval_submit

    approval = approval_submit(
        subject=org.section_b,
        requester=org.b1,
        chain=[
            {"action": "agree", "who": "section_head"},
            {"action": "approve", "who": "director"},
        ],
        by=org.b1.user,
        kind="purchase",
        summary="采购打印纸",
    )
    approval_decide(request=approval, by=org.head_b.user, decision="agree")
    approval = approval_decide(
        request=approval, by=org.director.user, decision="approve"
    )
    assert approval.status == ApprovalRequest.Status.APPROVED


def test_time_frozen_sanity():
    """The fixtures' clock is Asia/Shanghai."""
    with time_machine.travel(
        datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False
    ):
        from django.utils import timezone

        assert timezone.localdate() == MONDAY


def test_att8_leave_registers_its_excuse_provider():
    """The leave app registers the "leave" excuse provider at start-up."""
    from django.apps import apps

    from attendance.excuses import _PROVIDERS
    from leave.excuses import leave_excuses

    _PROVIDERS.pop("leave", None)
    apps.get_app_config("leave").ready()
    assert _PROVIDERS["leave"] is leave_excuses


def test_lv8_leave_approved_afterwards_excuses_the_settled_absence(
    org, ask, django_capture_on_commit_callbacks
):
    """LV-8 / ATT-8: a1 missed Monday morning (half-day absence, a violation); leave
    asked afterwards with consent and approved re-judges the session: excused, and
    the violation is dismissed."""
    from attendance import services as attendance
    from attendance.models import Outcome, SessionRecord
    from attendance.tests.conftest import at
    from discipline.models import Violation

    attendance.sheets_settle(day=MONDAY, now=at(MONDAY, 12, 30))
    record = SessionRecord.objects.get(person=org.a1, date=MONDAY, part="am")
    assert record.outcome == Outcome.ABSENT
    violation = Violation.objects.get(kind="attendance.absence", source_id=record.pk)
    leave = ask(
        org.a1,
        (MONDAY, "am", MONDAY, "am"),
        leave_type="sick",
        leader_consent="股长电话同意",
        today=MONDAY + datetime.timedelta(days=1),
    )
    assert leave.is_retroactive
    with django_capture_on_commit_callbacks(execute=True):
        _decide(leave, org.head_a)
    record.refresh_from_db()
    assert record.outcome != Outcome.ABSENT and record.excuse_kind == "leave"
    violation.refresh_from_db()
    assert violation.status == Violation.Status.DISMISSED
