"""PET-2, PET-3, PET-5 on the deadline engine: the clocks at their boundaries under
the calendar-day default and a working-day policy, the extension through the
approval engine, the review window, reminders and escalations sent once."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import ApprovalRequest, Notification
from approvals.services import approval_decide
from bureau.models import OutboxMessage, Policy
from deadlines.models import Deadline
from deadlines.services import deadlines_scan
from petitions import selectors, services
from petitions.models import (
    CONCLUDE,
    DECIDE,
    EXTENDED,
    REVIEW_WINDOW,
    Case,
    EscalationNotice,
    Extension,
)
from petitions.tests.conftest import (
    DAY0,
    at,
    conclude,
    decide,
    deliver,
    register,
    route,
)

pytestmark = pytest.mark.django_db
D = datetime.date
days = datetime.timedelta


def _working(key):
    Policy(
        key=key,
        effective_from=D(2026, 1, 1),
        value={
            "length": 15 if key.endswith("decide") else 30,
            "day_type": "working",
            "remind_days": 3,
            "escalate_to": "",
        },
    ).save()


def _routed(pet, on=DAY0):
    case = register(pet, on=on)
    route(pet, case, on=on)
    return case


@pytest.mark.parametrize("day, state", [(15, "met"), (16, "missed")])
def test_pet2_decision_on_day_15_is_on_time_day_16_late_calendar(pet, day, state):
    """PET-2: received Monday 1 June 2026; 15 calendar days end 16 June."""
    case = _routed(pet)
    assert selectors.deadline_of(case, DECIDE).due_date == D(2026, 6, 16)
    decide(pet, case, on=DAY0 + days(day))
    assert selectors.deadline_of(case, DECIDE).state == state


@pytest.mark.parametrize(
    "day, state", [(D(2026, 6, 19), "met"), (D(2026, 6, 22), "missed")]
)
def test_pet2_decision_under_a_working_day_policy(pet, day, state):
    """PET-2 with a working-day policy: 15 working days from Monday 1 June 2026
    (the Dragon Boat holiday 19 June is a rest day) end Monday 22 June... the
    engine's calendar decides; the boundary is its due date and the day after."""
    _working("deadlines.petitions_decide")
    case = _routed(pet)
    due = selectors.deadline_of(case, DECIDE).due_date
    assert due.weekday() < 5 and (due - DAY0).days > 15
    on = due if state == "met" else due + days(1)
    decide(pet, case, on=on)
    assert selectors.deadline_of(case, DECIDE).state == state


@pytest.mark.parametrize("day, state", [(60, "met"), (61, "missed")])
def test_pet2_conclusion_day_60_on_time_day_61_late(pet, day, state):
    """PET-2: accepted 1 June: 60 days end 31 July."""
    case = _routed(pet)
    decide(pet, case, on=DAY0)
    assert selectors.deadline_of(case, CONCLUDE).due_date == D(2026, 7, 31)
    conclude(pet, case, on=DAY0 + days(day))
    assert selectors.deadline_of(case, CONCLUDE).state == state


def _extend(pet, case, n, on):
    with time_machine.travel(at(on), tick=False):
        return services.extension_request(
            case=case, by=pet.org.b1.user, days=n, reason="案情复杂，需调查取证", on=on
        )


def _approve_all(extension, on):
    approval = ApprovalRequest.objects.get(
        object_id=extension.pk, kind="petitions.extension"
    )
    with time_machine.travel(at(on), tick=False):
        while approval.status == ApprovalRequest.Status.PENDING:
            step = approval.steps.get(order=approval.current_order)
            approval_decide(request=approval, by=step.approver.user, decision="approve")
            approval.refresh_from_db()
    extension.refresh_from_db()
    return extension


