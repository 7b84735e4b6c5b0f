"""Access, "the clerk their units" (issue 3 bullet 8; ATT-6, ATT-13): an attendance
clerk with ClerkAssignment rows keeps only those units; one with none keeps every
unit. u2 of the service station is made its clerk; a2 (综合股) keeps every unit."""

import contextlib
import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from attendance import services
from attendance.models import AwayFromPost, SessionRecord
from attendance.selectors import clerk_unit_ids, units_visible_to
from attendance.tests.conftest import at
from bureau.models import ClerkAssignment, Position, Role
from bureau.testing import make_person

pytestmark = pytest.mark.django_db


def _make_unit_clerk(org):
    org.u2.user.groups.add(Group.objects.get_or_create(name=Role.ATTENDANCE_CLERK)[0])
    org.u2.save()  # the staff flag follows the duty
    ClerkAssignment.objects.create(person=org.u2, unit=org.unit)
    return org.u2


@contextlib.contextmanager
def refused(match):
    """The service raises AttendanceError; its message read in English."""
    with translation.override("en"), pytest.raises(services.AttendanceError) as exc:
        yield
    assert match in str(exc.value)


@pytest.fixture
def unit_clerk(org):
    return _make_unit_clerk(org)


@pytest.fixture
def settled(org, monday, unit_clerk):
    with time_machine.travel(at(monday, 7, 59), tick=False):
        for person in (org.a1, org.b1, org.u1):
            services.record_sign_in(by=person.user)
    services.sheets_settle(day=monday, now=at(monday, 12, 30))
    return monday


def test_att6_clerk_units_selector_none_means_every_unit(org, unit_clerk):
    """A clerk with no assignment keeps every unit (None); one with assignments
    keeps those; an administrator keeps every unit; a non-clerk none."""
    assert clerk_unit_ids(org.a2.user) is None
    assert clerk_unit_ids(org.u2.user) == {org.unit.pk}
    assert clerk_unit_ids(org.admin) is None
    assert clerk_unit_ids(org.a1.user) == frozenset()
    assert set(units_visible_to(org.u2.user)) == {org.unit}
    assert set(units_visible_to(org.a2.user)) == {org.organ, org.unit}


def test_att6_unit_clerk_sees_only_their_unit_on_sheet_report_board(
    org, settled, client_for
):
    """The unit clerk's sheet, report, exports and board hold their unit only;
    another unit's board is 404."""
    client = client_for(org.u2)
    sheet = client.get(reverse("attendance:sheet") + f"?date={settled}&part=am")
    assert sheet.status_code == 200
    assert {r.unit_id for r in sheet.context["records"]} == {org.unit.pk}
    assert {r.person_id for r in sheet.context["records"]} == {
        org.unit_head.pk,
        org.u1.pk,
        org.u2.pk,
    }
    assert [u.pk for u in sheet.context["units"]] == [org.unit.pk]
    month = f"?month={settled:%Y-%m}"
    report = client.get(reverse("attendance:report") + month)
    assert report.status_code == 200
    assert {row.unit for row in report.context["report"].rows} == {org.unit.name}
    assert not report.context["is_clerk"]  # no close/reopen form for a unit clerk
    csv = client.get(reverse("attendance:report_csv") + month)
    assert org.u1.name in csv.content.decode("utf-8-sig")
    assert org.a1.name not in csv.content.decode("utf-8-sig")
    board = reverse("attendance:board", args=[org.unit.pk])
    assert client.get(board).status_code == 200
    organ_board = reverse("attendance:board", args=[org.organ.pk])
    assert client.get(organ_board).status_code == 404


def test_att6_unit_clerk_gets_404_on_another_units_record_by_url_and_admin(
    org, settled, client_for
):
    """Another unit's record: 404 on the correction page, the admin change page
    and its history page; their own unit's record opens."""
    client = client_for(org.u2)
    a1_record = SessionRecord.objects.get(person=org.a1, date=settled, part="am")
    u1_record = SessionRecord.objects.get(person=org.u1, date=settled, part="am")
    correct = "attendance:record_correct"
    assert client.get(reverse(correct, args=[a1_record.pk])).status_code == 404
    assert client.get(reverse(correct, args=[u1_record.pk])).status_code == 200
    admin = "/admin/attendance/sessionrecord/{}/{}"
    assert client.get(admin.format(a1_record.pk, "history/")).status_code == 404
    change = client.get(admin.format(a1_record.pk, "change/"))
    assert change.status_code in (302, 404)  # the admin's "does not exist"
    assert client.get(admin.format(u1_record.pk, "change/")).status_code == 200
    listing = client.get("/admin/attendance/sessionrecord/")
    assert listing.status_code == 200
    shown = {r.person_id for r in listing.context["cl"].result_list}
    assert org.a1.pk not in shown and org.u1.pk in shown
    sheets = client.get("/admin/attendance/sheet/")
    assert {s.unit_id for s in sheets.context["cl"].result_list} == {org.unit.pk}


def test_att6_unit_clerk_correction_of_another_unit_refused_nothing_changes(
    org, settled
):
    """A correction of another unit's record (by the service) is refused with a
    clear error, and the record and its history stay as they were; so is
    recording another unit's absence from post."""
    record = SessionRecord.objects.get(person=org.a1, date=settled, part="am")
    before = (record.signed_in_at, record.outcome, record.history.count())
    with refused("another clerk"):
        services.record_correct(
            by=org.u2.user,
            record_id=record.pk,
            signed_in_at=at(settled, 7, 30),
            signed_out_at=at(settled, 12, 0),
            reason="补签",
        )
    record.refresh_from_db()
    assert (record.signed_in_at, record.outcome, record.history.count()) == before
    assert record.correction_reason == ""
    with refused("another clerk"):
        services.away_record(
            by=org.u2.user,
            person_id=org.a1.pk,
            left_at=at(settled, 9, 0),
            returned_at=at(settled, 10, 0),
            now=at(settled, 12, 0),
        )
    assert not AwayFromPost.objects.exists()


