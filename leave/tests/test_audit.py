"""Gaps found by trying the demo as its users: history pages by URL, the date
pickers' values, the report-back card, county decision dates, the clerk's panel and
digest, the handover note."""

import datetime
import re

import pytest
from django.urls import reverse

from approvals.models import Notification
from approvals.services import approval_record_external
from bureau.models import Role
from bureau.testing import make_person
from leave.tests.conftest import MONDAY, period_of

pytestmark = pytest.mark.django_db


def _history_urls(leave):
    approval = leave.approval
    approval_version = approval.history.first().history_id
    leave_version = leave.history.first().history_id
    return [
        reverse("admin:approvals_approvalrequest_history", args=[approval.pk]),
        reverse(
            "admin:approvals_approvalrequest_simple_history",
            args=[approval.pk, approval_version],
        ),
        reverse("admin:leave_leaverequest_history", args=[leave.pk]),
        reverse(
            "admin:leave_leaverequest_simple_history", args=[leave.pk, leave_version]
        ),
    ]


def test_org3_history_pages_of_another_sections_request_are_404(
    org, frozen, ask, client_for
):
    """A section head cannot read another section's request through its history
    pages (simple-history would fall back to the history table): 404; their own
    section's history pages open."""
    mine = ask(org.a1, 0.5)
    other = ask(org.b1, 0.5)
    client = client_for(org.head_a)
    for url in _history_urls(other):
        assert client.get(url).status_code == 404, url
    for url in _history_urls(mine):
        assert client.get(url).status_code == 200, url
    unit_head = client_for(org.unit_head)
    for url in _history_urls(mine):
        assert unit_head.get(url).status_code == 404, url


def _date_values(html):
    return dict(re.findall(r'<input type="date" name="(\w+)" value="([^"]*)"', html))


def test_lv1_date_pickers_carry_iso_values(org, frozen, ask, client_for):
    """The browser's date picker shows a value only in ISO form: the new-leave form,
    the report-back form, the county decision and the filing forms prefill today."""
    client = client_for(org.a1)
    values = _date_values(client.get(reverse("leave:new")).content.decode())
    assert values == {"start_date": "2026-03-02", "end_date": "2026-03-02"}

    from approvals.forms import ExternalDecisionForm
    from leave.admin import FilingForm
    from leave.forms import ReturnForm

    assert 'value="2026-03-02"' in str(ReturnForm()["back_date"])
    assert 'value="2026-03-02"' in str(
        ExternalDecisionForm(initial={"decided_on": MONDAY})["decided_on"]
    )
    assert 'value="2026-03-02"' in str(FilingForm(initial={"filed_on": MONDAY}))


def test_lv9_report_back_card_only_once_the_leave_has_begun(
    org, frozen, ask, client_for
):
    """Approved leave that has not started yet offers no 'I am back' form; from its
    first day it does."""
    from approvals.services import approval_decide

    later = ask(org.a1, period_of(0.5, MONDAY + datetime.timedelta(days=2)))
    today = ask(org.a1, period_of(0.5, MONDAY))
    for leave in (later, today):
        approval_decide(request=leave.approval, by=org.head_a.user, decision="approve")
    client = client_for(org.a1)
    assert (
        'id="report-back"'
        not in client.get(reverse("leave:detail", args=[later.pk])).content.decode()
    )
    assert (
        'id="report-back"'
        in client.get(reverse("leave:detail", args=[today.pk])).content.decode()
    )


def _docs_clerk(org):
    return make_person(
        "docclerk",
        unit=org.organ,
        section=org.section_a,
        position="section_staff",
        duties=[Role.DOCUMENT_CLERK],
    )


def test_lv4_county_decision_date_shows_in_the_admin_chain(
    org, frozen, ask, client_for
):
    """The admin detail shows the date of the county's decision with its reference,
    not only when the clerk entered it."""
    clerk = _docs_clerk(org)
    leave = ask(org.dep_b, 2)
    from approvals.services import approval_decide

    approval_decide(request=leave.approval, by=org.director.user, decision="approve")
    approval_record_external(
        request=leave.approval,
        by=clerk.user,
        decision="approve",
        reference="示委办〔2026〕8号",
        decided_on=datetime.date(2026, 2, 27),
    )
    page = client_for(clerk).get(
        reverse("admin:approvals_approvalrequest_change", args=[leave.approval.pk])
    )
    html = page.content.decode()
    assert "示委办〔2026〕8号" in html and "2026-02-27" in html


def test_lv3_document_clerk_sees_county_decisions_on_home_and_in_the_digest(
    org, frozen, ask, client_for
):
    """The clerk's home panel counts the county decisions to record and links to
    them; the daily digest includes them (once a day)."""
    from approvals.mail import digest_send

    clerk = _docs_clerk(org)
    ask(org.director, 1)
    home = client_for(clerk).get("/").content.decode()
    assert 'id="county-to-record"' in home and "?waiting=external" in home
    sent = dict((p.pk, n) for p, n in digest_send(on=MONDAY, commit=True))
    assert sent[clerk.pk] == 1
    digest = Notification.objects.filter(recipient=clerk).latest("pk")
    assert digest.url.endswith("?waiting=external")
    assert clerk.pk not in dict(
        (p.pk, n) for p, n in digest_send(on=MONDAY, commit=True)
    )


def test_doc6_handover_note_is_required(org, frozen, client_for):
    """DOC-6: a leave request without a handover note is not accepted."""
    start, sh, end, eh = period_of(1)
    page = client_for(org.a1).post(
        reverse("leave:new"),
        {
            "leave_type": "personal",
            "start_date": start.isoformat(),
            "start_half": sh,
            "end_date": end.isoformat(),
            "end_half": eh,
            "reason": "家中有事",
            "handover_note": "",
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors["handover_note"]
    assert not org.a1.leave_requests.exists()


def test_lv9_not_back_and_not_at_work_is_absence_from_the_next_day(org, ask):
    """LV-9 / ATT-8: Monday's approved leave excuses Monday; nobody reported back and
    nobody signed in on Tuesday, so the attendance sheet records Tuesday as absence."""
    from approvals.services import approval_decide
    from attendance import services as attendance
    from attendance.excuses import _PROVIDERS
    from attendance.models import Outcome, SessionRecord
    from attendance.tests.conftest import at
    from leave.excuses import leave_excuses

    _PROVIDERS["leave"] = leave_excuses  # as registered in LeaveConfig.ready()
    leave = ask(org.b1, 1, leave_type="sick")
    approval_decide(request=leave.approval, by=org.head_b.user, decision="approve")
    approval_decide(request=leave.approval, by=org.dep_b.user, decision="approve")
    leave.refresh_from_db()
    assert leave.status == "approved" and leave.returned_at is None
    tuesday = MONDAY + datetime.timedelta(days=1)
    attendance.sheets_settle(day=MONDAY, now=at(MONDAY, 18), force=True)
    attendance.sheets_settle(day=tuesday, now=at(tuesday, 18), force=True)
    monday = SessionRecord.objects.get(person=org.b1, date=MONDAY, part="am")
    assert monday.outcome != Outcome.ABSENT and monday.excuse_kind == "leave"
    after = SessionRecord.objects.get(person=org.b1, date=tuesday, part="am")
    assert after.outcome == Outcome.ABSENT
