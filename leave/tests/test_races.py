"""Two requests of one person at the same moment (PostgreSQL): the overlap check and
the annual balance (LV-11) are taken under the person's lock, and an exclusion
constraint refuses overlapping pending or approved leave as the last line."""

import datetime
import threading

import pytest
import time_machine
from django.db import IntegrityError, connection, connections, transaction

from approvals.models import ApprovalRequest
from bureau.workdays import TZ
from leave.models import LeaveRequest
from leave.services import LeaveError, leave_submit, leave_withdraw
from leave.tests.conftest import MONDAY

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

OVERLAP = "该时段内您已有其他请假申请。"


@pytest.fixture(autouse=True)
def _only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


@pytest.fixture
def org_tx():
    from bureau.policies import registry
    from bureau.testing import small_org

    registry.load_defaults()
    return small_org()


def _submit(person, start, end, leave_type, start_half="am", end_half="pm"):
    with time_machine.travel(
        datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False
    ):
        return leave_submit(
            by=person.user,
            leave_type=leave_type,
            start_date=start,
            start_half=start_half,
            end_date=end,
            end_half=end_half,
            reason="家中有事",
            handover_note="工作已交由同事处理",
        )


def _race(targets):
    """Run the targets at once; returns ("ok", leave) or ("refused", message)."""
    barrier = threading.Barrier(len(targets))
    outcomes, errors = [], []

    def run(fn):
        try:
            barrier.wait(timeout=10)
            outcomes.append(("ok", fn()))
        except LeaveError as exc:
            outcomes.append(("refused", str(exc)))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return sorted(outcomes, key=lambda outcome: outcome[0])


def _day(n):
    return MONDAY + datetime.timedelta(days=n)


def test_lv11_two_annual_requests_at_once_cannot_exceed_the_balance(org_tx):
    """LV-11: two 3-day annual requests (different days) against a 5-day balance,
    submitted at the same moment: exactly one is accepted, the other is told the
    balance is short; one request and one approval are stored."""
    u1 = org_tx.u1
    outcomes = _race(
        [
            lambda: _submit(u1, _day(0), _day(2), "annual"),  # Mon–Wed
            lambda: _submit(u1, _day(7), _day(9), "annual"),  # next Mon–Wed
        ]
    )
    assert [kind for kind, _ in outcomes] == ["ok", "refused"]
    assert "年休假不足" in outcomes[1][1]
    assert LeaveRequest.objects.filter(person=u1).count() == 1
    assert ApprovalRequest.objects.filter(requester=u1).count() == 1


def test_lv1_two_overlapping_sick_leaves_at_once_leave_one(org_tx):
    """Two overlapping sick leaves submitted at the same moment: exactly one is
    accepted, the other gets the overlap message; nothing of it is stored."""
    a1 = org_tx.a1
    outcomes = _race(
        [
            lambda: _submit(a1, _day(0), _day(1), "sick"),
            lambda: _submit(a1, _day(1), _day(2), "sick"),
        ]
    )
    assert [kind for kind, _ in outcomes] == ["ok", "refused"]
    assert outcomes[1][1] == OVERLAP
    assert LeaveRequest.objects.filter(person=a1).count() == 1
    assert ApprovalRequest.objects.filter(requester=a1).count() == 1


def _insert(person, start, end, start_half="am", end_half="pm", status="pending"):
    return LeaveRequest.objects.create(
        person=person,
        leave_type="personal",
        start_date=start,
        start_half=start_half,
        end_date=end,
        end_half=end_half,
        days=1,
        reason="r",
        handover_note="h",
        status=status,
        submitted_on=MONDAY,
    )


def test_constraint_refuses_a_direct_overlapping_insert(org_tx):
    """The exclusion constraint itself: an overlapping pending request inserted
    without the service is refused by the database."""
    _insert(org_tx.a1, _day(0), _day(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert(org_tx.a1, _day(1), _day(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert(org_tx.a1, _day(1), _day(3), status="approved")
    assert LeaveRequest.objects.filter(person=org_tx.a1).count() == 1


@pytest.mark.parametrize("status", ["refused", "withdrawn"])
def test_constraint_allows_overlap_with_refused_or_withdrawn_leave(org_tx, status):
    """Refused and withdrawn leave hold no time: the same period may be asked
    again, also on another person's overlapping days."""
    first = _insert(org_tx.a1, _day(0), _day(1))
    first.status = status
    first.save()
    _insert(org_tx.a1, _day(0), _day(1))
    _insert(org_tx.a2, _day(0), _day(1))
    assert LeaveRequest.objects.filter(start_date=_day(0)).count() == 3


def test_constraint_lets_morning_and_afternoon_of_one_day_apart(org_tx):
    """Half days: a morning and an afternoon of the same date do not overlap; a
    day that ends at noon and one that starts that morning do."""
    _insert(org_tx.a1, _day(0), _day(0), "am", "am")
    _insert(org_tx.a1, _day(0), _day(1), "pm", "am")
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert(org_tx.a1, _day(1), _day(1), "am", "pm")
    _insert(org_tx.a1, _day(1), _day(1), "pm", "pm")
    assert LeaveRequest.objects.filter(person=org_tx.a1).count() == 3


def test_constraint_follows_an_early_return(org_tx):
    """LV-9: after an early return the rest of the leave is free again."""
    first = _insert(org_tx.a1, _day(0), _day(2), status="approved")
    first.actual_end_date, first.actual_end_half = _day(1), "am"
    first.save()
    _insert(org_tx.a1, _day(1), _day(2), "pm", "pm")
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert(org_tx.a1, _day(1), _day(1), "am", "am")


def test_constraint_violation_becomes_the_overlap_message(org_tx, monkeypatch):
    """When the checks under the lock are bypassed (here: switched off), the
    database refuses and the user gets the same clear message; neither the request
    nor its approval is stored, and a withdrawn request frees the period."""
    from leave import services

    first = _submit(org_tx.a1, _day(0), _day(1), "personal")
    monkeypatch.setattr(services, "_submission_problem", lambda **kwargs: None)
    with pytest.raises(LeaveError) as refused:
        _submit(org_tx.a1, _day(1), _day(2), "personal")
    assert str(refused.value) == OVERLAP
    assert LeaveRequest.objects.filter(person=org_tx.a1).count() == 1
    assert ApprovalRequest.objects.filter(requester=org_tx.a1).count() == 1
    leave_withdraw(leave=first, by=org_tx.a1.user)
    assert _submit(org_tx.a1, _day(1), _day(2), "personal").pk
