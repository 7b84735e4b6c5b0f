"""Two deciders acting on the same step at once leave one decision (PostgreSQL)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from approvals.models import ApprovalStep
from approvals.services import ApprovalError, approval_decide, approval_submit
from bureau.models import ActingAssignment

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _only_postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


@pytest.mark.parametrize("decisions", [("approve", "refuse"), ("approve", "approve")])
def test_org2_two_deciders_on_one_step_leave_one_decision(org, decisions):
    """ORG-2: the head and their stand-in decide the same step at the same moment:
    the row lock lets one through; the other is told it is decided already."""
    from django.utils import timezone

    today = timezone.localdate()
    ActingAssignment.objects.create(
        principal=org.head_a,
        stand_in=org.a2,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=1),
    )
    approval = approval_submit(
        subject=org.section_a,
        requester=org.a1,
        chain=[{"action": "approve", "who": "section_head"}],
        by=org.a1.user,
        kind="test",
        summary="race",
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(user, decision):
        try:
            barrier.wait(timeout=10)
            approval_decide(
                request=approval.pk, by=user, decision=decision, comment="理由"
            )
            outcomes.append("ok")
        except ApprovalError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(org.a2.user, decisions[0])),
        threading.Thread(target=decide, args=(org.head_a.user, decisions[1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "refused"]
    step = ApprovalStep.objects.get(request=approval)
    assert step.status == ApprovalStep.Status.DONE
    assert step.history.filter(status=ApprovalStep.Status.DONE).count() == 1