def test_pet2_extension_of_30_days_approved_moves_the_due_date_31_refused(pet):
    """PET-2: 31 days is refused with a message and nothing saved; 30 days goes to
    the deputy in charge and the director; approved, the conclusion is due 30
    days after 31 July: 30 August; concluding on 30 August is on time, 31 late."""
    case = _routed(pet)
    decide(pet, case, on=DAY0)
    with pytest.raises(services.PetitionError, match="30"):
        _extend(pet, case, 31, DAY0 + days(40))
    assert not Extension.objects.exists()
    extension = _extend(pet, case, 30, DAY0 + days(40))
    approval = extension.approvals.get()
    assert [s.approver for s in approval.steps.order_by("order")] == [
        pet.org.dep_b,
        pet.org.director,
    ]
    assert "张三" not in approval.summary
    extension = _approve_all(extension, DAY0 + days(41))
    assert extension.status == "approved" and extension.new_due == D(2026, 8, 30)
    assert selectors.deadline_of(case, CONCLUDE).state == Deadline.State.CANCELLED
    assert selectors.deadline_of(case, EXTENDED).due_date == D(2026, 8, 30)
    conclude(pet, case, on=D(2026, 8, 30))
    assert selectors.deadline_of(case, EXTENDED).state == "met"


def test_pet2_a_second_extension_is_refused(pet):
    case = _routed(pet)
    decide(pet, case, on=DAY0)
    _approve_all(_extend(pet, case, 10, DAY0 + days(5)), DAY0 + days(6))
    with pytest.raises(services.PetitionError, match="一次"):
        _extend(pet, case, 5, DAY0 + days(7))
    assert Extension.objects.count() == 1


def test_pet2_extension_asked_after_the_60_days_is_refused(pet):
    case = _routed(pet)
    decide(pet, case, on=DAY0)
    with pytest.raises(services.PetitionError):
        _extend(pet, case, 10, DAY0 + days(61))


def test_pet2_higher_level_case_has_its_own_due_date(pet):
    """PET-2: a case assigned by a higher level is due on the date it set (no 60-day
    clock); concluding records it met."""
    case = register(
        pet,
        higher_organ="市卫健委",
        higher_due=DAY0 + days(20),
        report_due=DAY0 + days(25),
    )
    route(pet, case)
    assert selectors.deadline_of(case, "petitions.higher").due_date == DAY0 + days(20)
    decide(pet, case, on=DAY0 + days(2))
    assert selectors.deadline_of(case, CONCLUDE) is None
    conclude(pet, case, on=DAY0 + days(20))
    assert selectors.deadline_of(case, "petitions.higher").state == "met"
    with time_machine.travel(at(DAY0 + days(21)), tick=False):
        services.report_record(case=case, by=pet.officer.user, on=DAY0 + days(21))
    case.refresh_from_db()
    assert case.report_sent_on == DAY0 + days(21)


def _replied(pet, delivered_on):
    case = _routed(pet)
    decide(pet, case, on=DAY0)
    conclude(pet, case, on=DAY0 + days(10))
    deliver(pet, case, on=delivered_on)
    return case


def _review(pet, case, on, level="review"):
    with time_machine.travel(at(on), tick=False):
        return services.review_request(
            case=case,
            by=pet.officer.user,
            level=level,
            organ="县卫健局",
            requested_on=on,
        )


def _close(pet, case, on):
    with time_machine.travel(at(on), tick=False):
        return services.case_close(case=case, by=pet.officer.user, on=on)


def test_pet3_review_request_on_day_30_accepted(pet):
    """PET-3: delivered 15 June; a review asked on 15 July (day 30) is recorded."""
    case = _replied(pet, D(2026, 6, 15))
    assert selectors.deadline_of(case, REVIEW_WINDOW).due_date == D(2026, 7, 15)
    _review(pet, case, D(2026, 7, 15))
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW


def test_pet3_review_request_on_day_31_refused_and_close_from_day_31(pet):
    """PET-3: on 16 July (day 31) the request is refused; closing on day 30 is
    refused, on day 31 it closes."""
    case = _replied(pet, D(2026, 6, 15))
    with pytest.raises(services.PetitionError, match="2026-07-15"):
        _review(pet, case, D(2026, 7, 16))
    with pytest.raises(services.PetitionError):
        _close(pet, case, D(2026, 7, 15))
    _close(pet, case, D(2026, 7, 16))
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert selectors.deadline_of(case, REVIEW_WINDOW).state == "met"


