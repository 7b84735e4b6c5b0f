"""The outbox (issue 8, hole 6): e-mail and tasks that the broker or mail server
cannot take are kept and swept later, each sent exactly once."""

import datetime
import threading
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from kombu.exceptions import OperationalError

from approvals.models import ApprovalRequest
from bureau import outbox
from bureau.celery import app
from bureau.models import OutboxMessage
from leave.models import LeaveRequest

State = OutboxMessage.State
REFUSED = OperationalError(
    "Error 111 connecting to 127.0.0.1:6379. Connection refused."
)


@pytest.fixture
def broker():
    """Tasks go through the broker (not in-process); `broker.down()` makes every
    publish fail at the connection, as with Redis stopped; `broker.up()` runs them
    in-process again (as a worker would)."""
    patch = mock.patch(
        "kombu.messaging.Producer.publish", mock.Mock(side_effect=REFUSED)
    )

    class Broker:
        def down(self):
            app.conf.task_always_eager = False
            patch.start()

        def up(self):
            patch.stop()
            app.conf.task_always_eager = True

    state = Broker()
    yield state
    if not app.conf.task_always_eager:
        state.up()


def _emails(org):
    for person, address in [(org.a1, "a1@example.org"), (org.head_a, "ha@x.org")]:
        person.user.email = address
        person.user.save()


def _leave_form(**extra):
    return {
        "leave_type": "personal",
        "start_date": "2026-03-02",
        "start_half": "am",
        "end_date": "2026-03-02",
        "end_half": "am",
        "reason": "家中有事",
        "handover_note": "工作已交由同事处理",
        "leader_consent": "",
        "confirm": "1",
        **extra,
    }


# --- the broker down during a request -----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_leave_submission_and_approval_succeed_with_the_broker_down(client_for, broker):
    """Redis stopped: submitting and approving leave answer 302 (not 500 after
    saving), the data is saved, and each e-mail waits in the outbox; the sweep
    sends them once the broker is back."""
    import time_machine

    from bureau.policies import registry
    from bureau.testing import small_org
    from bureau.workdays import TZ

    registry.load_defaults()
    org = small_org()
    _emails(org)
    broker.down()
    with time_machine.travel(
        datetime.datetime(2026, 3, 2, 8, 0, tzinfo=TZ), tick=False
    ):
        submitted = client_for(org.a1).post(reverse("leave:new"), _leave_form())
        assert submitted.status_code == 302
        leave = LeaveRequest.objects.get()
        waiting = OutboxMessage.objects.get()
        assert waiting.state == State.PENDING and waiting.kind == "email"
        assert waiting.payload["to"] == ["ha@x.org"]
        assert waiting.attempts == 0  # the publish of its delivery failed

        approval = ApprovalRequest.objects.get()
        decided = client_for(org.head_a).post(
            reverse("approvals:decide", args=[approval.pk]), {"decision": "approve"}
        )
        assert decided.status_code == 302
        leave.refresh_from_db()
        assert leave.status == LeaveRequest.Status.APPROVED
        pending = OutboxMessage.objects.filter(state=State.PENDING)
        assert pending.filter(kind="email").count() == 2
        # The approved leave excuses sessions: attendance's re-judge waits too.
        assert pending.filter(kind="task").count() == 1
        assert mail.outbox == []

        assert outbox.sweep(commit=True).sent == 2  # mail needs no broker
    assert sorted(m.to[0] for m in mail.outbox) == ["a1@example.org", "ha@x.org"]
    # Only the task waits for the broker to come back.
    assert list(
        OutboxMessage.objects.exclude(state=State.SENT).values_list("kind", flat=True)
    ) == ["task"]


