"""The README's first command loads a realistic demo bureau (ORG-1)."""

import io

import pytest
from django.core.management import call_command

from bureau.models import Person, Position, Role, Section, Unit


@pytest.mark.django_db(transaction=False)
def test_org1_demo_bureau_loads_with_every_role_and_a_month_of_history():
    out = io.StringIO()
    call_command("load_demo", "--commit", stdout=out)
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


def test_org1_demo_refuses_a_second_load_and_is_a_dry_run_by_default(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert Person.objects.count() == 0
    call_command("load_demo", "--commit", stdout=out)
    call_command("load_demo", "--commit", "--if-empty", stdout=out)
    assert "already" in out.getvalue()
