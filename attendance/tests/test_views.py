"""Pages: who may open what (the wrong person gets 403/404, also by URL), and
what they cost in queries."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance import services
from attendance.models import SessionRecord, StudySession
from attendance.tests.conftest import at
from bureau.models import Position
from bureau.testing import make_person

pytestmark = pytest.mark.django_db
# BEGIN/COMMIT are statements on SQLite (IMMEDIATE mode) but not queries on
# PostgreSQL: the budget counts queries.
TRANSACTION_CONTROL = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)", re.I)


@pytest.fixture
def settled(org, monday):
    with time_machine.travel(at(monday, 7, 59), tick=False):
        services.record_sign_in(by=org.a1.user)
        services.record_sign_in(by=org.b1.user)
    services.sheets_settle(day=monday, now=at(monday, 12, 30))
    return monday


def get(client_for, who, url):
    return client_for(who).get(url)


def test_att1_home_panel_shows_the_big_button(org, monday, client_for):
    """ATT-1: the home page has the one sign-in button while a session is open."""
    with time_machine.travel(at(monday, 7, 50), tick=False):
        response = get(client_for, org.a1, reverse("home"))
    assert response.status_code == 200
    assert b'id="sign-in-button"' in response.content


def test_att1_sign_in_page_posts_for_oneself_and_redirects(org, monday, client_for):
    """ATT-1: the POST signs in the logged-in person only; GET is refused."""
    client = client_for(org.a1)
    with time_machine.travel(at(monday, 8, 3), tick=False):
        assert client.get(reverse("attendance:sign_in")).status_code == 405
        response = client.post(reverse("attendance:sign_in"), {"person": org.b1.pk})
        home = client.get(reverse("home"))
    assert response.status_code == 302
    assert list(SessionRecord.objects.values_list("person_id", flat=True)) == [
        org.a1.pk
    ]
    assert b'data-result="on_time"' in home.content


def test_att1_admin_without_person_cannot_sign_in(org, monday, client_for):
    with time_machine.travel(at(monday, 8, 3), tick=False):
        client_for(org.admin).post(reverse("attendance:sign_in"))
    assert not SessionRecord.objects.exists()
    assert client_for(org.admin).get(reverse("attendance:mine")).status_code == 403


def test_att_staff_see_only_their_own_records(org, settled, client_for):
    """Access: staff see their own records; the sheet and report are not theirs."""
    client = client_for(org.a1)
    month = f"?month={settled:%Y-%m}"
    mine = client.get(reverse("attendance:mine") + month)
    assert mine.status_code == 200
    assert mine.context["records"].count() == 2  # own am + pm only
    for name in ("sheet", "report", "report_xlsx", "report_csv", "away_new"):
        assert client.get(reverse(f"attendance:{name}")).status_code == 403, name


def test_att_section_head_sees_only_their_section(org, settled, client_for):
    """Access: a section head's sheet and report hold their section only."""
    client = client_for(org.head_a)
    sheet = client.get(reverse("attendance:sheet") + f"?date={settled}&part=am")
    assert sheet.status_code == 200
    people = {r.person_id for r in sheet.context["records"]}
    assert org.a1.pk in people and org.b1.pk not in people and org.u1.pk not in people
    report = client.get(reverse("attendance:report") + f"?month={settled:%Y-%m}")
    names = {row.name for row in report.context["report"].rows}
    assert "a1" in names and "b1" not in names


def test_att_deputy_sees_sections_and_units_in_charge(org, settled, client_for):
    client = client_for(org.dep_a)
    sheet = client.get(reverse("attendance:sheet") + f"?date={settled}&part=am")
    people = {r.person_id for r in sheet.context["records"]}
    assert {org.a1.pk, org.u1.pk} <= people and org.b1.pk not in people


def test_att_clerk_sees_everyone(org, settled, client_for):
    client = client_for(org.a2)
    sheet = client.get(reverse("attendance:sheet") + f"?date={settled}&part=am")
    assert (
        len(sheet.context["records"])
        == SessionRecord.objects.filter(date=settled, part="am").count()
    )


def test_att6_correction_page_permissions(org, settled, client_for):
    """Access: only the clerk corrects; nobody their own; others' records 404."""
    b1_record = SessionRecord.objects.get(person=org.b1, date=settled, part="am")
    a2_record = SessionRecord.objects.get(person=org.a2, date=settled, part="am")
    url = reverse("attendance:record_correct", args=[b1_record.pk])
    assert get(client_for, org.a1, url).status_code == 404  # not visible to a1
    assert get(client_for, org.head_b, url).status_code == 403  # visible, not clerk
    own = reverse("attendance:record_correct", args=[a2_record.pk])
    assert get(client_for, org.a2, own).status_code == 403
    assert get(client_for, org.a2, url).status_code == 200
    response = client_for(org.a2).post(
        url,
        {
            "signed_in_at": f"{settled}T07:58",
            "signed_out_at": f"{settled}T12:00",
            "reason": "补签",
        },
    )
    assert response.status_code == 302
    b1_record.refresh_from_db()
    assert b1_record.correction_reason == "补签"


