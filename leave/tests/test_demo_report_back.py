"""LV-9 in the demo bureau: past leave is reported back on the day the person was
back (the clock met, not missed), so no login of the README tour meets an overdue
report-back on the home page; one deliberate person who is not a tour login did not
report back, and the leaders over them see it on the dashboard."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bureau.demo import DEMO_LOGINS
from bureau.models import Person
from deadlines.models import Deadline
from deadlines.selectors import overdue_items
from leave.demo import FORGOT_TO_REPORT_BACK
from leave.models import RETURN_DEADLINE, LeaveRequest


def _tour_logins() -> set[str]:
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    return {name for name, _label in DEMO_LOGINS} | set(
        re.findall(r"`([a-z]+\d*)`", readme)
    )


@pytest.mark.django_db(transaction=False)
def test_lv9_demo_past_leave_reported_back_but_one(client):
    call_command("load_demo", "--commit", stdout=io.StringIO())
    today = timezone.localdate()
    assert FORGOT_TO_REPORT_BACK not in _tour_logins()

    overdue = Deadline.objects.filter(
        kind=RETURN_DEADLINE, state=Deadline.State.OPEN, due_date__lt=today
    )
    assert [d.responsible.user.username for d in overdue] == [FORGOT_TO_REPORT_BACK]
    # The others were back on time: their clocks met, none missed.
    assert not Deadline.objects.filter(
        kind=RETURN_DEADLINE, state=Deadline.State.MISSED
    ).exists()
    returned = LeaveRequest.objects.filter(returned_at__isnull=False)
    assert returned.count() >= 5
    for leave in returned:
        deadline = Deadline.objects.get(kind=RETURN_DEADLINE, object_id=leave.pk)
        assert deadline.state == Deadline.State.MET
        assert timezone.localdate(leave.returned_at) <= deadline.due_date

    # staff1's home page shows no overdue report-back.
    staff1 = Person.objects.get(user__username="staff1")
    client.force_login(staff1.user)
    home = client.get(reverse("home")).content.decode()
    assert "项逾期" not in home
    # The leaders over the forgetful one see it on their dashboard.
    forgot = Person.objects.get(user__username=FORGOT_TO_REPORT_BACK)
    for leader in ("director", "deputy3", "head3"):
        user = Person.objects.get(user__username=leader).user
        # (Other chapters' overdue clocks — a red supervision task, an escalated
        # petition — are on the same dashboard; LV-9's are this one person's.)
        overdue_lv9 = [
            d.responsible
            for d in overdue_items(user, today)
            if d.kind == RETURN_DEADLINE
        ]
        assert overdue_lv9 == [forgot]
        client.force_login(user)
        page = client.get(reverse("deadlines:dashboard")).content.decode()
        assert forgot.name in page
