"""Pages: permissions for every page (also by direct URL), query counts, export."""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from bureau.testing import PersonFactory
from discipline import rules
from discipline.models import Appraisal, Violation
from meetings.models import TOPIC
from meetings.testing import held_meeting

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year


@pytest.fixture
def records(org, record):
    """a1 (section A) has two DIS-3 findings, b1 (section B) a DIS-1, u1 (unit) a
    pending DIS-2 complaint."""
    return {
        "a1": [
            record(org.a1, datetime.date(YEAR, 1, 5)),
            record(org.a1, datetime.date(YEAR, 2, 5)),
        ],
        "b1": [record(org.b1, datetime.date(YEAR, 1, 7), "discipline.first_inquiry")],
        "u1": [record(org.u1, datetime.date(YEAR, 1, 9), "discipline.one_time_notice")],
    }


def url(name, *args, **query):
    base = reverse(f"discipline:{name}", args=args)
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


def test_dis_pages_for_plain_staff(org, records, client_for):
    """DIS: a person sees their own record and cap, nobody else's; no tallies, no
    export, no recording, also by direct URL."""
    client = client_for(org.a1)
    me = client.get(url("me"))
    assert me.status_code == 200
    assert "称职" in me.content.decode()  # one warning: at best 称职
    assert client.get(url("person", org.a1.pk)).status_code == 200
    assert client.get(url("appraisal_sheet", org.a1.pk, YEAR)).status_code == 200
    for other in (org.b1, org.u1, org.head_a):
        assert client.get(url("person", other.pk)).status_code == 404
        assert client.get(url("appraisal_sheet", other.pk, YEAR)).status_code == 404
    for name in ("dashboard", "records", "export", "violation_new"):
        assert client.get(url(name)).status_code == 403
    b1_violation = records["b1"][0]
    for name in ("violation_decide", "violation_apology"):
        assert (
            client.post(
                url(name, b1_violation.pk), {"decision": "dismissed"}
            ).status_code
            == 403
        )
    outcome = records["a1"][0].outcomes.first()
    assert (
        client.post(url("outcome_decide", outcome.pk), {"decision": "x"}).status_code
        == 403
    )
    assert (
        client.post(url("outcome_revise", outcome.pk), {"reason": "x"}).status_code
        == 403
    )
    assert (
        client.post(
            url("appraisal_decide", org.a1.pk, YEAR), {"grade": "excellent"}
        ).status_code
        == 403
    )
    assert not Appraisal.objects.exists()


def test_dis_section_head_sees_their_section(org, records, client_for):
    """DIS: a section head sees the tallies and records of their section only."""
    client = client_for(org.head_a)
    page = client.get(url("dashboard"))
    assert page.status_code == 200
    ids = {t.id for t in page.context["tallies"].people}
    assert ids == {org.a1.pk}
    assert client.get(url("person", org.a1.pk)).status_code == 200
    assert client.get(url("person", org.b1.pk)).status_code == 404
    listed = client.get(url("records"))
    assert {v.person_id for v in listed.context["page"]} == {org.a1.pk}
    assert client.get(url("violation_new")).status_code == 403
    assert (
        client.post(
            url("violation_decide", records["u1"][0].pk), {"decision": "upheld"}
        ).status_code
        == 403
    )
    book = load_workbook(BytesIO(client.get(url("export")).content))
    names = [
        row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)
    ]
    assert names == [org.a1.name]


def test_dis_unit_head_and_deputy_scopes(org, records, client_for):
    """DIS: a unit head sees their unit; a deputy the sections and units in charge."""
    client = client_for(org.unit_head)
    assert client.get(url("person", org.u1.pk)).status_code == 200
    assert client.get(url("person", org.a1.pk)).status_code == 404
    client = client_for(org.dep_b)
    assert client.get(url("person", org.b1.pk)).status_code == 200
    assert client.get(url("person", org.a1.pk)).status_code == 404