def test_a_task_the_broker_refuses_waits_and_is_published_once_later(db, broker):
    """enqueue_after_commit: with the broker down the row stays pending (no error
    for the caller), is retried after a back-off, and published once with the key
    as its task id."""
    from bureau.tasks import ping

    broker.down()
    with transaction.atomic():
        outbox.enqueue_after_commit(ping, 5, key="drill:ping:5")
    row = OutboxMessage.objects.get()
    assert row.state == State.PENDING  # on_commit does not run in a test transaction
    outbox.deliver([row.key])  # what on_commit does
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.PENDING, 1)
    assert "Connection refused" in row.last_error
    assert outbox.sweep(commit=True).sent == 0  # not due yet (back-off)

    broker.up()
    later = row.next_attempt_at + datetime.timedelta(seconds=1)
    with mock.patch.object(ping, "apply_async", wraps=ping.apply_async) as publish:
        assert outbox.sweep(commit=True, now=later).sent == 1
        assert outbox.sweep(commit=True, now=later).sent == 0
    publish.assert_called_once_with(args=[5], kwargs={}, task_id="drill:ping:5")
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (State.SENT, 2, "")


def test_the_same_key_is_queued_once(db):
    """Queuing a key already in the outbox adds nothing."""
    for _ in range(2):
        outbox.mail_after_commit(key="k1", subject="s", body="b", to=["x@y.org"])
    assert OutboxMessage.objects.count() == 1


def test_the_sweep_sends_a_mail_exactly_once_with_its_key_in_the_headers(db):
    """Two sweeps: one e-mail. The Message-ID and X-Bureau-Key carry the key, so a
    duplicate (after a released stuck row) is detectable."""
    outbox.mail_after_commit(
        key="notification:42", subject="审批", body="请审批", to=["a@b.org"]
    )
    assert outbox.sweep(commit=True).sent == 1
    assert outbox.sweep(commit=True).sent == 0
    (sent,) = mail.outbox
    assert sent.extra_headers["X-Bureau-Key"] == "notification:42"
    assert sent.extra_headers["Message-ID"] == "<outbox.notification-42@bureau.local>"
    assert "Message-ID: <outbox.notification-42@bureau.local>" in (
        sent.message().as_string()
    )


def test_a_mail_server_error_keeps_the_row_then_fails_after_the_last_attempt(db):
    """SMTP down: retried with a back-off; after MAX_ATTEMPTS the row is failed
    and `--retry-failed` gives it back."""
    outbox.mail_after_commit(key="m", subject="s", body="b", to=["a@b.org"])
    row = OutboxMessage.objects.get()
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError
    ):
        now = row.created_at
        for _ in range(outbox.MAX_ATTEMPTS):
            now += datetime.timedelta(hours=2)
            outbox.sweep(commit=True, now=now)
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.FAILED, outbox.MAX_ATTEMPTS)
    assert outbox.retry_failed(commit=True) == 1
    assert outbox.sweep(commit=True).sent == 1


def test_sweep_command_is_a_dry_run_unless_commit(db):
    """outbox_sweep: dry run shows what is due; --commit sends; --release-stuck
    gives back rows left 'sending' by a dead process."""
    outbox.mail_after_commit(key="m1", subject="s", body="b", to=["a@b.org"])
    OutboxMessage.objects.create(
        kind="email",
        key="m2",
        state=State.SENDING,
        claimed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        payload={"subject": "s", "body": "b", "to": ["c@d.org"]},
    )
    out = StringIO()
    call_command("outbox_sweep", stdout=out)
    assert "Would send (use --commit): 1; stuck: 1." in out.getvalue()
    assert mail.outbox == []
    call_command("outbox_sweep", "--commit", "--release-stuck", "10", stdout=out)
    assert "Sent: 2;" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@b.org", "c@d.org"]


