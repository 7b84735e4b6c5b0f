"""Going out (ATT-7) and study leave (ATT-9) on the approval engine: one-step chains
from policy data, decided by the addressee or their stand-in (ORG-2), shown in the
one "waiting for my decision" inbox, and the old rows' decisions migrated."""

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from approvals.models import ApprovalRequest, Notification
from approvals.selectors import waiting_for
from attendance import services
from attendance.models import GoingOut, StudyLeave, StudySession
from attendance.tests.conftest import at
from bureau.models import ActingAssignment, Policy

pytestmark = pytest.mark.django_db


def report(person, day, hh=9):
    with time_machine.travel(at(day, hh, 0), tick=False):
        return services.going_out_report(
            by=person.user,
            leaves_at=at(day, hh, 5),
            expected_return=at(day, hh + 2, 0),
            destination="县医院",
            reason="送材料",
        )


def _study(day):
    return StudySession.objects.create(
        title="集体学习", starts_at=at(day, 19, 30), ends_at=at(day, 21, 0)
    )


def test_att7_going_out_is_a_one_step_approval_from_the_policy(org, monday):
    """ATT-7: the report is routed as policy `attendance.going_out_chain` says (the
    supervisor by position); the approval names the policy version it used."""
    going_out = report(org.a1, monday)
    approval = going_out.current_approval
    assert approval.kind == "going_out" and approval.status == "pending"
    assert "县医院" in approval.summary and "09:05" in approval.summary
    (step,) = approval.steps.all()
    assert (step.action, step.relation, step.approver) == (
        "approve",
        "supervisor",
        org.head_a,
    )
    assert Notification.objects.filter(recipient=org.head_a, request=approval).exists()


def test_att7_chain_follows_the_policy_in_force(org, monday):
    """ATT-7: a new policy version changes whom the report goes to (data, not
    code): here every report goes to the director."""
    Policy.objects.create(
        key="attendance.going_out_chain",
        value={"steps": [{"action": "approve", "who": "director"}], "top": "county"},
        effective_from=monday,
    )
    going_out = report(org.a1, monday)
    assert going_out.approver == org.director
    assert going_out.current_approval.chain_policy_id is not None


def test_att7_org2_going_out_decided_by_a_stand_in(org, monday, client_for):
    """ATT-7, ORG-2: the head goes away after the report was made; the stand-in
    named for the day finds it in the inbox and acknowledges it; the step records
    who decided and for whom, and the reporter hears the outcome."""
    going_out = report(org.a1, monday)
    ActingAssignment.objects.create(
        principal=org.head_a, stand_in=org.a2, starts_on=monday, ends_on=monday
    )
    approval = going_out.current_approval
    with time_machine.travel(at(monday, 9, 10), tick=False):
        assert approval in waiting_for(org.a2, monday)
        inbox = client_for(org.a2).get(reverse("approvals:inbox")).content.decode()
        assert approval.summary in inbox
        listing = client_for(org.a2).get(reverse("attendance:going_out_list"))
        assert going_out in listing.context["to_decide"]
        response = client_for(org.a2).post(
            reverse("approvals:decide", args=[approval.pk]),
            {"decision": "approve", "next": reverse("attendance:going_out_list")},
        )
    assert response.status_code == 302
    assert response.url == reverse("attendance:going_out_list")
    going_out.refresh_from_db()
    assert going_out.status == GoingOut.Status.ACKNOWLEDGED
    step = going_out.decision_step
    assert (step.decided_by, step.acting_for, step.decision) == (
        org.a2,
        org.head_a,
        "approved",
    )
    assert Notification.objects.filter(
        recipient=org.a1, request=approval, title__contains="县医院"
    ).exists()
    decided = client_for(org.a2).get(reverse("attendance:going_out_list"))
    assert going_out in decided.context["decided"]


def test_att7_nobody_else_decides_and_refusal_needs_a_note(org, monday):
    """ATT-7, ORG-3: another section's head cannot decide; a refusal is refused
    without a note (the engine's rule); with one it stands."""
    going_out = report(org.a1, monday)
    with pytest.raises(services.AttendanceError):
        services.going_out_decide(
            by=org.head_b.user, going_out_id=going_out.pk, acknowledge=True
        )
    with pytest.raises(services.AttendanceError):
        services.going_out_decide(
            by=org.head_a.user, going_out_id=going_out.pk, acknowledge=False
        )
    _g, changed = services.going_out_decide(
        by=org.head_a.user, going_out_id=going_out.pk, acknowledge=False, note="不行"
    )
    assert changed and _g.status == GoingOut.Status.REFUSED
    assert going_out.decision_note == "不行"


