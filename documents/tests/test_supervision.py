"""DOC-5: supervised tasks on the deadline engine (green, yellow, red), followed
up, reported back, checked and closed; the section heads' monthly summary and
plan with its reminder and the list of who has not sent it."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from approvals.models import Notification
from bureau.workdays import TZ
from deadlines.models import Deadline
from deadlines.services import deadlines_scan
from documents import rules, services
from documents.models import MonthlyReport, SupervisionTask
from documents.services import DocumentError
from documents.tests.conftest import register
from meetings.testing import held_meeting

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 2)
NOW = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=TZ)


def assign(org, by, *, due=datetime.date(2026, 11, 20), **extra):
    fields = {
        "source": "higher",
        "source_reference": "市卫健〔2026〕8号",
        "title": "完成年度人口统计报表",
        "section": org.section_b,
        "supervisor": org.dep_b,
        "assigned_on": MONDAY,
        "due_on": due,
    }
    fields.update(extra)
    return services.task_register(by=by.user, **fields)


@pytest.mark.parametrize(
    "start, due, day_type, length",
    [
        (MONDAY, datetime.date(2026, 11, 20), "calendar", 18),
        (MONDAY, MONDAY, "calendar", 0),
        (MONDAY, datetime.date(2026, 11, 6), "working", 4),  # Tue–Fri
        (MONDAY, datetime.date(2026, 11, 8), "working", 4),  # a Sunday: due Monday
    ],
)
def test_doc5_period_length_falls_due_on_the_date_given(start, due, day_type, length):
    assert rules.period_length(start, due, day_type, {}) == length


def test_doc5_report_due_on_and_policy_validator():
    assert rules.report_due_on(datetime.date(2026, 12, 1), 5) == datetime.date(
        2027, 1, 5
    )
    rules.validate_monthly_report_policy({"due_day": 5})
    for bad in ({}, {"due_day": 0}, {"due_day": 29}, {"due_day": "5"}):
        with pytest.raises(ValueError):
            rules.validate_monthly_report_policy(bad)


@time_machine.travel(NOW, tick=False)
def test_doc5_task_due_date_on_the_deadline_engine_with_lights(org, docs):
    """Both clocks (section head, supervising leader) fall due on the task's date;
    green before the reminder window, yellow in it, red after."""
    task = assign(org, docs)
    clocks = {
        d.kind: d
        for d in Deadline.objects.filter(
            object_id=task.pk, kind__startswith="documents.sup"
        )
    }
    assert clocks["documents.supervision"].due_date == task.due_on
    assert clocks["documents.supervision"].responsible == org.head_b
    assert clocks["documents.supervision_leader"].responsible == org.dep_b
    assert clocks["documents.supervision_leader"].due_date == task.due_on
    assert services.task_light(task, MONDAY) == "green"
    assert services.task_light(task, datetime.date(2026, 11, 18)) == "yellow"
    assert services.task_light(task, datetime.date(2026, 11, 20)) == "yellow"
    assert services.task_light(task, datetime.date(2026, 11, 21)) == "red"


def test_doc5_reminders_to_the_section_head_and_the_supervising_leader(org, docs):
    with time_machine.travel(NOW, tick=False):
        assign(org, docs)
    Notification.objects.all().delete()
    deadlines_scan(today=datetime.date(2026, 11, 18), commit=True)
    deadlines_scan(today=datetime.date(2026, 11, 18), commit=True)  # once
    recipients = sorted(
        Notification.objects.values_list("recipient__user__username", flat=True)
    )
    assert recipients == ["dep_b", "head_b"]
    deadlines_scan(today=datetime.date(2026, 11, 23), commit=True)
    escalated = Notification.objects.filter(recipient=org.dep_b).count()
    assert escalated == 2  # the reminder, then the section's overdue escalation


@time_machine.travel(NOW, tick=False)
def test_doc5_follow_up_report_check_send_back_and_close(org, docs):
    task = assign(org, docs)
    services.task_follow_up(task=task, by=org.b1.user, text="已完成数据收集")
    with pytest.raises(DocumentError):
        services.task_report(task=task, by=org.a1.user, text="不是本股室")
    services.task_report(task=task, by=org.head_b.user, text="报表已上报")
    with pytest.raises(DocumentError):
        services.task_check(task=task, by=org.b1.user, decision="close")
    with pytest.raises(DocumentError):
        services.task_check(task=task, by=docs.user, decision="send_back")
    services.task_check(
        task=task, by=org.dep_b.user, decision="send_back", comment="缺少分乡镇数据"
    )
    task.refresh_from_db()
    assert task.status == SupervisionTask.Status.ASSIGNED
    services.task_report(task=task, by=org.head_b.user, text="已补充分乡镇数据")
    services.task_check(task=task, by=docs.user, decision="close", on=MONDAY)
    task.refresh_from_db()
    assert task.status == "closed" and task.closed_on == MONDAY
    states = set(
        Deadline.objects.filter(
            object_id=task.pk, kind__startswith="documents.sup"
        ).values_list("state", flat=True)
    )
    assert states == {"met"}
    assert [n.kind for n in task.notes.order_by("pk")] == [
        "progress",
        "report",
        "sent_back",
        "report",
        "closed",
    ]


@time_machine.travel(NOW, tick=False)
def test_doc5_a_task_from_a_leaders_instruction_and_from_a_meeting_decision(
    org, docs, client_for
):
    incoming = register(docs)
    (hop,) = services.incoming_send(
        incoming=incoming, by=docs.user, people=[org.director], purpose="instruct"
    )
    instruction = services.incoming_instruct(
        hop=hop, by=org.director.user, text="请法规股办理并督办", handlers=[org.head_b]
    )
    task = assign(org, docs, source="instruction", instruction=instruction)
    assert task.instruction == instruction
    _meeting, (decision,) = held_meeting(org, held_on=MONDAY)
    task = assign(
        org, docs, source="meeting", meeting_decision=decision, title="落实会议决定"
    )
    page = client_for(org.director).get(
        reverse("meetings:decision", args=[decision.pk])
    )
    assert "落实会议决定" in page.content.decode()
    with pytest.raises(DocumentError):
        assign(org, docs, source="meeting", meeting_decision=None)
    with pytest.raises(DocumentError):
        assign(org, docs, source="instruction", instruction=None)


@time_machine.travel(NOW, tick=False)
def test_doc5_bad_tasks_are_refused_and_nothing_is_saved(org, docs):
    with pytest.raises(DocumentError):
        assign(org, docs, due=MONDAY - datetime.timedelta(days=1))
    with pytest.raises(DocumentError):
        assign(org, org.b1)  # staff do not register tasks
    with pytest.raises(DocumentError):
        assign(org, docs, title="")
    with pytest.raises(DocumentError):
        assign(org, docs, source="rumour")
    assert not SupervisionTask.objects.exists()
    assert not Deadline.objects.exists()


def test_doc5_tasks_pages_by_url(org, docs, client_for):
    with time_machine.travel(NOW, tick=False):
        task = assign(org, docs)
    url = reverse("documents:task", args=[task.pk])
    for person, status in [
        (docs, 200),
        (org.b1, 200),
        (org.head_b, 200),
        (org.dep_b, 200),
        (org.director, 200),
        (org.a1, 404),
        (org.head_a, 404),
        (org.dep_a, 404),
    ]:
        assert client_for(person).get(url).status_code == status, person
    assert client_for(org.b1).get(reverse("documents:task_new")).status_code == 403
    assert client_for(docs).get(reverse("documents:task_new")).status_code == 200
    client_for(org.a1).post(
        reverse("documents:task_report", args=[task.pk]), {"text": "x"}
    )
    task.refresh_from_db()
    assert task.status == "assigned"


def test_doc5_task_list_costs_the_same_at_2_and_20(
    org, docs, client_for, django_assert_max_num_queries
):
    client = client_for(docs)
    url = reverse("documents:tasks")
    with time_machine.travel(NOW, tick=False):
        for i in range(2):
            assign(org, docs, title=f"任务{i}")
        client.get(url)
        with django_assert_max_num_queries(14) as small:
            client.get(url)
        for i in range(18):
            assign(org, docs, title=f"更多{i}")
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(url)


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ), tick=False)
def test_doc5_monthly_summary_the_list_of_who_has_not_sent_and_the_reminder_once(
    org, docs, client_for
):
    november = datetime.date(2026, 11, 1)
    services.monthly_report_send(
        by=org.head_a.user, month=november, summary="完成考勤汇总", plan="做好年终总结"
    )
    with pytest.raises(DocumentError):
        services.monthly_report_send(
            by=org.b1.user, month=november, summary="x", plan="y"
        )
    with pytest.raises(DocumentError):
        services.monthly_report_send(
            by=org.head_b.user, month=november, summary="", plan="y"
        )
    page = client_for(docs).get(reverse("documents:monthly"), {"month": "2026-11"})
    missing = [s.name for s in page.context["missing"]]
    assert missing == ["法规股"]
    Notification.objects.all().delete()
    dry = services.monthly_reminders(today=datetime.date(2026, 12, 1))
    assert [s.name for s in dry] == ["法规股"] and not Notification.objects.exists()
    services.monthly_reminders(today=datetime.date(2026, 12, 1), commit=True)
    services.monthly_reminders(today=datetime.date(2026, 12, 2), commit=True)
    assert list(
        Notification.objects.values_list("recipient__user__username", flat=True)
    ) == ["head_b"]
    # Sending again revises the month's record.
    services.monthly_report_send(
        by=org.head_a.user,
        month=november,
        summary="完成考勤汇总（修订）",
        plan="做好年终总结",
    )
    report = MonthlyReport.objects.get(section=org.section_a, month=november)
    assert report.summary.endswith("（修订）") and report.history.count() == 2
    # The section head's form.
    client = client_for(org.head_b)
    response = client.post(
        reverse("documents:monthly_send") + "?month=2026-11",
        {"summary": "完成执法检查", "plan": ""},
    )
    assert response.status_code == 400 and "完成执法检查" in response.content.decode()
    client.post(
        reverse("documents:monthly_send") + "?month=2026-11",
        {"summary": "完成执法检查", "plan": "开展普法宣传"},
    )
    assert MonthlyReport.objects.filter(section=org.section_b).exists()
    assert client_for(org.b1).get(reverse("documents:monthly_send")).status_code == 403
