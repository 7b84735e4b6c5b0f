"""The beat scan: each reminder and escalation once, only to the people responsible,
in-app and by e-mail (PET-5)."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import Notification
from bureau.models import OutboxMessage, Policy
from bureau.workdays import TZ
from deadlines import tasks
from deadlines.models import Deadline, DeadlineNotice
from deadlines.notify import Notice, send_notices
from deadlines.services import deadline_pause, deadline_resume, deadlines_scan
from deadlines.tests.conftest import TOY, TOY_DEFAULT, TOY_POLICY

pytestmark = pytest.mark.django_db
D = datetime.date


def _beat(day):
    """The beat task as it runs at 08:00 on `day`."""
    moment = datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=TZ)
    with time_machine.travel(moment, tick=False):
        return tasks.scan.delay().get()


def _titles(person):
    return list(
        Notification.objects.filter(recipient=person)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_pet5_reminders_and_escalations_are_sent_exactly_once_across_two_beat_runs(
    org, open_toy, django_capture_on_commit_callbacks
):
    """PET-5: due 17 March, reminded from the 14th: the reminder goes to the person
    responsible on the 14th and not again on the 15th; on the 18th (overdue) the
    escalation goes to their section head, once, and the person gets no more."""
    org.a1.user.email = "a1@example.cn"
    org.a1.user.save()
    open_toy(org.a1)
    assert _beat(D(2026, 3, 13)) == 0  # before the window
    with django_capture_on_commit_callbacks(execute=True):
        assert _beat(D(2026, 3, 14)) == 1
        assert _beat(D(2026, 3, 14)) == 0
        assert _beat(D(2026, 3, 15)) == 0
    assert _titles(org.a1) == ["2026-03-17 到期：受理告知：a1的来信"]
    assert _beat(D(2026, 3, 17)) == 0
    assert _beat(D(2026, 3, 18)) == 1
    assert _beat(D(2026, 3, 19)) == 0
    assert _titles(org.head_a) == ["已逾期（2026-03-17 到期）：受理告知：a1的来信"]
    assert len(_titles(org.a1)) == 1
    # Nobody else heard of it.
    assert Notification.objects.count() == 2
    assert set(DeadlineNotice.objects.values_list("kind", "recipient")) == {
        ("remind", org.a1.pk),
        ("escalate", org.head_a.pk),
    }
    # The e-mail of the reminder went through the outbox, once.
    mails = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.EMAIL)
    assert [m.payload["to"] for m in mails] == [["a1@example.cn"]]


def test_a_due_date_moved_by_a_pause_gets_its_own_reminder(org, open_toy):
    """Reminded for the 17th; paused 3 days: due the 20th, reminded again once."""
    deadline = open_toy(org.a1)
    deadlines_scan(today=D(2026, 3, 14), commit=True)
    deadline_pause(deadline=deadline, on=D(2026, 3, 14), by=None)
    assert deadlines_scan(today=D(2026, 3, 15), commit=True).reminders == []
    deadline_resume(deadline=deadline, on=D(2026, 3, 17), by=None)
    assert len(deadlines_scan(today=D(2026, 3, 17), commit=True).reminders) == 1
    assert deadlines_scan(today=D(2026, 3, 18), commit=True).reminders == []
    assert list(
        DeadlineNotice.objects.order_by("due_date").values_list("due_date", flat=True)
    ) == [D(2026, 3, 17), D(2026, 3, 20)]


def test_no_escalation_without_a_relation_and_none_to_a_vacant_post(org, open_toy):
    """The section head's post vacant: the escalation goes up to the deputy in charge
    (the resolver's escalation); a kind without escalate_to escalates to nobody."""
    org.section_a.head = None
    org.section_a.save()
    open_toy(org.a1)
    result = deadlines_scan(today=D(2026, 3, 18), commit=True)
    assert [row["recipient_id"] for row in result.escalations] == [org.dep_a.pk]
    Policy(
        key=TOY_POLICY,
        effective_from=D(2026, 1, 1),
        value={**TOY_DEFAULT, "escalate_to": ""},
    ).save()
    open_toy(org.b1)
    assert deadlines_scan(today=D(2026, 3, 19), commit=True).escalations == []


def test_closed_deadlines_are_neither_reminded_nor_escalated(org, open_toy):
    from deadlines.services import deadline_meet

    deadline_meet(deadline=open_toy(org.a1), by=None, on=D(2026, 3, 3))
    assert deadlines_scan(today=D(2026, 3, 14), commit=True).reminders == []
    assert deadlines_scan(today=D(2026, 3, 18), commit=True).escalations == []


def test_the_dry_run_lists_and_writes_nothing(org, open_toy):
    open_toy(org.a1)
    out = io.StringIO()
    with time_machine.travel(
        datetime.datetime(2026, 3, 14, 8, 0, tzinfo=TZ), tick=False
    ):
        call_command("deadlines_scan", stdout=out)
    assert f"remind {TOY} #{org.a1.pk} due 2026-03-17" in out.getvalue()
    assert "Would send" in out.getvalue()
    assert not DeadlineNotice.objects.exists() and not Notification.objects.exists()
    call_command("deadlines_scan", "--commit", "--date", "2026-03-14", stdout=out)
    call_command("deadlines_scan", "--commit", "--date", "2026-03-14", stdout=out)
    assert Notification.objects.count() == 1


def _copies(deadline, n):
    """n deadlines like `deadline` on other records (ids only: the scan never
    reads the record)."""
    fields = {
        f.attname: getattr(deadline, f.attname)
        for f in Deadline._meta.concrete_fields
        if f.attname not in ("id", "object_id")
    }
    Deadline.objects.bulk_create(
        [Deadline(**fields, object_id=100_000 + i) for i in range(n)]
    )


@pytest.mark.parametrize("day", [D(2026, 3, 14), D(2026, 3, 18)])
def test_the_scan_costs_the_same_queries_for_2_and_20_deadlines(org, open_toy, day):
    """Set-based: the number of statements does not grow with the deadlines (the
    escalation resolves once per person and relation, not per deadline)."""
    counts = []
    for n in (2, 20):
        Deadline.objects.all().delete()
        _copies(open_toy(org.a1), n - 1)
        with CaptureQueriesContext(connection) as queries:
            result = deadlines_scan(today=day, commit=True)
        assert len(result.reminders) + len(result.escalations) == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_pet5_a_persons_notices_of_one_run_come_as_one_email(org):
    """PET-5: a scan that tells one person of several clocks at once sends them one
    e-mail listing each notice (title, text, link); a person with one notice gets
    that notice's own e-mail. Every notice is still in the inbox on its own."""
    org.a1.user.email = "a1@example.cn"
    org.a2.user.email = "a2@example.cn"
    for person in (org.a1, org.a2):
        person.user.save(update_fields=["email"])
    notices = [
        Notice(org.a1.pk, f"逾期提醒 {i}", f"第 {i} 件", f"/petitions/{i}/")
        for i in range(3)
    ] + [Notice(org.a2.pk, "逾期提醒 9", "第 9 件", "/petitions/9/")]
    assert send_notices(notices) == 4
    assert Notification.objects.filter(recipient=org.a1).count() == 3
    mails = {
        m.payload["to"][0]: m
        for m in OutboxMessage.objects.filter(kind=OutboxMessage.Kind.EMAIL)
    }
    assert sorted(mails) == ["a1@example.cn", "a2@example.cn"]
    digest = mails["a1@example.cn"]
    assert digest.key.startswith("notifications:")
    assert "3" in digest.payload["subject"]
    assert "逾期提醒 0" in digest.payload["subject"]
    for i in range(3):
        assert f"逾期提醒 {i}\n第 {i} 件\n/petitions/{i}/" in digest.payload["body"]
    single = mails["a2@example.cn"]
    assert single.key.startswith("notification:")
    assert single.payload["subject"] == "逾期提醒 9"
