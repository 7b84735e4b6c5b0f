"""Reminders and escalations as in-app notifications and e-mail.

The in-app notice is approvals' Notification (its `request` is optional and
`approvals.notify.notify_person` is offered to every chapter for plain notices):
one inbox for the staff, at /approvals/notifications/, whatever sent it. Created
in bulk here (the scan may send hundreds at once). A person gets one e-mail per
batch: their one notice, or a digest listing all of theirs (a section head told of
40 overdue clocks reads one message, not 40); it goes through the outbox after
commit, keyed by the notifications, so it is sent once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from approvals.models import Notification
from approvals.notify import digest_mail, notification_mail
from bureau.models import Person
from bureau.outbox import mails_after_commit


@dataclass(frozen=True)
class Notice:
    recipient_id: int
    title: str
    body: str
    url: str


def send_notices(notices: list[Notice], batch_size: int | None = None) -> int:
    """Create the notifications and queue their e-mails: three statements,
    whatever the number of notices and recipients (on PostgreSQL each insert is
    one statement over arrays; SQLite splits at its limit of parameters)."""
    if not notices:
        return 0
    emails = dict(
        Person.objects.filter(pk__in={n.recipient_id for n in notices})
        .filter(user__email__gt="")
        .values_list("pk", "user__email")
    )
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=n.recipient_id,
            title=n.title[:200],
            body=n.body,
            url=n.url[:300],
            emailed_at=now if n.recipient_id in emails else None,
        )
        for n in notices
    ]
    created = Notification.objects.bulk_create(rows, batch_size=batch_size)
    mailed: dict[int, list[Notification]] = defaultdict(list)
    for row in created:
        if row.pk and row.recipient_id in emails:
            mailed[row.recipient_id].append(row)
    mails_after_commit(
        notification_mail(group[0], emails[recipient])
        if len(group) == 1
        else digest_mail(group, emails[recipient])
        for recipient, group in mailed.items()
    )
    return len(created)