def test_dis_inspector_sees_everyone_and_decides(org, records, client_for):
    """DIS-2: the inspector sees every record and upholds or dismisses complaints."""
    client = client_for(org.inspector)
    page = client.get(url("dashboard"))
    tallies = page.context["tallies"]
    assert {t.id for t in tallies.people} == {org.a1.pk, org.b1.pk, org.u1.pk}
    assert tallies.pending == 1
    complaint = records["u1"][0]
    response = client.post(
        url("violation_decide", complaint.pk),
        {"decision": "dismissed", "note": "不成立"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Violation.Status.DISMISSED
    assert client.get(url("violation_decide", complaint.pk)).status_code == 405


def test_dis5_inspector_records_a_warning_citing_a_decision(org, client_for):
    """DIS-1/DIS-5: the inspector records a finding on the form; a meeting warning
    without its decision is refused, with it recorded and linked."""
    _meeting, (decision,) = held_meeting(org, texts=("给予效能告诫。",))
    client = client_for(org.inspector)
    page = client.get(url("violation_new"))
    assert page.status_code == 200
    assert decision.citation in page.content.decode()
    data = {
        "person": org.b1.pk,
        "kind": "discipline.meeting_warning",
        "occurred_on": f"{YEAR}-03-03",
        "evidence": "作风漂浮",
    }
    response = client.post(url("violation_new"), data)
    assert response.status_code == 200  # the decision is missing
    assert not Violation.objects.exists()
    response = client.post(
        url("violation_new"), {**data, "meeting_decision": decision.pk}
    )
    assert response.status_code == 302
    assert Violation.objects.get().meeting_decision == decision


def test_dis5_form_refuses_a_decision_the_inspector_may_not_see(org, client_for):
    """DIS-5 by URL: a forged post citing a topic meeting's decision on section B's
    item gets a clear message; nothing is recorded, and the choice is not offered."""
    _meeting, (hidden,) = held_meeting(org, kind=TOPIC, proposers=[org.head_b])
    client = client_for(org.inspector)
    assert hidden.citation not in client.get(url("violation_new")).content.decode()
    response = client.post(
        url("violation_new"),
        {
            "person": org.b1.pk,
            "kind": "discipline.meeting_warning",
            "occurred_on": f"{YEAR}-03-03",
            "evidence": "作风漂浮",
            "meeting_decision": hidden.pk,
        },
    )
    assert response.status_code == 200
    assert "无权查看" in response.content.decode()
    assert not Violation.objects.exists()


def test_dis6_final_grade_above_cap_refused_on_the_page(org, records, client_for):
    """DIS-6: the committee's 優秀 for a person capped at 稱職 is refused with a
    clear message; nothing changes. 稱職 is recorded."""
    client = client_for(org.inspector)
    response = client.post(
        url("appraisal_decide", org.a1.pk, YEAR),
        {"grade": rules.EXCELLENT},
        follow=True,
    )
    text = response.content.decode()
    assert "高于" in text and "未作任何更改" in text
    assert not Appraisal.objects.exists()
    client.post(url("appraisal_decide", org.a1.pk, YEAR), {"grade": rules.COMPETENT})
    assert Appraisal.objects.get().final_grade == rules.COMPETENT
    sheet = client.get(url("appraisal_sheet", org.a1.pk, YEAR)).content.decode()
    assert "称职" in sheet and "DIS-4" in sheet


def test_dis_admin_pages_are_scoped(org, records, client_for):
    """DIS: admin lists and change pages go through the same scope: another
    section's violation is not listed and its URL leads nowhere."""
    client = client_for(org.head_a)
    listing = client.get("/admin/discipline/violation/")
    assert listing.status_code == 200
    assert {v.person_id for v in listing.context["cl"].result_list} == {org.a1.pk}
    other = records["b1"][0]
    response = client.get(f"/admin/discipline/violation/{other.pk}/change/")
    assert response.status_code == 302 and response.url == reverse("admin:index")
    own = records["a1"][0]
    assert (
        client.get(f"/admin/discipline/violation/{own.pk}/change/").status_code == 200
    )
    assert client.get("/admin/discipline/outcome/").status_code == 200
    assert client.get("/admin/discipline/violation/add/").status_code == 403
    plain = client_for(org.a1)
    assert plain.get("/admin/discipline/violation/").status_code == 302  # to login


def test_dis_admin_action_upholds_and_reports(org, records, client_for):
    """DIS-2: the inspector's admin action upholds complaints and says how many."""
    client = client_for(org.inspector)
    complaint = records["u1"][0]
    response = client.post(
        "/admin/discipline/violation/",
        {"action": "uphold", "_selected_action": [complaint.pk, records["a1"][0].pk]},
        follow=True,
    )
    assert "1" in [m.message for m in response.context["messages"]][0]
    complaint.refresh_from_db()
    assert complaint.status == Violation.Status.UPHELD
    head = client_for(org.head_a)
    page = head.get("/admin/discipline/violation/")
    form = page.context["action_form"]
    assert form is None or "uphold" not in dict(form.fields["action"].choices)


def test_dis_home_panel_shows_my_cap(org, records, client_for):
    """DIS: the home page shows a person's own tally and cap."""
    page = client_for(org.b1).get("/").content.decode()
    assert 'id="discipline-panel"' in page
    assert "无限制" in page  # DIS-1: a 1st first-inquiry failure sets no cap
    page = client_for(org.a1).get("/").content.decode()
    assert "称职" in page  # DIS-4: one efficiency warning, at best 称职


def _bulk_people(org, n, record):
    for i in range(n):
        person = PersonFactory(unit=org.unit)
        record(person, datetime.date(YEAR, 1 + i % 12, 3), "discipline.efficiency.idle")
        record(person, datetime.date(YEAR, 1 + i % 12, 4), "discipline.first_inquiry")


def test_dis_dashboard_query_count_is_constant(org, record, client_for):
    """DIS: the dashboard, the records list and the export cost the same number of
    queries with 2 people on record as with 50."""
    client = client_for(org.inspector)
    _bulk_people(org, 2, record)
    counts = {}
    for name in ("dashboard", "records", "export"):
        client.get(url(name))  # warm the caches of the login
        with CaptureQueriesContext(connection) as small:
            assert client.get(url(name)).status_code == 200
        counts[name] = len(small)
    _bulk_people(org, 48, record)
    for name in ("dashboard", "records", "export"):
        with CaptureQueriesContext(connection) as large:
            response = client.get(url(name))
        assert len(large) == counts[name], name
    assert len(response.content) > 0


def test_dis_pages_are_chinese(org, records, client_for):
    """The interface is Chinese by default."""
    page = client_for(org.inspector).get(url("dashboard")).content.decode()
    assert "效能纪律统计" in page and "按月份" in page and "<svg" in page


def test_dis6_grade_picker_offers_only_grades_within_the_cap(org, records, client_for):
    """DIS-6: the committee's grade picker offers only the grades the cap allows
    (a1: one efficiency warning, at best 称职); a grade recorded before the record
    changed and now above the cap is flagged on the page and the sheet."""
    client = client_for(org.inspector)
    page = client.get(url("person", org.a1.pk, year=YEAR))
    choices = [
        c for c, _label in page.context["appraisal_form"].fields["grade"].choices
    ]
    assert choices == [rules.COMPETENT, rules.BASIC, rules.UNFIT]
    page = client.get(url("person", org.b1.pk, year=YEAR))
    choices = [
        c for c, _label in page.context["appraisal_form"].fields["grade"].choices
    ]
    assert choices[0] == rules.EXCELLENT
    client.post(url("appraisal_decide", org.b1.pk, YEAR), {"grade": rules.EXCELLENT})
    record_second = client.post(
        url("violation_new"),
        {
            "person": org.b1.pk,
            "kind": "discipline.first_inquiry",
            "occurred_on": datetime.date(YEAR, 1, 8).isoformat(),
            "evidence": "第二次推诿",
        },
    )
    assert record_second.status_code == 302
    page = client.get(url("person", org.b1.pk, year=YEAR)).content.decode()
    assert 'id="above-cap"' in page
    sheet = client.get(url("appraisal_sheet", org.b1.pk, YEAR)).content.decode()
    assert 'id="sheet-above-cap"' in sheet


def test_dis7_inspector_enters_window_appraisal_on_a_page(org, records, client_for):
    """DIS-7: the inspector enters the window appraisal inputs on a page (composite
    from the policy); others get 403, a person outside the scope 404."""
    from discipline.models import WindowAppraisal

    target = url("window_appraisal", org.u1.pk, YEAR)
    data = {
        "window": "城关镇便民服务窗口",
        "duties": "受理生育服务证",
        "attendance_note": "全年出勤正常",
        "self_report": "全年受理 320 件",
        "self_score": "95",
        "democratic_score": "92",
        "peer_score": "90",
    }
    for person in (org.u1, org.head_a, org.unit_head, org.director):
        client = client_for(person)
        assert client.get(target).status_code == 403
        assert client.post(target, data).status_code == 403
    client = client_for(org.inspector)
    assert client.get(target).status_code == 200
    response = client.post(target, data)
    assert response.status_code == 302
    saved = WindowAppraisal.objects.get(person=org.u1, year=YEAR)
    assert float(saved.composite_score) == 91.8
    assert saved.suggested_grade == rules.EXCELLENT
    data["peer_score"] = "150"
    page = client.post(target, data)
    assert page.status_code == 200 and page.context["form"].errors
    page = client.get(url("person", org.u1.pk, year=YEAR)).content.decode()
    assert 'id="window-appraisal"' in page and "91.8" in page
    assert client.get(url("window_appraisal", 10**6, YEAR)).status_code == 404


def test_dis2_dismissed_complaint_asks_for_no_apology(org, records, client_for):
    """DIS-2: the apology is due for an upheld complaint only; a dismissed one
    shows no 'not yet recorded' and offers no apology form."""
    from discipline.services import violation_decide

    complaint = records["u1"][0]
    client = client_for(org.inspector)
    page = client.get(url("person", org.u1.pk, year=YEAR)).content.decode()
    due = "赔礼道歉: <span"
    assert due not in page  # pending: decided first
    violation_decide(
        violation=complaint, upheld=False, by=org.inspector.user, note="不成立"
    )
    page = client.get(url("person", org.u1.pk, year=YEAR)).content.decode()
    assert due not in page
    assert url("violation_apology", complaint.pk) not in page
    first_inquiry = records["b1"][0]
    page = client.get(url("person", org.b1.pk, year=YEAR)).content.decode()
    assert due in page and url("violation_apology", first_inquiry.pk) in page