def test_att6_unit_clerk_corrects_their_own_units_record(org, settled, client_for):
    """Within their unit the unit clerk corrects like any clerk (with a reason)."""
    record = SessionRecord.objects.get(person=org.unit_head, date=settled, part="am")
    response = client_for(org.u2).post(
        reverse("attendance:record_correct", args=[record.pk]),
        {
            "signed_in_at": f"{settled}T07:58",
            "signed_out_at": f"{settled}T12:00",
            "reason": "补签",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.correction_reason == "补签"
    assert record.corrected_by == org.u2.user


def test_att6_unit_clerk_gets_403_when_visible_but_not_kept(org, settled, client_for):
    """A unit clerk who also heads a section sees that section's records, but
    correcting them is not theirs: 403 on the page, no link on the sheet."""
    org.head_b.user.groups.add(
        Group.objects.get_or_create(name=Role.ATTENDANCE_CLERK)[0]
    )
    ClerkAssignment.objects.create(person=org.head_b, unit=org.unit)
    b1_record = SessionRecord.objects.get(person=org.b1, date=settled, part="am")
    client = client_for(org.head_b)
    url = reverse("attendance:record_correct", args=[b1_record.pk])
    assert client.get(url).status_code == 403
    sheet = client.get(reverse("attendance:sheet") + f"?date={settled}&part=am")
    by_person = {r.person_id: r.can_correct for r in sheet.context["records"]}
    assert by_person[org.b1.pk] is False
    assert by_person[org.u1.pk] is True


def test_att6_all_units_clerk_unchanged(org, settled, client_for):
    """The clerk with no assignment (综合股) still sees and corrects every unit."""
    client = client_for(org.a2)
    sheet = client.get(reverse("attendance:sheet") + f"?date={settled}&part=am")
    assert {r.unit_id for r in sheet.context["records"]} == {org.organ.pk, org.unit.pk}
    for person in (org.b1, org.u1):
        record = SessionRecord.objects.get(person=person, date=settled, part="am")
        services.record_correct(
            by=org.a2.user,
            record_id=record.pk,
            signed_in_at=at(settled, 7, 55),
            signed_out_at=at(settled, 12, 0),
            reason="补签",
        )
        record.refresh_from_db()
        assert record.correction_reason == "补签"
    board = reverse("attendance:board", args=[org.organ.pk])
    assert client.get(board).status_code == 200


def test_att13_month_close_and_study_stay_with_the_all_units_clerk(
    org, unit_clerk, client_for
):
    """ATT-13: closing/reopening a month and keeping study sessions are the
    bureau-wide clerk's; a unit clerk is refused and nothing changes."""
    from attendance.models import MonthClose, StudySession

    today = datetime.date(2026, 12, 5)
    november = datetime.date(2026, 11, 2)
    services.sheets_close(day=november, now=at(november, 8, 11))
    with refused("every unit"):
        services.month_close(
            by=org.u2.user, year=2026, month=11, reason="发布", today=today
        )
    assert not MonthClose.objects.exists()
    services.month_close(
        by=org.a2.user, year=2026, month=11, reason="发布", today=today
    )
    with refused("every unit"):
        services.month_reopen(by=org.u2.user, year=2026, month=11, reason="更正")
    assert MonthClose.objects.get().is_closed
    session = StudySession.objects.create(
        title="学习",
        starts_at=at(datetime.date(2026, 11, 2), 19),
        ends_at=at(datetime.date(2026, 11, 2), 21),
    )
    with refused("every unit"):
        services.study_attendance_take(
            by=org.u2.user,
            session_id=session.pk,
            present_ids=[],
            now=at(datetime.date(2026, 11, 2), 21),
        )
    assert not session.attendance.exists()
    take = reverse("attendance:study_take", args=[session.pk])
    assert client_for(org.u2).post(take).status_code == 403


def test_att6_clerk_assignments_are_the_administrators(org, unit_clerk, client_for):
    """Only the administrator sees and sets which units a clerk keeps."""
    url = "/admin/bureau/clerkassignment/"
    assert client_for(org.a2).get(url).status_code == 403
    assert client_for(org.u2).get(url).status_code == 403
    response = client_for(org.admin).get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1


@pytest.mark.parametrize("name", ["sheet", "report"])
def test_att6_unit_clerk_pages_cost_the_same_at_2_and_50_staff(
    org, monday, unit_clerk, client_for, name
):
    """The unit clerk's sheet and report cost the same number of queries with 2
    or 50 more staff in their unit."""

    def url(day):
        return reverse(f"attendance:{name}") + (
            f"?date={day}&part=am" if name == "sheet" else f"?month={day:%Y-%m}"
        )

    following = monday + datetime.timedelta(days=1)
    services.sheets_settle(day=monday, now=at(monday, 23), force=True)
    client = client_for(org.u2)
    client.get(url(monday))
    with CaptureQueriesContext(connection) as few:
        client.get(url(monday))
    for i in range(48):
        make_person(f"extra{i}", unit=org.unit, position=Position.UNIT_STAFF)
    services.sheets_settle(day=following, now=at(following, 23), force=True)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(following))
    rows = response.context["records" if name == "sheet" else "rows"]
    assert len(rows) > 50
    assert {r.unit_id if name == "sheet" else r.unit for r in rows} == {
        org.unit.pk if name == "sheet" else org.unit.name
    }
    assert len(many) == len(few)
