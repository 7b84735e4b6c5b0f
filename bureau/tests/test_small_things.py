"""Issue 16 item 9: the unread count on 通知 and notifications read when opened;
the profile page; GET on logout; the favicon; each log line once; the next session
outside working hours; the leave form's signature line."""

import datetime
import io
import logging
import sys

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.log import configure_logging

from approvals.models import Notification
from approvals.notify import _emails_of, notify_person
from bureau.models import ActingAssignment, Role
from bureau.workdays import TZ

pytestmark = pytest.mark.django_db

TUESDAY_EVENING = datetime.datetime(2026, 11, 3, 19, 0, tzinfo=TZ)


def test_menu_counts_unread_notifications_and_opening_one_reads_it(org, client_for):
    """ORG: 通知 shows the unread count; opening a notification marks it read and
    goes to its link; another person's notification is 404."""
    one = notify_person(org.a1, title="请销假", url="/leave/")
    notify_person(org.a1, title="会议通知", url="/meetings/")
    client = client_for(org.a1)
    page = client.get("/").content.decode()
    assert 'id="nav-badge-notifications">2<' in page
    response = client.get(reverse("approvals:notification_open", args=[one.pk]))
    assert response.status_code == 302 and response.url == "/leave/"
    one.refresh_from_db()
    assert one.read_at is not None
    assert 'id="nav-badge-notifications">1<' in client.get("/").content.decode()
    other = client_for(org.b1).get(
        reverse("approvals:notification_open", args=[one.pk])
    )
    assert other.status_code == 404


def test_notification_with_an_outside_link_goes_to_the_list(org, client_for):
    """A stored link to another site is never followed."""
    note = Notification.objects.create(
        recipient=org.a1, title="x", url="//evil.example/"
    )
    response = client_for(org.a1).get(
        reverse("approvals:notification_open", args=[note.pk])
    )
    assert response.url == reverse("approvals:notifications")


def test_profile_shows_details_roles_and_stand_ins_and_turns_email_off(org, client_for):
    """The profile lists my details, my roles by their labels, who stands in for me;
    e-mail copies can be turned off (and then none are sent)."""
    org.a1.user.email = "a1@example.org"
    org.a1.user.save()
    ActingAssignment.objects.create(
        principal=org.a1,
        stand_in=org.a2,
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2099, 11, 3),
    )
    client = client_for(org.a1)
    page = client.get(reverse("profile")).content.decode()
    with translation.override("zh-hans"):
        role = str(Role.BUREAU_STAFF.label)
    assert org.a1.employee_no in page and role in page and "a2" in page
    assert "bureau_staff" not in page
    assert _emails_of([Notification(recipient=org.a1)])
    response = client.post(reverse("profile"), {})
    assert response.status_code == 302
    org.a1.refresh_from_db()
    assert org.a1.email_notifications is False
    assert _emails_of([Notification(recipient=org.a1)]) == {}
    client.post(reverse("profile"), {"email_notifications": "1"})
    org.a1.refresh_from_db()
    assert org.a1.email_notifications is True


def test_logout_by_get_shows_a_button_and_post_logs_out(org, client_for):
    """GET /accounts/logout/ is a page with a logout button, not a blank 405."""
    client = client_for(org.a1)
    page = client.get(reverse("logout"))
    assert page.status_code == 200 and 'id="logout-button"' in page.content.decode()
    assert client.get("/").status_code == 200  # still logged in
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


def test_favicon_is_served_locally(client, org, client_for):
    """/favicon.ico leads to the bureau's own icon; every page links it."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and "bureau/favicon.svg" in response.url
    assert 'rel="icon"' in client_for(org.a1).get("/").content.decode()


def test_home_outside_working_hours_says_when_the_next_session_opens(org, client_for):
    """CAL: on a working Tuesday at 19:00 the home page names Wednesday 08:00."""
    with time_machine.travel(TUESDAY_EVENING, tick=False):
        page = client_for(org.a1).get("/").content.decode()
    assert 'id="next-session"' in page and "2026-11-04" in page and "08:00" in page


def test_home_in_a_session_does_not_announce_the_next(org, client_for):
    with time_machine.travel(TUESDAY_EVENING.replace(hour=9), tick=False):
        page = client_for(org.a1).get("/").content.decode()
    assert 'id="next-session"' not in page


def test_each_log_line_is_printed_once(monkeypatch):
    """dev.py up: a warning of Django's (e.g. Not Found) is printed once, not by
    both Django's console handler and the root's."""
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    try:
        logging.getLogger("django.request").warning("Not Found: /nowhere")
        logging.getLogger("django.server").info("GET /nowhere 404")
    finally:
        monkeypatch.undo()
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    text = stream.getvalue()
    assert text.count("Not Found: /nowhere") == 1
    assert text.count("GET /nowhere 404") == 1
