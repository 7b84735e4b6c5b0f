"""In-app notifications, and their e-mail through the outbox (sent after commit,
kept if the broker or mail server is away; console backend by default)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.hooks import hooks_for, label_of
from approvals.models import ApprovalRequest, Notification
from bureau.models import Person, Role
from bureau.outbox import Mail, mails_after_commit
from bureau.rulebook import without_rule_refs


def subject_url(request: ApprovalRequest) -> str:
    """The page of the request's subject (its chapter's registered url)."""
    model = ContentType.objects.get_for_id(request.content_type_id).model_class()
    hooks = hooks_for(label_of(model))
    if hooks is not None and hooks.url is not None:
        return hooks.url(request.object_id)
    return reverse("approvals:notifications")


def document_clerks() -> list[Person]:
    return list(
        Person.objects.filter(
            is_active=True, user__groups__name=Role.DOCUMENT_CLERK
        ).distinct()
    )


def send(messages, request: ApprovalRequest) -> list[Notification]:
    """Turn the engine's events into notifications; e-mail them after commit."""
    inbox = reverse("approvals:inbox")
    rows = []
    for event, step in messages:
        if event == "decide" and step.approver_id:
            rows.append(
                Notification(
                    recipient_id=step.approver_id,
                    request=request,
                    title=_("Waiting for your decision: %(summary)s")
                    % {"summary": request.summary},
                    body=_("Requested by %(name)s. Step %(order)s: %(action)s.")
                    % {
                        "name": request.requester.name,
                        "order": step.order,
                        "action": step.get_action_display(),
                    },
                    # Straight to the one decision page.
                    url=reverse("approvals:detail", args=[request.pk]),
                )
            )
        elif event == "decide" and step.action == "meeting":
            for clerk in document_clerks():
                rows.append(
                    Notification(
                        recipient=clerk,
                        request=request,
                        title=_("Meeting decision to record: %(summary)s")
                        % {"summary": request.summary},
                        body=_("Waiting for: %(who)s.") % {"who": step.who},
                        url=reverse("admin:approvals_approvalrequest_changelist")
                        + "?waiting=meeting",
                    )
                )
        elif event == "decide":
            for clerk in document_clerks():
                rows.append(
                    Notification(
                        recipient=clerk,
                        request=request,
                        title=_("County decision to record: %(summary)s")
                        % {"summary": request.summary},
                        body=_("Waiting for: %(who)s.") % {"who": step.who},
                        url=reverse("admin:approvals_approvalrequest_changelist")
                        + "?waiting=external",
                    )
                )
        elif event == "inform" and step.approver_id:
            rows.append(
                Notification(
                    recipient_id=step.approver_id,
                    request=request,
                    title=_("For your information: %(summary)s")
                    % {"summary": request.summary},
                    body=_("Requested by %(name)s.") % {"name": request.requester.name},
                    url=inbox,
                )
            )
        elif event == "withdrawn" and step.approver_id:
            rows.append(
                Notification(
                    recipient_id=step.approver_id,
                    request=request,
                    title=_("Withdrawn by the requester: %(summary)s")
                    % {"summary": request.summary},
                    url=inbox,
                )
            )
        elif event == "outcome" and request.status != ApprovalRequest.Status.WITHDRAWN:
            rows.append(
                Notification(
                    recipient_id=request.requester_id,
                    request=request,
                    title=_("Your request is %(status)s: %(summary)s")
                    % {
                        "status": request.get_status_display(),
                        "summary": request.summary,
                    },
                    url=subject_url(request),
                )
            )
    if not rows:
        return []
    # The requester and the steps' approvers were read with their logins under
    # the request's lock: their addresses need no query of their own.
    known = [request.requester, *(step.approver for _e, step in messages if step)]
    emails = _emails_of(rows, known=known)
    created = Notification.objects.bulk_create(rows)
    _mail(created, emails)
    return created


def notify_person(person: Person, *, title: str, body: str = "", url: str = ""):
    """A plain notification for other chapters (e.g. a leave return reminder).
    A title is a label: a rule ID in it is left out (rule IDs are help text)."""
    title = without_rule_refs(title)[:200]
    notification = Notification(recipient=person, title=title, body=body, url=url)
    emails = _emails_of([notification])
    notification.save()
    _mail([notification], emails)
    return notification


def _emails_of(notifications: list[Notification], known=()) -> dict[int, str]:
    """{person id: e-mail address} of the recipients who have one (one query, none
    when every recipient is among `known` people read with their logins); their
    notifications are stamped as handed to the outbox."""
    ids = {n.recipient_id for n in notifications}
    loaded = {
        person.pk: person
        for person in known
        if person is not None
        and (person.user_id is None or Person.user.is_cached(person))
    }
    if ids <= loaded.keys():
        # The same test as the query below: a login with an address, e-mail on.
        emails = {
            pk: loaded[pk].user.email
            for pk in ids
            if loaded[pk].user_id is not None
            and loaded[pk].user.email > ""
            and loaded[pk].email_notifications
        }
    else:
        emails = dict(
            Person.objects.filter(pk__in=ids)
            .filter(user__email__gt="", email_notifications=True)
            .values_list("pk", "user__email")
        )
    now = timezone.now()
    for notification in notifications:
        if notification.recipient_id in emails:
            notification.emailed_at = now
    return emails


def notification_mail(notification: Notification, address: str) -> Mail:
    return Mail(
        key=f"notification:{notification.pk}",
        subject=notification.title,
        body=f"{notification.body}\n\n{notification.url}".strip(),
        to=(address,),
    )


def digest_mail(notifications: list[Notification], address: str) -> Mail:
    """One e-mail for the notices a scan sends one person at once (a section head
    told of 40 overdue clocks gets one message listing them, not 40): each notice's
    title, text and link, in the order they were made. Keyed by the first and the
    last notification, so it is written once."""
    first, last = notifications[0], notifications[-1]
    items = "\n\n".join(f"{n.title}\n{n.body}\n{n.url}".strip() for n in notifications)
    return Mail(
        key=f"notifications:{first.pk}-{last.pk}",
        subject=_("%(count)s new notices: %(title)s, and more")
        % {"count": len(notifications), "title": first.title},
        body=f"{_('You have %(count)s new notices:') % {'count': len(notifications)}}"
        f"\n\n{items}",
        to=(address,),
    )


def _mail(notifications: list[Notification], emails: dict[int, str]) -> None:
    mails_after_commit(
        notification_mail(n, emails[n.recipient_id])
        for n in notifications
        if n.pk and n.recipient_id in emails
    )