def test_att7_going_out_logged_back_before_acknowledgement(
    org, monday, django_capture_on_commit_callbacks
):
    """ATT-7: a report logged back before the head answered excuses nothing yet;
    acknowledged afterwards it stays "returned" and now excuses the session."""
    from attendance.excuses import excuses_for

    going_out = report(org.a1, monday)
    with time_machine.travel(at(monday, 10, 30), tick=False):
        services.going_out_return(by=org.a1.user, going_out_id=going_out.pk)
    assert excuses_for([org.a1.pk], monday, monday) == {}
    with django_capture_on_commit_callbacks(execute=True):
        services.going_out_decide(
            by=org.head_a.user, going_out_id=going_out.pk, acknowledge=True
        )
    going_out.refresh_from_db()
    assert going_out.status == GoingOut.Status.RETURNED
    assert excuses_for([org.a1.pk], monday, monday)[(org.a1.pk, monday, "am")]


def test_att9_study_leave_of_a_middle_level_person_decided_by_the_director(
    org, monday, client_for
):
    """ATT-9: a section head (middle level) asks the director; the director finds
    it in the inbox and approves; the clerk sees it approved."""
    session = _study(monday)
    with time_machine.travel(at(monday, 15), tick=False):
        leave = services.study_leave_ask(
            by=org.head_a.user, session_id=session.pk, reason="县里开会"
        )
        approval = leave.current_approval
        assert approval.kind == "study_leave"
        assert leave.approver == org.director
        assert approval in waiting_for(org.director, monday)
        listing = client_for(org.director).get(reverse("attendance:study_list"))
        assert leave in listing.context["to_decide"]
        response = client_for(org.director).post(
            reverse("approvals:decide", args=[approval.pk]), {"decision": "approve"}
        )
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == StudyLeave.Status.APPROVED
    assert leave.decision_step.decided_by == org.director
    assert not waiting_for(org.director, monday).exists()
    assert Notification.objects.filter(recipient=org.head_a, request=approval).exists()


def test_att9_director_own_study_leave_is_approved_at_once(org, monday):
    """ATT-9: nobody in the bureau is above the director: recorded, approved."""
    session = _study(monday)
    with time_machine.travel(at(monday, 15), tick=False):
        leave = services.study_leave_ask(
            by=org.director.user, session_id=session.pk, reason="县里开会"
        )
    assert leave.status == StudyLeave.Status.APPROVED
    assert leave.decision_step.decision == "acknowledged"


def test_att7_att9_both_wait_in_the_one_inbox(org, monday, client_for):
    """The one "waiting for my decision": dep_a has a going-out of head_a and a
    study leave of a1; both are on the in-app inbox, the home panel and the
    admin's default list."""
    going_out = report(org.head_a, monday)
    session = _study(monday)
    with time_machine.travel(at(monday, 15), tick=False):
        leave = services.study_leave_ask(
            by=org.a1.user, session_id=session.pk, reason="家中有事"
        )
    summaries = [going_out.current_approval.summary, leave.current_approval.summary]
    client = client_for(org.dep_a)
    with time_machine.travel(at(monday, 15, 5), tick=False):
        inbox = client.get(reverse("approvals:inbox")).content.decode()
        home = client.get("/").content.decode()
        admin = client.get(
            reverse("admin:approvals_approvalrequest_changelist")
        ).content.decode()
    for summary in summaries:
        assert summary in inbox
        assert summary in home
        assert summary in admin


def test_att7_att9_list_pages_cost_the_same_at_2_and_many_rows(org, monday, client_for):
    """The going-out and study lists read the approvals in bulk (prefetch): the
    same number of queries with 1 or 6 reports waiting."""
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(conn) as ctx:
            assert client_for(org.head_a).get(url).status_code == 200
        return len(ctx.captured_queries)

    url = reverse("attendance:going_out_list")
    report(org.a1, monday, hh=8)
    with time_machine.travel(at(monday, 8, 30), tick=False):
        count(url)  # warm the per-process caches (policies, day plan)
        few = count(url)
    for hh in (9, 10, 13, 14, 15):
        report(org.a1, monday, hh=hh)
    with time_machine.travel(at(monday, 8, 30), tick=False):
        many = count(url)
    assert many == few


# --- the data migration ------------------------------------------------------------

OLD = [("attendance", "0006_clerk_assignment_to_bureau")]