def test_pet3_review_window_under_a_working_day_policy(pet):
    """PET-3 with working days: the window's last day is the engine's due date;
    a request that day is in time, the next day the case may be closed."""
    _working("deadlines.petitions_review")
    case = _replied(pet, D(2026, 6, 15))
    due = selectors.deadline_of(case, REVIEW_WINDOW).due_date
    assert (due - D(2026, 6, 15)).days > 30
    with pytest.raises(services.PetitionError):
        _close(pet, case, due)
    _review(pet, case, due)


def test_pet3_review_then_rereview_then_closed(pet):
    """PET-3: the review's outcome opens the re-review window; the re-review's
    outcome closes the case."""
    case = _replied(pet, D(2026, 6, 15))
    _review(pet, case, D(2026, 6, 20))
    with time_machine.travel(at(D(2026, 7, 20)), tick=False):
        services.review_outcome(
            case=case, by=pet.officer.user, outcome="维持", on=D(2026, 7, 20)
        )
    case.refresh_from_db()
    assert case.status == Case.Status.REPLIED
    with pytest.raises(services.PetitionError):
        _review(pet, case, D(2026, 7, 21), level="review")
    _review(pet, case, D(2026, 8, 19), level="rereview")
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        services.review_outcome(
            case=case, by=pet.officer.user, outcome="维持", on=D(2026, 9, 1)
        )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_pet3_nightly_close_after_the_window(pet):
    case = _replied(pet, D(2026, 6, 15))
    with time_machine.travel(at(D(2026, 7, 15)), tick=False):
        assert services.cases_close_expired(today=D(2026, 7, 15), commit=True) == []
    with time_machine.travel(at(D(2026, 7, 16)), tick=False):
        assert services.cases_close_expired(today=D(2026, 7, 16), commit=True) == [
            case.pk
        ]
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_pet5_reminder_then_escalation_ladder_each_sent_once(pet):
    """PET-5: the handler is reminded 3 days before day 15 (once, over two scans);
    overdue, the section head is told the day after, the deputy in charge after 3
    days overdue, the director after 7 — each once, however often the scan runs."""
    case = _routed(pet)
    remind_day = D(2026, 6, 13)
    for _ in range(2):
        deadlines_scan(today=remind_day, commit=True)
    assert (
        Notification.objects.filter(
            recipient=pet.org.b1, title__contains="到期"
        ).count()
        + Notification.objects.filter(
            recipient=pet.org.b1, title__contains="Due"
        ).count()
        == 1
    )
    for day, expected in [
        (D(2026, 6, 17), [pet.org.head_b]),
        (D(2026, 6, 17), []),
        (D(2026, 6, 20), [pet.org.dep_b]),
        (D(2026, 6, 24), [pet.org.director]),
        (D(2026, 6, 30), []),
    ]:
        with time_machine.travel(at(day), tick=False):
            result = services.petitions_escalate(today=day, commit=True)
        assert [p for _d, _r, p in result.sent] == expected, day
    assert "张三" not in "".join(Notification.objects.values_list("title", flat=True))
    assert (
        case.number
        in Notification.objects.filter(recipient=pet.org.director).get().title
    )


def test_pet5_the_ladder_skips_a_person_told_already(pet):
    """PET-5: the handler is the section head: the section head's rung goes to
    the deputy in charge (ORG-3), so the deputy's own rung is not sent twice."""
    case = register(pet)
    route(pet, case, handler=pet.org.head_b)
    sent = []
    for day in (D(2026, 6, 17), D(2026, 6, 20), D(2026, 6, 24)):
        with time_machine.travel(at(day), tick=False):
            sent += [
                p
                for _d, _r, p in services.petitions_escalate(
                    today=day, commit=True
                ).sent
            ]
    assert sent == [pet.org.dep_b, pet.org.director]


