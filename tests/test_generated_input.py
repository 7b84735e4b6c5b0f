"""Issue 8, hole 8: generated input on every staff page.

For every page of the bureau (the URL patterns outside the admin and the login),
as a role that may use it, hypothesis sends generated values to every query
parameter the view reads and every field of its form — text with NUL and other
control characters, unicode, huge and negative numbers, dates from year 1 to 9999,
months, empty values, and ids in the path — and asserts:

- never a 500 (the test client re-raises any exception a view lets through);
- a refused request (4xx, or a form shown again) changes no row of any table;
- whatever was stored has its dates within the bureau's date bounds.

`PAGES` must name every page: a new chapter's page without an entry fails
`test_every_staff_page_is_fuzzed`, so future chapters inherit the test.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
import time_machine
from django.apps import apps
from django.db.models import Max, Min
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from approvals.forms import DecisionForm as ApprovalDecisionForm
from approvals.models import Notification
from attendance.forms import (
    AwayForm,
    CorrectionForm,
    GoingOutForm,
    ReasonForm,
    StudyLeaveForm,
    StudyNotesForm,
)
from bureau.params import date_bounds, validate_date_in_bounds
from bureau.workdays import TZ
from discipline.forms import (
    ApologyForm,
    AppraisalForm,
    DecisionForm,
    OutcomeDecisionForm,
    OutcomeRevisionForm,
    ViolationForm,
    WindowAppraisalForm,
)
from leave.forms import LeaveForm, ReturnForm
from meetings.forms import ItemForm, MeetingForm, RecordForm

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 3, 10, 0, tzinfo=TZ)  # a working Tuesday
MONDAY = datetime.date(2026, 11, 2)

# URL namespaces and names that are not staff pages of this project.
NOT_PAGES = {"admin", "healthz", "set_language", "favicon"}
NOT_PAGE_PREFIXES = ("login", "logout", "password_")


@dataclass(frozen=True)
class Page:
    role: str
    method: str = "get"
    query: tuple[str, ...] = ()
    post: tuple[str, ...] = ()
    forms: tuple[type, ...] = ()
    # path argument -> name of the object in the fixture whose pk fills it
    args: dict = field(default_factory=dict)

    def fields(self) -> list[str]:
        names = list(self.post)
        for form in self.forms:
            names += list(form.base_fields)
        return names


GET, POST = "get", "post"
PAGES = {
    "home": Page("a1"),
    "calendar": Page("a1", query=("year", "month")),
    "attendance:mine": Page("a1", query=("month",)),
    "attendance:sign_in": Page("a1", POST, post=("next",)),
    "attendance:sign_out": Page("a1", POST, post=("next",)),
    "attendance:going_out_list": Page("a1"),
    "attendance:going_out_new": Page("a1", POST, forms=(GoingOutForm,)),
    "attendance:going_out_return": Page(
        "a1", POST, post=("next",), args={"pk": "going_out"}
    ),
    "attendance:board_index": Page("a1"),
    "attendance:board": Page("a1", query=("wall",), args={"unit_id": "organ"}),
    "attendance:sheet": Page("a2", query=("date", "part", "unit")),
    "attendance:record_correct": Page(
        "a2", POST, forms=(CorrectionForm,), args={"pk": "record"}
    ),
    "attendance:away_new": Page("a2", POST, forms=(AwayForm,)),
    "attendance:report": Page("a2", query=("month", "unit", "print")),
    "attendance:report_xlsx": Page("a2", query=("month",)),
    "attendance:report_csv": Page("a2", query=("month",)),
    "attendance:month_close": Page("a2", POST, query=("month",), forms=(ReasonForm,)),
    "attendance:month_reopen": Page("a2", POST, query=("month",), forms=(ReasonForm,)),
    "attendance:study_list": Page("a1"),
    "attendance:study_detail": Page("a1", args={"pk": "study"}),
    "attendance:study_leave": Page(
        "a1", POST, forms=(StudyLeaveForm,), args={"pk": "study"}
    ),
    "attendance:study_take": Page(
        "a2", POST, post=("present", "late"), args={"pk": "study"}
    ),
    "attendance:study_notes": Page(
        "a2", POST, forms=(StudyNotesForm,), args={"pk": "study"}
    ),
    "leave:mine": Page("a1"),
    "leave:new": Page("a1", POST, post=("confirm",), forms=(LeaveForm,)),
    "leave:detail": Page("a1", args={"pk": "leave"}),
    "leave:withdraw": Page("a1", POST, post=("comment",), args={"pk": "leave"}),
    "leave:return": Page("a1", POST, forms=(ReturnForm,), args={"pk": "leave"}),
    "leave:form": Page("a1", args={"pk": "leave"}),
    "approvals:inbox": Page("head_a", query=("page",)),
    "approvals:detail": Page("head_a", args={"pk": "approval"}),
    "approvals:decide": Page(
        "head_a",
        POST,
        post=("decision", "next"),
        forms=(ApprovalDecisionForm,),
        args={"pk": "approval"},
    ),
    "approvals:notifications": Page("head_a", query=("page",)),
    "approvals:notification_open": Page("head_a", args={"pk": "notification"}),
    "profile": Page("a1", POST, post=("email_notifications",)),
    "approvals:notifications_read": Page("head_a", POST),
    "deadlines:mine": Page("a1"),
    "deadlines:dashboard": Page("head_a"),
    "discipline:me": Page("b1", query=("year",)),
    "discipline:dashboard": Page("inspector", query=("year",)),
    "discipline:records": Page(
        "inspector",
        query=("year", "kind", "ladder", "status", "group", "month", "page"),
    ),
    "discipline:export": Page("inspector", query=("year",)),
    "discipline:person": Page("inspector", query=("year",), args={"pk": "b1"}),
    "discipline:appraisal_sheet": Page("inspector", args={"pk": "b1", "year": "year"}),
    "discipline:appraisal_decide": Page(
        "inspector", POST, forms=(AppraisalForm,), args={"pk": "b1", "year": "year"}
    ),
    "discipline:window_appraisal": Page(
        "inspector",
        POST,
        forms=(WindowAppraisalForm,),
        args={"pk": "u1", "year": "year"},
    ),
    "attachments:download": Page("a1", args={"pk": "attachment"}),
    "attachments:remove": Page(
        "a1", POST, post=("reason", "next"), args={"pk": "attachment"}
    ),
    "attachments:upload": Page(
        "a1",
        POST,
        post=("file", "purpose", "next"),
        args={"label": "leave_label", "object_id": "leave"},
    ),
    "discipline:violation_new": Page("inspector", POST, forms=(ViolationForm,)),
    "discipline:violation_decide": Page(
        "inspector", POST, forms=(DecisionForm,), args={"pk": "violation"}
    ),
    "discipline:violation_apology": Page(
        "inspector", POST, forms=(ApologyForm,), args={"pk": "violation"}
    ),
    "discipline:outcome_decide": Page(
        "inspector", POST, forms=(OutcomeDecisionForm,), args={"pk": "violation"}
    ),
    "discipline:outcome_revise": Page(
        "inspector", POST, forms=(OutcomeRevisionForm,), args={"pk": "violation"}
    ),
    "meetings:list": Page("head_a", query=("year", "kind", "page")),
    "meetings:new": Page("head_a", POST, query=("kind",), forms=(MeetingForm,)),
    "meetings:detail": Page("head_a", args={"pk": "meeting"}),
    "meetings:agenda": Page("head_a", POST, post=("items",), args={"pk": "meeting"}),
    "meetings:record": Page(
        "head_a", POST, forms=(RecordForm,), args={"pk": "meeting"}
    ),
    "meetings:minutes": Page("head_a", args={"pk": "held_meeting"}),
    "meetings:items": Page("head_a", query=("status", "page")),
    "meetings:item_new": Page("head_a", POST, forms=(ItemForm,)),
    "meetings:item": Page("b1", args={"pk": "item"}),
    "meetings:item_materials": Page("head_a", args={"pk": "item"}),
    "meetings:decision": Page("inspector", args={"pk": "decision"}),
}


# The worked example of docs/new_chapter.md (tests/toy_chapter, installed by
# tests.settings) adds its pages here as any new chapter does.
EXAMPLE = apps.is_installed("tests.toy_chapter")
if EXAMPLE:
    from tests.toy_chapter.forms import DispatchForm

    PAGES.update(
        {
            "toy_cars:trips": Page("a1", query=("month",)),
            "toy_cars:decide": Page(
                "head_a", POST, forms=(DispatchForm,), args={"pk": "trip"}
            ),
            "toy_cars:export": Page("dispatcher", query=("month",)),
        }
    )


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry, f"{namespace}{entry.name}"


def staff_pages() -> set[str]:
    return {
        name
        for _pattern, name in _named_patterns()
        if name not in NOT_PAGES and not name.startswith(NOT_PAGE_PREFIXES)
    }


def test_every_staff_page_is_fuzzed():
    """A page without an entry in PAGES would escape the generated-input test."""
    assert staff_pages() == set(PAGES)


# --- values --------------------------------------------------------------------------

ALL_DATES = st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31))
NEAR_DATES = st.dates(datetime.date(1999, 1, 1), datetime.date(2033, 12, 31))


def _moment(d: datetime.date, minutes: int) -> str:
    return f"{d.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}"


VALUES = st.one_of(
    st.just(""),
    st.just("a\x00b"),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=5).map(
        lambda t: "\x00" + t
    ),
    st.integers(-(10**20), 10**20).map(str),
    st.integers(0, 10_000).map(str),
    ALL_DATES.map(datetime.date.isoformat),
    NEAR_DATES.map(datetime.date.isoformat),
    ALL_DATES.map(lambda d: f"{d.year:04d}-{d.month:02d}"),
    st.builds(_moment, ALL_DATES, st.integers(0, 24 * 60 - 1)),
    st.builds(_moment, NEAR_DATES, st.integers(0, 24 * 60 - 1)),
    st.sampled_from(
        ["am", "pm", "1", "0", "on", "upheld", "dismissed", "approve", "refuse"]
        + ["acknowledge", "sick", "annual", "excellent", "attendance", "pending"]
        + ["discipline.efficiency.idle", "/leave/", "//evil.example/"]
    ),
    st.just("长" * 5000),
)
PATH_INTS = st.one_of(st.integers(0, 10**20), st.integers(1900, 10_000))


# --- the organisation and a few records to act on ------------------------------------


@pytest.fixture
def world(org):
    from attachments.services import attachment_add
    from attachments.testing import upload
    from attendance import services as attendance
    from attendance.models import SessionRecord, StudySession
    from discipline.services import violation_record
    from leave.services import leave_submit
    from meetings.services import meeting_plan
    from meetings.testing import accepted_item, held_meeting

    with time_machine.travel(datetime.datetime(2026, 11, 2, 7, 59, tzinfo=TZ)):
        attendance.record_sign_in(by=org.b1.user)
    attendance.sheets_settle(
        day=MONDAY, now=datetime.datetime(2026, 11, 2, 12, 30, tzinfo=TZ)
    )
    with time_machine.travel(NOW, tick=False):
        leave = leave_submit(
            by=org.a1.user,
            leave_type="personal",
            start_date=datetime.date(2026, 11, 5),
            start_half="am",
            end_date=datetime.date(2026, 11, 9),
            end_half="pm",
            reason="家中有事",
            handover_note="工作已交由同事处理",
        )
        going_out = attendance.going_out_report(
            by=org.a1.user,
            leaves_at=NOW + datetime.timedelta(minutes=10),
            expected_return=NOW + datetime.timedelta(hours=1),
            destination="县政府",
            reason="送文件",
        )
    study = StudySession.objects.create(
        title="理论学习",
        starts_at=NOW + datetime.timedelta(days=1),
        ends_at=NOW + datetime.timedelta(days=1, hours=2),
    )
    with time_machine.travel(NOW, tick=False):
        study_leave = attendance.study_leave_ask(
            by=org.a1.user, session_id=study.pk, reason="出差"
        )
    violation = violation_record(
        person=org.b1,
        occurred_on=MONDAY,
        kind="discipline.efficiency.idle",
        evidence="上班时间玩游戏",
    )
    attachment = attachment_add(
        by=org.a1.user, obj=leave, file=upload("病假证明.pdf"), purpose="sick_note"
    )
    with time_machine.travel(NOW, tick=False):
        held, (decision,) = held_meeting(org, held_on=MONDAY)
        item = accepted_item(org.head_b, kind="topic", title="法规股议题")
        meeting = meeting_plan(
            by=org.head_a.user,
            kind="topic",
            title="专题会议",
            planned_on=MONDAY + datetime.timedelta(days=3),
            chair=org.dep_b,
        )
    objects = {
        "attachment": attachment,
        "organ": org.organ,
        "record": SessionRecord.objects.get(person=org.b1, date=MONDAY, part="am"),
        "going_out": going_out,
        "study": study,
        "study_leave": study_leave,
        "leave": leave,
        "approval": leave.approvals.first(),
        "notification": Notification.objects.filter(recipient=org.head_a).first(),
        "violation": violation,
        "held_meeting": held,
        "decision": decision,
        "item": item,
        "meeting": meeting,
        "b1": org.b1,
        "u1": org.u1,
    }
    users = {
        name: getattr(org, name).user
        for name in ("a1", "a2", "b1", "head_a", "dep_a", "inspector")
    }
    if EXAMPLE:
        from bureau.models import Position
        from bureau.testing import make_person
        from tests.toy_chapter.services import trip_submit
        from tests.toy_chapter.setup import DISPATCHER

        dispatcher = make_person(
            "dispatcher",
            unit=org.organ,
            section=org.section_a,
            position=Position.SECTION_STAFF,
            duties=[DISPATCHER],
        )
        users["dispatcher"] = dispatcher.user
        with time_machine.travel(NOW, tick=False):
            objects["trip"] = trip_submit(
                by=org.a1.user,
                date=MONDAY + datetime.timedelta(days=2),
                destination="乡镇服务站",
                purpose="下乡检查",
                distance_km=30,
            )
    pks = {name: obj.pk for name, obj in objects.items()}
    pks["year"] = 2026
    pks["leave_label"] = "leave.leaverequest"
    return pks, users


# --- the invariants ------------------------------------------------------------------


def _tables():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label
        in {
            "bureau",
            "attendance",
            "leave",
            "discipline",
            "approvals",
            "attachments",
            "meetings",
            "toy_cars",
        }
    ]


def _counts():
    return {m._meta.label: m._default_manager.count() for m in _tables()}


def _bounded_date_fields():
    for model in _tables():
        for f in model._meta.concrete_fields:
            if validate_date_in_bounds in f.validators:
                yield model, f.name


def _stored_dates_within_bounds():
    earliest, latest = date_bounds()
    for model, name in _bounded_date_fields():
        agg = model._default_manager.aggregate(lo=Min(name), hi=Max(name))
        for value in (agg["lo"], agg["hi"]):
            if value is None:
                continue
            if isinstance(value, datetime.datetime):
                value = value.astimezone(TZ).date()
            assert earliest <= value <= latest, (model._meta.label, name, value)


# --- the test ------------------------------------------------------------------------


@settings(
    # Bounded for CI; FUZZ_EXAMPLES=2000 for a longer search by hand.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_generated_input_never_500_and_never_half_saved(world, data):
    pks, users = world
    name = data.draw(st.sampled_from(sorted(PAGES)), label="page")
    page = PAGES[name]
    kwargs = {
        arg: data.draw(st.one_of(st.just(pks[obj]), PATH_INTS), label=arg)
        for arg, obj in page.args.items()
    }
    url = reverse(name, kwargs=kwargs)
    query = {
        key: data.draw(VALUES, label=f"?{key}")
        for key in page.query
        if data.draw(st.booleans(), label=f"send ?{key}")
    }
    body = {}
    for key in page.fields():
        if data.draw(st.booleans(), label=f"send {key}"):
            values = data.draw(st.lists(VALUES, min_size=1, max_size=2), label=key)
            body[key] = values if len(values) > 1 else values[0]
    client = Client()
    client.force_login(users[page.role])
    before = _counts()
    with time_machine.travel(NOW, tick=False):
        if page.method == POST:
            response = client.post(url + _qs(query), body)
        else:
            response = client.get(url, query)
    assert response.status_code < 500
    if response.status_code != 302:
        assert _counts() == before, (name, response.status_code)
    with time_machine.travel(NOW, tick=False):
        _stored_dates_within_bounds()


def _qs(query):
    return "?" + urlencode(query) if query else ""
