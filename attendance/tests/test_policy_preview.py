"""Issue 16 item 5: the policy editor's preview for attendance — "with this version,
last month's report would change for N people", recomputed on a copy, nothing saved."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from attendance import services
from attendance.models import SessionRecord
from attendance.plan import day_plan
from attendance.preview import last_month
from bureau.models import Policy
from bureau.policies import policy_in_force

LATE = "attendance.late_limit_minutes"
GRACE = "attendance.sign_in_grace_minutes"
TODAY = datetime.date(2026, 12, 10)


def late_in_last_month(org, today=TODAY, minutes=12, sign_out=False):
    """a1 signs in `minutes` after the start on last month's first working day,
    b1 on time; with `sign_out`, both sign out at the end of that session (so a1's
    morning is a lateness, not an absence for no sign-out). The day is settled.
    Returns the day."""
    cache.clear()  # the day plans of another test's units
    day = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    while not day_plan(org.a1.unit_id, day).sessions:
        day += datetime.timedelta(days=1)
    morning = day_plan(org.a1.unit_id, day).sessions[0]
    with time_machine.travel(
        morning.start + datetime.timedelta(minutes=minutes), tick=False
    ):
        services.record_sign_in(by=org.a1.user)
    with time_machine.travel(morning.start - datetime.timedelta(minutes=1), tick=False):
        services.record_sign_in(by=org.b1.user)
    if sign_out:
        with time_machine.travel(morning.end, tick=False):
            services.record_sign_out(by=org.a1.user)
            services.record_sign_out(by=org.b1.user)
    last = day_plan(org.a1.unit_id, day).sessions[-1]
    services.sheets_settle(day=day, now=last.end + datetime.timedelta(hours=2))
    return day


def snapshot():
    return sorted(
        SessionRecord.objects.values_list("pk", "outcome", "late", "absence_days")
    )


@pytest.mark.django_db
def test_att3_preview_counts_the_people_whose_month_changes(org):
    """ATT-3: a late limit of 11 makes a1's 12-minute arrival a half-day absence:
    one person's report changes; nothing is saved, the cache is clean."""
    day = late_in_last_month(org, sign_out=True)
    before = snapshot()
    versions = list(Policy.objects.values_list("pk", "key", "effective_from", "value"))
    sentences = last_month(LATE, 11, TODAY, org.admin, today=TODAY)
    # "1" alone would be found in the month ("2026-11"): the count itself.
    assert re.search(r"(?<!\d)1 (人|person)", sentences[0]), sentences[0]
    assert snapshot() == before
    assert (
        list(Policy.objects.values_list("pk", "key", "effective_from", "value"))
        == versions
    )
    assert policy_in_force(LATE, day).value == 15


@pytest.mark.django_db
def test_att2_preview_of_an_unchanged_month_counts_nobody(org):
    """ATT-2: a grace of 11 keeps a1 late (12 minutes): nobody's report changes."""
    late_in_last_month(org)
    sentences = last_month(GRACE, 11, TODAY, org.admin, today=TODAY)
    assert " 0 " in sentences[0]


@pytest.mark.django_db
def test_att3_editor_page_shows_the_count(org, client_for):
    late_in_last_month(org)
    client = client_for(org.admin)
    url = reverse("admin:bureau_policy_editor", args=[LATE])
    with time_machine.travel(datetime.datetime(2026, 12, 10, 9, 0), tick=False):
        response = client.post(
            url, {"v": "11", "effective_from": "2027-01-01", "_preview": "1"}
        )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="impact"' in text
    assert "2026-11" in text
    assert not Policy.objects.filter(key=LATE, effective_from="2027-01-01").exists()
