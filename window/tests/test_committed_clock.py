"""SVC-1: the committed date of an acceptance receipt is a live clock on the
deadline engine: opened with the receipt, owned by the first-inquiry officer, met
(or missed) when the matter is handled, cancelled when refused, reminded and
escalated by the engine's scan, shown on the matter page and in "my deadlines";
receipts issued before the clock existed get theirs from the data migration."""

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps as django_apps

from approvals.models import Notification
from bureau.workdays import TZ
from deadlines.models import Deadline, DeadlineNotice
from deadlines.services import deadline_for, deadlines_scan
from window import services
from window.models import COMMITTED_DEADLINE, Matter

pytestmark = pytest.mark.django_db

# Accepted Tue 10 Nov 2026, 5 working days → Tue 17 Nov (reminded Mon 16).
COMMITTED = datetime.date(2026, 11, 17)


def _accept(org, who=None, visitor="张三"):
    return services.contact_log(
        window=org.window,
        by=(who or org.u1).user,
        visitor=visitor,
        summary="办理生育服务证",
        outcome="accepted",
        service=org.service,
    )


def test_svc1_receipt_opens_a_clock_due_on_its_committed_date(win, frozen):
    contact = _accept(win)
    clock = deadline_for(contact.matter, COMMITTED_DEADLINE)
    assert clock is not None
    assert clock.rule == "SVC-1"
    assert clock.state == Deadline.State.OPEN
    assert clock.start == datetime.date(2026, 11, 10)
    assert clock.due_date == contact.receipt.committed_on == COMMITTED
    assert clock.remind_from == datetime.date(2026, 11, 16)
    assert clock.responsible == win.u1
    assert clock.fixed_length == 5
    assert clock.escalate_to == "supervisor"


def test_svc1_clock_belongs_to_the_first_inquiry_officer_not_the_next_post(win, frozen):
    """The B post logs the visitor's return with complete materials: the matter
    (and its clock) stays the first officer's (SVC-1)."""
    first = services.contact_log(
        window=win.window,
        by=win.u1.user,
        visitor="张三",
        summary="咨询",
        outcome="notified",
        service=win.service,
        missing=list(win.old_version.materials.all()[:1]),
    )
    second = services.contact_log(
        window=win.window,
        by=win.u2.user,
        visitor="张三",
        summary="补齐材料",
        outcome="accepted",
        matter=first.matter,
    )
    clock = deadline_for(second.matter, COMMITTED_DEADLINE)
    assert clock.responsible == win.u1


def test_svc1_handled_by_the_committed_date_meets_the_clock(win, frozen):
    contact = _accept(win)
    with time_machine.travel(datetime.datetime(2026, 11, 17, 16, 0, tzinfo=TZ)):
        services.matter_handle(matter=contact.matter, by=win.u2.user)
    clock = deadline_for(contact.matter, COMMITTED_DEADLINE)
    assert clock.state == Deadline.State.MET
    assert clock.closed_on == COMMITTED


def test_svc1_handled_a_day_after_the_committed_date_misses_it(win, frozen):
    contact = _accept(win)
    with time_machine.travel(datetime.datetime(2026, 11, 18, 9, 0, tzinfo=TZ)):
        services.matter_handle(matter=contact.matter, by=win.u1.user)
    assert deadline_for(contact.matter, COMMITTED_DEADLINE).state == (
        Deadline.State.MISSED
    )


def test_svc1_handled_when_the_visitor_comes_back_meets_the_clock(win, frozen):
    contact = _accept(win)
    services.contact_log(
        window=win.window,
        by=win.u1.user,
        visitor="张三",
        summary="领证",
        outcome="handled",
        matter=contact.matter,
    )
    assert deadline_for(contact.matter, COMMITTED_DEADLINE).state == (
        Deadline.State.MET
    )


def test_svc1_an_appointment_kept_meets_the_clock(win, frozen):
    contact = _accept(win)
    appointment = services.appointment_book(
        matter=contact.matter,
        day=datetime.date(2026, 11, 12),
        part="am",
        by=win.u1.user,
    )
    with time_machine.travel(datetime.datetime(2026, 11, 12, 9, 0, tzinfo=TZ)):
        services.appointment_close(
            appointment=appointment, outcome="kept", by=win.u2.user
        )
    clock = deadline_for(contact.matter, COMMITTED_DEADLINE)
    assert clock.state == Deadline.State.MET
    assert clock.closed_on == datetime.date(2026, 11, 12)


