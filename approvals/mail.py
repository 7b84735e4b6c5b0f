"""E-mail of notifications and the daily digest of pending decisions."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import ApprovalStep, DigestSent, Notification
from approvals.notify import document_clerks, notification_mail, notify_person
from approvals.selectors import waiting_for_county
from bureau.models import Person
from bureau.outbox import mails_after_commit


def email_pending(notification_ids: list[int]) -> int:
    """Hand the notifications not e-mailed yet to the outbox (a task queued before
    the outbox existed); safe to run twice (emailed_at, and the outbox key)."""
    with transaction.atomic():
        notifications = list(
            Notification.objects.select_for_update()
            .filter(pk__in=notification_ids, emailed_at__isnull=True)
            .filter(recipient__user__email__gt="")
            .select_related("recipient__user")
        )
        mails_after_commit(
            notification_mail(n, n.recipient.user.email) for n in notifications
        )
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
            emailed_at=timezone.now()
        )
    return len(notifications)


def pending_counts() -> dict[int, int]:
    """{person id: decisions waiting for them} (uses the inbox index).

    The document clerk's count includes the county decisions to record (LV-3, LV-4).
    """
    counts = dict(
        ApprovalStep.objects.filter(
            status=ApprovalStep.Status.PENDING, approver__isnull=False
        )
        .values_list("approver_id")
        .annotate(n=Count("pk"))
        .values_list("approver_id", "n")
    )
    county = waiting_for_county().count()
    if county:
        for clerk in document_clerks():
            counts[clerk.pk] = counts.get(clerk.pk, 0) + county
    return counts


def digest_send(*, on: datetime.date, commit: bool) -> list[tuple[Person, int]]:
    """Each approver with pending decisions gets one digest a day (in-app + e-mail)."""
    counts = pending_counts()
    done = set(
        DigestSent.objects.filter(day=on, recipient_id__in=counts).values_list(
            "recipient_id", flat=True
        )
    )
    people = Person.objects.filter(pk__in=set(counts) - done).select_related("user")
    clerks = {clerk.pk for clerk in document_clerks()}
    result = []
    for person in people:
        result.append((person, counts[person.pk]))
        if not commit:
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(
                    recipient=person, day=on, pending=counts[person.pk]
                )
                notify_person(
                    person,
                    title=_("%(n)s requests are waiting for your decision")
                    % {"n": counts[person.pk]},
                    url=reverse("admin:approvals_approvalrequest_changelist")
                    + "?waiting=external"
                    if person.pk in clerks
                    else reverse("approvals:inbox"),
                )
        except IntegrityError:
            continue  # another run sent it already
    return result
