"""Issue 8, hole 8: bad parameters and absurd values are a clear 400 (or a 404 for
ids), never a 500, and nothing absurd is stored. Dates are bounded by the policy
`bureau.date_bounds`; texts have lengths; a NUL byte never reaches the database.

These run on SQLite and on PostgreSQL (DATABASE_URL), where NUL in text and dates
out of range fail differently."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from attendance import services as attendance_services
from attendance.models import SessionRecord
from bureau.models import Policy
from bureau.params import DATE_BOUNDS, date_bounds, validate_date_in_bounds
from bureau.policies import registry
from bureau.workdays import TZ
from discipline import services as discipline_services
from discipline.models import Appraisal, Violation
from leave.models import LeaveRequest

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 3, 10, 0, tzinfo=TZ)  # a working Tuesday
MONDAY = datetime.date(2026, 11, 2)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def settled(org, frozen):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 7, 59, tzinfo=TZ)):
        attendance_services.record_sign_in(by=org.b1.user)
    attendance_services.sheets_settle(
        day=MONDAY, now=datetime.datetime(2026, 11, 2, 12, 30, tzinfo=TZ)
    )
    return SessionRecord.objects.get(person=org.b1, date=MONDAY, part="am")


def _is_clear_400(response):
    body = response.content.decode()
    return response.status_code == 400 and "无效" in body


# --- query parameters -----------------------------------------------------------------


def test_sheet_unit_abc_is_404_not_500(org, frozen, client_for):
    """An id that is not one (or a unit the user does not see) is 404."""
    client = client_for(org.a2)
    assert client.get(reverse("attendance:sheet") + "?unit=abc").status_code == 404
    assert (
        client.get(reverse("attendance:sheet") + "?unit=99999999999999999999")
    ).status_code == 404
    assert (
        client.get(reverse("attendance:sheet") + f"?unit={org.organ.pk}")
    ).status_code == 200


def test_board_unit_abc_is_404_not_500(org, frozen, client_for):
    client = client_for(org.a2)
    assert client.get("/attendance/board/abc/").status_code == 404
    assert client.get("/attendance/board/99999999999999999999/").status_code == 404


def test_sheet_date_9999_12_31_is_400_not_500(org, frozen, client_for):
    response = client_for(org.a2).get(reverse("attendance:sheet") + "?date=9999-12-31")
    assert _is_clear_400(response)
    assert "2000-01-01" in response.content.decode()  # says what is allowed


def test_report_month_9999_12_is_400_not_500(org, frozen, client_for):
    client = client_for(org.a2)
    for name in ("attendance:report", "attendance:report_xlsx", "attendance:mine"):
        assert _is_clear_400(client.get(reverse(name) + "?month=9999-12")), name
    assert _is_clear_400(client.get(reverse("attendance:report") + "?month=abc"))


def test_calendar_year_9999_is_400_not_500(org, frozen, client_for):
    client = client_for(org.a1)
    assert _is_clear_400(client.get("/calendar/?year=9999&month=12"))
    assert _is_clear_400(client.get("/calendar/?year=2026&month=13"))
    assert client.get("/calendar/?year=2031&month=12").status_code == 200


def test_discipline_year_9999_is_400_not_500(org, frozen, client_for):
    client = client_for(org.inspector)
    for name in ("discipline:dashboard", "discipline:records", "discipline:export"):
        assert _is_clear_400(client.get(reverse(name) + "?year=9999")), name


def test_nul_byte_in_kind_is_400_not_500(org, frozen, client_for):
    """PostgreSQL refuses NUL in text: it is stopped before any view runs."""
    client = client_for(org.inspector)
    response = client.get(reverse("discipline:records") + "?kind=%00")
    assert _is_clear_400(response)
    # Also in the admin's search and filters, and in keys.
    assert client.get("/admin/discipline/violation/?q=a%00b").status_code == 400
    assert client.get("/admin/discipline/violation/?a%00=1").status_code == 400


def test_unknown_kind_ladder_status_or_month_filter_is_400(org, frozen, client_for):
    client = client_for(org.inspector)
    url = reverse("discipline:records")
    for query in ("kind=nope", "ladder=nope", "status=nope", "month=13", "page=x"):
        assert _is_clear_400(client.get(f"{url}?{query}")), query
    assert client.get(f"{url}?month=3&status=upheld&page=1").status_code == 200


def test_nul_byte_in_a_form_field_is_400_and_nothing_saved(org, frozen, client_for):
    client = client_for(org.inspector)
    response = client.post(
        reverse("discipline:violation_new"),
        {
            "person": org.b1.pk,
            "kind": "discipline.efficiency.idle",
            "occurred_on": "2026-11-02",
            "evidence": "a\x00b",
        },
    )
    assert response.status_code == 400
    assert not Violation.objects.exists()


# --- absurd values in forms and services ----------------------------------------------


def test_appraisal_year_99999999999_is_404_not_500(org, frozen, client_for):
    client = client_for(org.inspector)
    for url in (
        f"/discipline/people/{org.b1.pk}/appraisal/99999999999/decide/",
        f"/discipline/people/{org.b1.pk}/appraisal/9999/decide/",
    ):
        assert client.post(url, {"grade": "excellent"}).status_code == 404
    assert (
        client.get(f"/discipline/people/{org.b1.pk}/appraisal/99999999999/")
    ).status_code == 404
    assert (
        client.get(f"/discipline/people/{org.b1.pk}/window/99999999999/")
    ).status_code == 404
    assert not Appraisal.objects.exists()
    with pytest.raises(discipline_services.DisciplineError):
        discipline_services.appraisal_decide(
            person=org.b1, year=1900, grade="excellent", by=org.inspector.user
        )


def test_leave_in_year_9999_refused_by_date_bounds_policy(org, frozen, client_for):
    response = client_for(org.a1).post(
        reverse("leave:new"),
        {
            "leave_type": "sick",
            "start_date": "9999-12-30",
            "start_half": "am",
            "end_date": "9999-12-31",
            "end_half": "pm",
            "reason": "感冒发烧",
            "handover_note": "文件交王同事处理",
            "confirm": "1",
        },
    )
    assert response.status_code == 200
    assert "2031-12-31" in response.content.decode()  # the bound in the message
    assert not LeaveRequest.objects.exists()


def test_violation_evidence_of_2_mb_refused(org, frozen, client_for):
    response = client_for(org.inspector).post(
        reverse("discipline:violation_new"),
        {
            "person": org.b1.pk,
            "kind": "discipline.efficiency.idle",
            "occurred_on": "2026-11-02",
            # 2 MB: under Django's request body limit (2.5 MB), so the form decides.
            "evidence": "x" * 2_000_000,
        },
    )
    assert response.status_code == 200
    assert "4000" in response.content.decode()
    assert not Violation.objects.exists()
    with pytest.raises(discipline_services.DisciplineError):
        discipline_services.violation_record(
            person=org.b1,
            occurred_on=MONDAY,
            kind="discipline.efficiency.idle",
            evidence="证" * 4001,
        )
    assert not Violation.objects.exists()


def test_violation_dated_1900_refused_by_date_bounds_policy(org, frozen, client_for):
    response = client_for(org.inspector).post(
        reverse("discipline:violation_new"),
        {
            "person": org.b1.pk,
            "kind": "discipline.efficiency.idle",
            "occurred_on": "1900-01-01",
            "evidence": "迟到",
        },
    )
    assert response.status_code == 200
    assert "2000-01-01" in response.content.decode()
    with pytest.raises(discipline_services.DisciplineError):
        discipline_services.violation_record(
            person=org.b1,
            occurred_on=datetime.date(1900, 1, 1),
            kind="discipline.efficiency.idle",
            evidence="迟到",
        )
    assert not Violation.objects.exists()


def test_correction_moving_sign_in_to_1900_refused(org, settled, client_for):
    before = (settled.signed_in_at, settled.signed_out_at, settled.arrival)
    versions = settled.history.count()
    response = client_for(org.a2).post(
        reverse("attendance:record_correct", args=[settled.pk]),
        {"signed_in_at": "1900-01-01T08:00", "signed_out_at": "", "reason": "改"},
    )
    assert response.status_code == 200
    assert "2000-01-01" in response.content.decode()
    with pytest.raises(attendance_services.AttendanceError):
        attendance_services.record_correct(
            by=org.a2.user,
            record_id=settled.pk,
            signed_in_at=datetime.datetime(1900, 1, 1, 8, tzinfo=TZ),
            signed_out_at=None,
            reason="改",
        )
    settled.refresh_from_db()
    assert (settled.signed_in_at, settled.signed_out_at, settled.arrival) == before
    assert settled.history.count() == versions


def test_study_attendance_with_ids_that_are_not_ids_is_400(org, frozen, client_for):
    from attendance.models import StudySession

    session = StudySession.objects.create(
        title="学习",
        starts_at=NOW - datetime.timedelta(hours=2),
        ends_at=NOW - datetime.timedelta(hours=1),
    )
    client = client_for(org.a2)
    response = client.post(
        reverse("attendance:study_take", args=[session.pk]), {"present": ["abc"]}
    )
    assert _is_clear_400(response)


# --- the policy ----------------------------------------------------------------------


def test_date_bounds_policy_moves_the_bounds(org, frozen):
    """The bounds are a policy: a later version is in force from its date."""
    assert date_bounds() == (datetime.date(2000, 1, 1), datetime.date(2031, 12, 31))
    Policy.objects.create(
        key=DATE_BOUNDS,
        effective_from=datetime.date(2026, 1, 1),
        value={"earliest": "2010-01-01", "years_ahead": 1},
    )
    assert date_bounds() == (datetime.date(2010, 1, 1), datetime.date(2027, 12, 31))
    with pytest.raises(ValidationError):
        validate_date_in_bounds(datetime.date(2009, 12, 31))
    validate_date_in_bounds(datetime.date(2010, 1, 1))


@pytest.mark.parametrize(
    "value",
    [
        {"earliest": "2000-01-01"},
        {"earliest": "x", "years_ahead": 5},
        {"earliest": "1800-01-01", "years_ahead": 5},
        {"earliest": "2000-01-01", "years_ahead": -1},
        {"earliest": "2000-01-01", "years_ahead": 500},
        {"earliest": "2000-01-01", "years_ahead": True},
    ],
)
def test_date_bounds_policy_validator_refuses_bad_values(value):
    with pytest.raises(ValidationError):
        registry.validate(DATE_BOUNDS, value)


def test_calendar_day_out_of_bounds_refused_in_the_admin(org, frozen, client_for):
    from bureau.models import CalendarDay

    client = client_for(org.admin)
    response = client.post(
        reverse("admin:bureau_calendarday_add"),
        {"date": "1900-01-01", "is_working_day": "on", "kind": "bureau_work"},
    )
    assert response.status_code == 200
    assert "2000-01-01" in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=1900).exists()