def test_att6_board_per_unit(org, monday, client_for):
    """ATT-6: a unit's board shows everyone's whereabouts; other units' staff 404."""
    with time_machine.travel(at(monday, 8, 20), tick=False):
        services.record_sign_in(by=org.a1.user)
        services.sheets_close(day=monday, now=at(monday, 8, 20))
        response = get(
            client_for, org.a1, reverse("attendance:board", args=[org.organ.pk])
        )
        assert response.status_code == 200
        statuses = {t["person"].pk: t["status"] for t in response.context["tiles"]}
        assert statuses[org.a1.pk] == "in" and statuses[org.b1.pk] == "missing"
        assert b'http-equiv="refresh"' in response.content
        assert (
            get(
                client_for, org.u1, reverse("attendance:board", args=[org.organ.pk])
            ).status_code
            == 404
        )
        assert (
            get(
                client_for, org.a2, reverse("attendance:board", args=[org.unit.pk])
            ).status_code
            == 200
        )


def test_att7_going_out_pages(org, monday, client_for):
    """ATT-7: the report form, the addressee's decision, others 404."""
    client = client_for(org.a1)
    with time_machine.travel(at(monday, 9, 0), tick=False):
        assert client.get(reverse("attendance:going_out_new")).status_code == 200
        response = client.post(
            reverse("attendance:going_out_new"),
            {
                "destination": "县医院",
                "reason": "送材料",
                "leaves_at": f"{monday}T09:05",
                "expected_return": f"{monday}T10:30",
            },
        )
    assert response.status_code == 302
    going_out = org.a1.going_outs.get()
    # Decided through the approval engine's one decide endpoint.
    decide = reverse("approvals:decide", args=[going_out.current_approval.pk])
    assert client_for(org.b1).post(decide, {"decision": "approve"}).status_code == 404
    assert (
        client_for(org.head_b).post(decide, {"decision": "approve"}).status_code == 404
    )
    listing = client_for(org.head_a).get(reverse("attendance:going_out_list"))
    assert going_out in listing.context["to_decide"]
    assert decide in listing.content.decode()
    assert (
        client_for(org.head_a).post(decide, {"decision": "approve"}).status_code == 302
    )
    going_out.refresh_from_db()
    assert going_out.status == "acknowledged"


def test_att13_report_close_reopen_permissions(org, settled, client_for):
    """ATT-13: only the clerk closes or reopens, with a reason."""
    month = f"?month={settled:%Y-%m}"
    close = reverse("attendance:month_close") + month
    with time_machine.travel(at(datetime.date(2026, 12, 3), 9), tick=False):
        assert client_for(org.head_a).post(close, {"reason": "x"}).status_code == 403
        assert client_for(org.a2).post(close, {"reason": "发布"}).status_code == 302
    from attendance.models import MonthClose

    assert MonthClose.objects.get().is_closed


def test_att6_report_exports(org, settled, client_for):
    """ATT-6: xlsx and CSV downloads of the same rows."""
    import io

    from openpyxl import load_workbook

    client = client_for(org.a2)
    month = f"?month={settled:%Y-%m}"
    xlsx = client.get(reverse("attendance:report_xlsx") + month)
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["b1"][8] == 0.5  # absent in the afternoon
    csv = client.get(reverse("attendance:report_csv") + month)
    assert "b1" in csv.content.decode("utf-8-sig")
    printable = client.get(reverse("attendance:report") + month + "&print=1")
    assert printable.status_code == 200 and b"<svg" in printable.content


def test_att9_study_pages(org, monday, client_for):
    """ATT-9: the clerk takes attendance; others cannot; unit staff do not see an
    organ-only session."""
    session = StudySession.objects.create(
        title="学习", starts_at=at(monday, 19, 30), ends_at=at(monday, 21)
    )
    detail = reverse("attendance:study_detail", args=[session.pk])
    assert get(client_for, org.a1, reverse("attendance:study_list")).status_code == 200
    assert get(client_for, org.a1, detail).status_code == 200
    assert get(client_for, org.u1, detail).status_code == 404
    take = reverse("attendance:study_take", args=[session.pk])
    assert client_for(org.a1).post(take, {"present": [org.a1.pk]}).status_code == 403
    with time_machine.travel(at(monday, 20), tick=False):
        assert (
            client_for(org.a2).post(take, {"present": [org.a1.pk]}).status_code == 302
        )
    assert session.attendance.count() > 0