def test_svc1_refused_after_acceptance_cancels_the_clock(win, frozen):
    contact = _accept(win)
    services.contact_log(
        window=win.window,
        by=win.u1.user,
        visitor="张三",
        summary="审核不符合条件",
        outcome="refused",
        matter=contact.matter,
        note="不符合再生育条件",
        basis="《条例》第十八条",
    )
    assert deadline_for(contact.matter, COMMITTED_DEADLINE).state == (
        Deadline.State.CANCELLED
    )


def test_svc1_no_clock_without_a_receipt(win, frozen):
    contact = services.contact_log(
        window=win.window,
        by=win.u1.user,
        visitor="张三",
        summary="咨询",
        outcome="handled",
        service=win.service,
    )
    assert deadline_for(contact.matter, COMMITTED_DEADLINE) is None


def test_svc1_clock_reminds_the_officer_the_day_before_and_escalates_when_overdue(
    win, frozen
):
    """The engine's scan: on Mon 16 Nov (one working day before) the officer is
    reminded, once; on Wed 18 Nov, still not handled, the officer's supervisor is
    told, once; nothing on Fri 13 Nov."""
    contact = _accept(win)
    clock = deadline_for(contact.matter, COMMITTED_DEADLINE)
    kinds = [COMMITTED_DEADLINE]
    deadlines_scan(today=datetime.date(2026, 11, 13), commit=True, kinds=kinds)
    assert not DeadlineNotice.objects.filter(deadline=clock).exists()
    deadlines_scan(today=datetime.date(2026, 11, 16), commit=True, kinds=kinds)
    deadlines_scan(today=datetime.date(2026, 11, 16), commit=True, kinds=kinds)
    reminders = DeadlineNotice.objects.filter(deadline=clock, kind="remind")
    assert [n.recipient for n in reminders] == [win.u1]
    deadlines_scan(today=datetime.date(2026, 11, 18), commit=True, kinds=kinds)
    escalations = list(DeadlineNotice.objects.filter(deadline=clock, kind="escalate"))
    assert len(escalations) == 1
    assert escalations[0].recipient not in (None, win.u1)
    assert Notification.objects.filter(recipient=escalations[0].recipient).exists()


def test_svc1_clock_shows_on_the_matter_page_and_in_my_deadlines(
    win, frozen, client_for
):
    contact = _accept(win)
    client = client_for(win.u1)
    page = client.get(f"/window/matters/{contact.matter.pk}/").content.decode()
    assert 'id="matter-clock"' in page
    assert "2026-11-17" in page
    clock = deadline_for(contact.matter, COMMITTED_DEADLINE)
    assert f"/deadlines/{clock.pk}/" in page
    mine = client.get("/deadlines/").content.decode()
    assert f"/window/matters/{contact.matter.pk}/" in mine
    # The B post sees the matter and its clock's state, not the officer's deadline
    # page (the engine's scope: the responsible person and their leaders).
    other = client_for(win.u2).get(f"/window/matters/{contact.matter.pk}/")
    text = other.content.decode()
    assert 'id="matter-clock"' in text
    assert f"/deadlines/{clock.pk}/" not in text


def test_svc1_migration_gives_open_receipts_their_clock(win, frozen):
    """Receipts issued before the clock existed: the accepted matter gets its
    deadline due on the printed date; a handled matter gets none; running it
    again changes nothing."""
    open_one = _accept(win)
    done = _accept(win, visitor="李四")
    services.matter_handle(matter=done.matter, by=win.u1.user)
    Deadline.objects.filter(kind=COMMITTED_DEADLINE).delete()
    migration = importlib.import_module(
        "window.migrations.0006_receipt_committed_clocks"
    )
    migration.forwards(django_apps, None)
    migration.forwards(django_apps, None)
    clocks = list(Deadline.objects.filter(kind=COMMITTED_DEADLINE))
    assert len(clocks) == 1
    clock = clocks[0]
    assert clock.object_id == open_one.matter.pk
    assert clock.due_date == COMMITTED
    assert clock.remind_from == datetime.date(2026, 11, 16)
    assert clock.responsible == win.u1
    assert clock.state == Deadline.State.OPEN
    assert Matter.objects.get(pk=done.matter.pk).status == Matter.Status.HANDLED
