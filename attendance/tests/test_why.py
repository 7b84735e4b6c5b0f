"""Why pages of attendance (issue 16 item 6): a session's judgement and a month's
allowance outcome show the rule and the policy versions they used; the person and
their leader see them, another staff member gets 404."""

import pytest
import time_machine
from django.urls import reverse

from attendance import services
from attendance.policies import ALLOWANCE_TABLE, LATE_LIMIT
from attendance.tests.conftest import at
from bureau.policies import registry

pytestmark = pytest.mark.django_db


def _late_record(org, monday):
    with time_machine.travel(at(monday, 8, 12), tick=False):
        record, _ = services.record_sign_in(by=org.a1.user)
    return record


def test_att3_why_late_shows_the_rule_and_the_version_it_used(org, monday, client_for):
    """ATT-3: the why page of a late arrival quotes the rulebook and the stored
    version of the lateness limit, with its value."""
    record = _late_record(org, monday)
    assert record.policy_versions.get(LATE_LIMIT)
    url = reverse("rules:why", args=["attendance.record", record.pk])
    page = client_for(org.a1).get(url)
    assert page.status_code == 200
    assert "视为迟到" in page.text
    assert str(registry.label(LATE_LIMIT)) in page.text


def test_att3_why_late_is_seen_by_the_section_head_not_by_a_colleague(
    org, monday, client_for
):
    record = _late_record(org, monday)
    url = reverse("rules:why", args=["attendance.record", record.pk])
    assert client_for(org.head_a).get(url).status_code == 200
    assert client_for(org.b1).get(url).status_code == 404


def test_att10_why_allowance_shows_the_table_version(org, monday, client_for):
    """ATT-10: the allowance outcome's page names the table in force at the end of
    the month; nobody sees another's."""
    _late_record(org, monday)
    url = reverse("rules:why", args=["attendance.allowance", org.a1.pk])
    page = client_for(org.a1).get(url + "?month=2026-11")
    assert page.status_code == 200
    assert str(registry.label(ALLOWANCE_TABLE)) in page.text
    assert "出勤津贴" in page.text
    assert client_for(org.b1).get(url + "?month=2026-11").status_code == 404


def test_why_unknown_record_or_kind_is_404(org, client_for):
    client = client_for(org.a1)
    assert client.get("/rules/why/attendance.record/999999/").status_code == 404
    assert client.get("/rules/why/nothing.here/1/").status_code == 404


def test_my_attendance_links_to_why(org, monday, client_for):
    record = _late_record(org, monday)
    record.settled_at = record.signed_in_at
    record.save(update_fields=["settled_at"])
    with time_machine.travel(at(monday, 9, 0), tick=False):
        page = client_for(org.a1).get(reverse("attendance:mine"))
    assert reverse("rules:why", args=["attendance.record", record.pk]) in page.text
