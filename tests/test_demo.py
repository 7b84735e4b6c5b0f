"""The README's first command loads a realistic demo bureau (ORG-1)."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from bureau.models import Person, Position, Role, Section, Unit
from bureau.workdays import TZ

# Loaded as the demo's clock starts outside working hours (bureau/demo_clock.py):
# two minutes into a working day's first session.
DEMO_CLOCK_START = datetime.datetime(2026, 12, 3, 8, 2, tzinfo=TZ)


@pytest.mark.django_db(transaction=False)
def test_org1_demo_bureau_loads_with_every_role_and_a_month_of_history():
    out = io.StringIO()
    with time_machine.travel(DEMO_CLOCK_START, tick=True):
        call_command("load_demo", "--commit", stdout=out)
        now = timezone.now()
    assert "demo-2026" in out.getvalue()
    assert Person.objects.filter(position=Position.DIRECTOR).count() == 1
    assert Person.objects.filter(position=Position.DEPUTY).count() == 3
    assert Section.objects.count() == 5
    assert Section.objects.filter(is_comprehensive=True, name="综合股").exists()
    assert Unit.objects.filter(kind=Unit.Kind.SUBORDINATE).count() == 3
    assert 55 <= Person.objects.count() <= 65
    for role in [
        Role.DRIVER,
        Role.FINANCE_OFFICER,
        Role.ATTENDANCE_CLERK,
        Role.DISCIPLINE_INSPECTOR,
        Role.DOCUMENT_CLERK,
        Role.PETITION_OFFICER,
    ]:
        assert Person.objects.filter(user__groups__name=role).exists(), role
    # A month of history from the chapters.
    from attendance.models import SessionRecord
    from discipline.models import Violation
    from leave.models import LeaveRequest

    assert SessionRecord.objects.count() > 1000
    assert LeaveRequest.objects.count() >= 10
    assert Violation.objects.exists()
    # Nothing happened after the moment it was loaded, and staff1 can sign in.
    from approvals.models import ApprovalRequest, ApprovalStep

    assert not SessionRecord.objects.filter(signed_in_at__gt=now).exists()
    assert not ApprovalRequest.objects.filter(submitted_at__gt=now).exists()
    assert not ApprovalRequest.objects.filter(finished_at__gt=now).exists()
    assert not ApprovalStep.objects.filter(decided_at__gt=now).exists()
    from documents.models import IncomingDocument

    assert not IncomingDocument.objects.filter(registered_at__gt=now).exists()
    staff1 = Person.objects.get(user__username="staff1")
    assert not SessionRecord.objects.filter(
        person=staff1, date=DEMO_CLOCK_START.date()
    ).exists()
    # Most people have signed in this morning: the board and the sheet look real.
    signed_in = SessionRecord.objects.filter(date=DEMO_CLOCK_START.date(), part="am")
    assert signed_in.count() > Person.objects.filter(is_active=True).count() / 2


def test_org1_demo_refuses_a_second_load_and_is_a_dry_run_by_default(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert Person.objects.count() == 0
    call_command("load_demo", "--commit", stdout=out)
    call_command("load_demo", "--commit", "--if-empty", stdout=out)
    assert "already" in out.getvalue()