@pytest.mark.django_db(transaction=True)
def test_att7_att9_old_decisions_survive_the_migration(org, monday):
    """The data migration gives every old going-out and study leave its approval
    with the decision it had: addressee and stand-in, decision, decider, time,
    note; undecided ones stay waiting; history records both moments."""
    executor = MigrationExecutor(connection)
    executor.migrate(OLD)
    old = executor.loader.project_state(OLD).apps
    GoingOut0 = old.get_model("attendance", "GoingOut")
    StudyLeave0 = old.get_model("attendance", "StudyLeave")
    Session0 = old.get_model("attendance", "StudySession")
    decided = at(monday, 9, 20)

    def going_out(person, **fields):
        return GoingOut0.objects.create(
            person_id=person.pk,
            date=monday,
            leaves_at=at(monday, 9, 30),
            expected_return=at(monday, 11),
            destination="县政府",
            reason="送报表",
            **fields,
        )

    travel = time_machine.travel(at(monday, 9), tick=False)  # reported at 09:00
    travel.start()
    waiting = going_out(org.a1, approver_id=org.head_a.pk, relation="section_head")
    by_stand_in = going_out(
        org.b1,
        approver_id=org.a2.pk,
        approver_acting_for_id=org.head_b.pk,
        relation="section_head",
        status="returned",
        decided_at=decided,
        decision_note="注意安全",
        returned_at=at(monday, 10, 50),
    )
    refused = going_out(
        org.u1,
        approver_id=org.unit_head.pk,
        relation="unit_head",
        status="refused",
        decided_at=decided,
        decision_note="人手不足",
    )
    director = going_out(
        org.director,
        status="acknowledged",
        decided_at=decided,
        decision_note="在局外报告",
    )
    session = Session0.objects.create(
        title="集体学习", starts_at=at(monday, 19, 30), ends_at=at(monday, 21)
    )
    approved = StudyLeave0.objects.create(
        session=session,
        person_id=org.head_a.pk,
        reason="县里开会",
        status="approved",
        approver_id=org.director.pk,
        relation="director",
        decided_at=decided,
    )
    pending = StudyLeave0.objects.create(
        session=session,
        person_id=org.a1.pk,
        reason="家中有事",
        approver_id=org.dep_a.pk,
        relation="deputy_in_charge",
    )
    travel.stop()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    def approval_of(model, pk):
        subject = model.objects.prefetch_related("approvals__steps").get(pk=pk)
        approval = subject.current_approval
        (step,) = approval.steps.all()
        return subject, approval, step

    subject, approval, step = approval_of(GoingOut, waiting.pk)
    assert (approval.status, approval.current_order, step.status) == (
        "pending",
        1,
        "pending",
    )
    assert step.approver_id == org.head_a.pk and step.relation == "section_head"
    assert approval in waiting_for(org.head_a, monday)
    assert approval.requester_id == org.a1.pk and approval.kind == "going_out"

    subject, approval, step = approval_of(GoingOut, by_stand_in.pk)
    assert subject.status == "returned" and approval.status == "approved"
    assert (step.approver_id, step.acting_for_id, step.decided_by_id) == (
        org.a2.pk,
        org.head_b.pk,
        org.a2.pk,
    )
    assert (step.decision, step.decided_at, step.comment) == (
        "approved",
        decided,
        "注意安全",
    )
    assert approval.finished_at == decided
    assert [h.history_type for h in approval.history.order_by("history_date")] == [
        "+",
        "~",
    ]
    assert step.history.count() == 2

    subject, approval, step = approval_of(GoingOut, refused.pk)
    assert (approval.status, step.decision, step.comment) == (
        "refused",
        "refused",
        "人手不足",
    )
    assert step.decided_by_id == org.unit_head.pk

    subject, approval, step = approval_of(GoingOut, director.pk)
    assert (approval.status, step.action, step.decision, step.approver_id) == (
        "approved",
        "acknowledge",
        "acknowledged",
        None,
    )
    assert step.comment == "在局外报告"

    subject, approval, step = approval_of(StudyLeave, approved.pk)
    assert (approval.status, step.decision, step.decided_by_id, step.decided_at) == (
        "approved",
        "approved",
        org.director.pk,
        decided,
    )
    assert approval.kind == "study_leave" and "集体学习" in approval.summary

    subject, approval, step = approval_of(StudyLeave, pending.pk)
    assert approval.status == "pending" and step.approver_id == org.dep_a.pk
    # Still decidable through the engine after the migration.
    services.study_leave_decide(by=org.dep_a.user, leave_id=pending.pk, approve=True)
    assert StudyLeave.objects.get(pk=pending.pk).status == "approved"
    assert ApprovalRequest.objects.count() == 6


def test_att9_study_leave_decided_twice_the_same_way_is_a_no_op(org, monday):
    """ATT-9: deciding again the same way changes nothing (no second history row)."""
    session = _study(monday)
    with time_machine.travel(at(monday, 15), tick=False):
        leave = services.study_leave_ask(
            by=org.a1.user, session_id=session.pk, reason="家中有事"
        )
    assert services.study_leave_decide(
        by=org.dep_a.user, leave_id=leave.pk, approve=True
    )[1]
    assert not services.study_leave_decide(
        by=org.dep_a.user, leave_id=leave.pk, approve=True
    )[1]
    assert leave.history.count() == 2