def test_att_admin_pages_are_scoped(org, settled, client_for):
    """Access: the admin's record list is scoped; another section's record URL
    does not open; nothing can be added or deleted."""
    b1_record = SessionRecord.objects.get(person=org.b1, date=settled, part="am")
    client = client_for(org.head_a)
    listing = client.get(reverse("admin:attendance_sessionrecord_changelist"))
    assert listing.status_code == 200
    shown = {r.person_id for r in listing.context["cl"].result_list}
    assert org.b1.pk not in shown and org.a1.pk in shown
    change = client.get(
        reverse("admin:attendance_sessionrecord_change", args=[b1_record.pk])
    )
    assert change.status_code in (302, 404)
    clerk = client_for(org.a2)
    ok = clerk.get(
        reverse("admin:attendance_sessionrecord_change", args=[b1_record.pk])
    )
    assert ok.status_code == 200
    delete = clerk.get(
        reverse("admin:attendance_sessionrecord_delete", args=[b1_record.pk])
    )
    assert delete.status_code == 403
    assert clerk.get(reverse("admin:attendance_sessionrecord_add")).status_code == 403


def _staff(org, n):
    for i in range(n):
        make_person(
            f"extra{i}",
            unit=org.organ,
            section=org.section_a,
            position=Position.SECTION_STAFF,
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("extra", [0, 48])
def test_att1_sign_in_costs_at_most_3_queries_at_2_and_50_staff(
    extra, client_for, monday
):
    """ATT-1: a sign-in request costs ≤ 3 queries, whatever the staff count
    (issue 17: the person comes with the user, no history row for the sign-in,
    the worker's day plan checked by the INSERT itself)."""
    from bureau.policies import registry
    from bureau.testing import small_org

    registry.load_defaults()
    org = small_org()
    _staff(org, extra)
    client = client_for(org.a1)
    with time_machine.travel(at(monday, 8, 0, 30), tick=False):
        client.post(reverse("attendance:sign_in"))  # warms the day plan cache
    with time_machine.travel(at(monday, 8, 1), tick=False):
        client_b = client_for(org.b1)
        with CaptureQueriesContext(connection) as queries:
            response = client_b.post(reverse("attendance:sign_in"))
    assert response.status_code == 302
    statements = [q["sql"] for q in queries if not TRANSACTION_CONTROL.match(q["sql"])]
    # session, user with person, INSERT record (its plan generation checked in
    # the same statement)
    assert len(statements) <= 3, "\n".join(q[:150] for q in statements)


def test_att6_report_query_count_constant_at_2_and_50_staff(org, monday, client_for):
    """ATT-6/10: the report costs the same number of queries with 2 or 50 more staff."""
    url = reverse("attendance:report") + f"?month={monday:%Y-%m}"
    services.sheets_settle(day=monday, now=at(monday, 23), force=True)
    client = client_for(org.a2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _staff(org, 48)
    services.sheets_settle(
        day=monday + datetime.timedelta(days=1),
        now=at(monday, 23) + datetime.timedelta(days=1),
        force=True,
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_att1_an_on_time_sign_in_writes_three_indexes():
    """ATT-1, issue 17: an on-time sign-in's INSERT updates only the indexes
    something reads: the primary key, the one record per person and session
    (every lookup by person, and the race guard) and (date, part, unit) for the
    sheet and the report. The foreign keys to unit, section and corrector have
    none of their own (only a deletion, which PROTECT refuses, would look them
    up). The report's two partial indexes hold only late records and records
    excused by leave: an on-time sign-in is in neither."""
    table = SessionRecord._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    partial = {
        index.name: index.condition
        for index in SessionRecord._meta.indexes
        if index.condition is not None
    }
    assert set(partial) == {"att_record_late_by_day", "att_record_leave_by_day"}
    assert partial["att_record_late_by_day"] == Q(late=True)
    assert partial["att_record_leave_by_day"] == Q(outcome="excused") & ~Q(
        excuse_kind="business"
    )
    assert set(partial) <= set(constraints)
    indexed = sorted(
        tuple(c["columns"])
        for name, c in constraints.items()
        if (c["index"] or c["unique"] or c["primary_key"]) and name not in partial
    )
    assert indexed == [
        ("date", "part", "unit_id"),
        ("id",),
        ("person_id", "date", "part"),
    ]