def test_pet5_the_escalation_costs_the_same_queries_for_few_and_many_notices(pet):
    """PET-5, set-based: the statements do not grow with the overdue clocks — the
    people responsible are read once, and the markers, the notices and their
    e-mails are one insert each. On PostgreSQL at 4 and 1,200 notices (past any
    batch of 500); SQLite splits an insert at 999 parameters, so there 4 and 40."""
    clock = selectors.deadline_of(_routed(pet), DECIDE)
    fields = {
        f.attname: getattr(clock, f.attname)
        for f in Deadline._meta.concrete_fields
        if f.attname not in ("id", "object_id")
    }
    for person in (pet.org.head_b, pet.org.dep_b):  # their notices go by e-mail too
        person.user.email = f"{person.user.username}@example.org"
        person.user.save(update_fields=["email"])
    day = D(2026, 6, 20)  # 4 days overdue: the section head's and the deputy's rungs
    services.petitions_escalate(today=day, commit=False)  # the policy, now cached
    counts = []
    for n in (2, 600) if connection.vendor == "postgresql" else (2, 20):
        EscalationNotice.objects.all().delete()
        Deadline.objects.filter(object_id__gte=100_000).delete()
        # Clocks like the case's on other records (the scan never reads the case).
        Deadline.objects.bulk_create(
            [Deadline(**fields, object_id=100_000 + i) for i in range(n - 1)]
        )
        with (
            time_machine.travel(at(day), tick=False),
            CaptureQueriesContext(connection) as queries,
        ):
            result = services.petitions_escalate(today=day, commit=True)
        assert len(result.sent) == 2 * n
        # One e-mail each for the section head and the deputy: the notices of a
        # run come to each of them as one digest.
        mails = OutboxMessage.objects.order_by("pk")
        assert sorted(m.payload["to"][0] for m in mails) == sorted(
            [pet.org.head_b.user.email, pet.org.dep_b.user.email]
        )
        assert all(m.payload["body"].count("\n/petitions/") == n for m in mails)
        OutboxMessage.objects.all().delete()
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("late", [False, True])
def test_pet2_conclusion_under_a_working_day_policy(pet, late):
    """PET-2 with 60 working days: concluding on the engine's due date is on time,
    the next day late."""
    Policy(
        key="deadlines.petitions_conclude",
        effective_from=D(2026, 1, 1),
        value={
            "length": 60,
            "day_type": "working",
            "remind_days": 7,
            "escalate_to": "",
        },
    ).save()
    case = _routed(pet)
    decide(pet, case, on=DAY0)
    due = selectors.deadline_of(case, CONCLUDE).due_date
    assert (due - DAY0).days > 80  # 60 working days reach well beyond 60 calendar days
    conclude(pet, case, on=due + days(1) if late else due)
    assert selectors.deadline_of(case, CONCLUDE).state == ("missed" if late else "met")


def test_pet2_extension_under_a_working_day_policy_counts_working_days(pet):
    """PET-2 with working days: 30 more working days after the 60 working days;
    31 is refused whatever the day type."""
    Policy(
        key="deadlines.petitions_conclude",
        effective_from=D(2026, 1, 1),
        value={
            "length": 60,
            "day_type": "working",
            "remind_days": 7,
            "escalate_to": "",
        },
    ).save()
    case = _routed(pet)
    decide(pet, case, on=DAY0)
    old_due = selectors.deadline_of(case, CONCLUDE).due_date
    with pytest.raises(services.PetitionError):
        _extend(pet, case, 31, DAY0 + days(40))
    extension = _approve_all(_extend(pet, case, 30, DAY0 + days(40)), DAY0 + days(41))
    assert extension.new_due > old_due + days(30)  # weekends skipped
    assert selectors.deadline_of(case, EXTENDED).due_date == extension.new_due
