"""DUTY-1: each flag of a roster links (依据) to why its day was flagged: the leave
or going out that covers the day, the rule's text and the version of the rotation
policy the roster was checked by — for whoever may see the roster; anyone else
gets 404."""

import datetime

import pytest
from django.test import Client

from attendance.services import going_out_decide, going_out_report
from bureau.why import why_url
from duty.models import DutyDay, Roster
from duty.tests.conftest import MONDAY, at

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + datetime.timedelta(days=1)  # b1 on duty (a1, b1, a2, a1, b1)
FRIDAY = MONDAY + datetime.timedelta(days=4)  # b1 again


@pytest.fixture
def flagged(org, daily, approved_leave, django_capture_on_commit_callbacks):
    """b1's personal leave Tuesday to Friday, approved after the roster was saved:
    Tuesday and Friday are flagged."""
    with django_capture_on_commit_callbacks(execute=True):
        approved_leave(org.b1, TUESDAY, FRIDAY)
    return DutyDay.objects.get(roster=daily, date=TUESDAY)


def test_duty1_why_of_a_flag_names_the_leave_the_rule_and_the_policy(
    org, flagged, client_for
):
    """The page names the day, the person, the leave that covers the day with its
    first and last half day, DUTY-1's text and the rotation policy's version."""
    response = client_for(org.head_a).get(why_url("duty.flag", flagged.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"值班提示：{TUESDAY.isoformat()}，局机关日常值班" in body
    assert org.b1.name in body
    assert f"事假，自 {TUESDAY.isoformat()} 上午 至 {FRIDAY.isoformat()} 下午" in body
    assert "DUTY-1" in body and "值班排班规则" in body
    assert f'href="/duty/{flagged.roster_id}/"' in body


@pytest.mark.parametrize(
    "who, status",
    [
        ("head_a", 200),  # the comprehensive section arranges
        ("a1", 200),  # the organ's staff read its roster
        ("b1", 200),  # the person flagged
        ("director", 200),
        ("u1", 404),  # a unit's staff do not see the organ's roster
        ("unit_head", 404),
    ],
)
def test_duty1_why_of_a_flag_by_role(org, flagged, client_for, who, status):
    response = client_for(getattr(org, who)).get(why_url("duty.flag", flagged.pk))
    assert response.status_code == status


def test_duty1_why_of_a_flag_needs_a_login(flagged):
    response = Client().get(why_url("duty.flag", flagged.pk))
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/accounts/login/")
        or "login" in (response["Location"])
    )


def test_duty1_why_of_another_kind_is_404(org, flagged, client_for):
    """The id is a roster day's: under another chapter's kind it is not found."""
    response = client_for(org.head_a).get(why_url("window.deadline", flagged.pk))
    assert response.status_code == 404


def test_duty1_roster_page_links_each_flag_to_its_why(org, flagged, client_for):
    friday = DutyDay.objects.get(roster=flagged.roster, date=FRIDAY)
    body = client_for(org.a1).get(f"/duty/{flagged.roster_id}/").content.decode()
    assert why_url("duty.flag", flagged.pk) in body
    assert why_url("duty.flag", friday.pk) in body
    assert ">依据</a>" in body


def test_duty1_why_of_a_going_out_gives_the_expected_return(
    org, daily, client_for, django_capture_on_commit_callbacks
):
    """A going-out acknowledged after the roster was saved: the page names it,
    its afternoon and the expected return."""
    going_out = going_out_report(
        by=org.b1.user,
        leaves_at=at(TUESDAY, 14, 35),
        expected_return=at(TUESDAY, 16, 30),
        destination="乡镇服务站",
        reason="督查",
    )
    with django_capture_on_commit_callbacks(execute=True):
        going_out_decide(
            by=going_out.approver.user, going_out_id=going_out.pk, acknowledge=True
        )
    assert Roster.objects.get(pk=daily.pk).flags
    day = DutyDay.objects.get(roster=daily, date=TUESDAY)
    body = client_for(org.head_a).get(why_url("duty.flag", day.pk)).content.decode()
    assert "乡镇服务站" in body
    assert "预计 16:30 返回" in body
    assert f"{TUESDAY.isoformat()} 下午 至 {TUESDAY.isoformat()} 下午" in body


def test_duty1_why_of_a_day_without_a_flag_says_so(org, daily, client_for):
    day = DutyDay.objects.get(roster=daily, date=TUESDAY)
    body = client_for(org.head_a).get(why_url("duty.flag", day.pk)).content.decode()
    assert "目前没有提示。" in body