def test_in_process_setup_sends_through_the_outbox_and_marks_sent(
    org, django_capture_on_commit_callbacks
):
    """Embedded set-up (eager tasks): a notification's e-mail goes out at commit
    through the outbox, which records it as sent."""
    from approvals.notify import notify_person

    org.a1.user.email = "a1@example.org"
    org.a1.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        note = notify_person(org.a1, title="销假提醒")
    row = OutboxMessage.objects.get()
    assert (row.key, row.state) == (f"notification:{note.pk}", State.SENT)
    assert [m.subject for m in mail.outbox] == ["销假提醒"]
    assert note.emailed_at is not None


def test_beat_sweeps_the_outbox_every_minute():
    entry = app.conf.beat_schedule["bureau-outbox-sweep"]
    assert entry["task"] == "bureau.tasks.outbox_sweep"
    assert entry["schedule"] <= 60


def test_celery_redelivers_tasks_of_a_dead_worker(settings):
    """Tasks are acknowledged after they ran, put back when their process dies, and
    given to another worker after the visibility timeout."""
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert app.conf.broker_transport_options["visibility_timeout"] > 0


# --- two sweeps at once (PostgreSQL) --------------------------------------------------


def _pending(keys):
    """Pending e-mails, as left by a request whose broker was down (outside a
    transaction, mail_after_commit would send them at once)."""
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            kind="email", key=key, payload={"subject": "s", "body": "b", "to": ["a@b"]}
        )
        for key in keys
    )


def _in_thread(target, *args):
    result = {}

    def run():
        try:
            result["value"] = target(*args)
        except Exception as exc:  # surfaced by the assertion below
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_sweep_skips_rows_another_sweep_holds():
    """While one sweep holds its rows (locked, being claimed), a second sweep does
    not wait and does not take them; each e-mail is sent once in all."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    _pending([f"m{n}" for n in range(6)])
    with transaction.atomic():
        held = list(
            OutboxMessage.objects.select_for_update().filter(key__in=["m0", "m1", "m2"])
        )
        thread, result = _in_thread(lambda: outbox.sweep(commit=True).sent)
        thread.join(timeout=20)
        assert not thread.is_alive(), "the second sweep waited for the locked rows"
        assert result == {"value": 3}
        assert len(held) == 3
    assert outbox.sweep(commit=True).sent == 3
    assert outbox.sweep(commit=True).sent == 0
    assert sorted(m.extra_headers["X-Bureau-Key"] for m in mail.outbox) == [
        f"m{n}" for n in range(6)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_send_each_mail_once():
    """Two sweeps started together over 40 rows, in small batches: 40 e-mails."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    _pending([f"r{n}" for n in range(40)])
    barrier = threading.Barrier(2)

    def sweeper():
        barrier.wait(timeout=10)
        sent = 0
        while batch := outbox.sweep(commit=True, limit=3).due:
            sent += batch
        return sent

    runs = [_in_thread(sweeper) for _ in range(2)]
    for thread, _result in runs:
        thread.join(timeout=60)
    assert sum(result["value"] for _thread, result in runs) == 40
    keys = [m.extra_headers["X-Bureau-Key"] for m in mail.outbox]
    assert len(keys) == len(set(keys)) == 40


def test_the_outbox_admin_is_read_only(org, client):
    """Operators see what waits and why; nobody adds, edits or deletes by hand."""
    outbox.mail_after_commit(key="m", subject="s", body="b", to=["a@b.org"])
    row = OutboxMessage.objects.get()
    client.force_login(org.admin)  # a superuser
    changelist = client.get(reverse("admin:bureau_outboxmessage_changelist"))
    assert changelist.status_code == 200 and b"m" in changelist.content
    assert client.get(reverse("admin:bureau_outboxmessage_add")).status_code == 403
    change = reverse("admin:bureau_outboxmessage_change", args=[row.pk])
    assert client.post(change, {"state": "sent"}).status_code == 403
    row.refresh_from_db()
    assert row.state == State.PENDING
    client.force_login(org.head_a.user)  # staff of the admin desk, not of this
    assert client.get(reverse("admin:bureau_outboxmessage_changelist")).status_code in (
        302,
        403,
    )
