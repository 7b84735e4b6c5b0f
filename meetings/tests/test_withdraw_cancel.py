"""MTG-1: withdrawing an item (its proposer, while no meeting has decided it) and
cancelling a planned meeting (the organisers), each a page with a confirmation step
that says what will be recorded; permissions by URL; bad input changes nothing."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from approvals.models import ApprovalRequest, Notification
from meetings import services
from meetings.models import BUREAU_AFFAIRS, TOPIC, Item, Meeting
from meetings.selectors import items_to_schedule
from meetings.services import MeetingError
from meetings.testing import accepted_item, held_meeting, pdf

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def _propose(org, who=None):
    who = who or org.head_b
    return services.item_propose(
        by=who.user, kind=BUREAU_AFFAIRS, title="购置复印机", upload=pdf()
    )


def _plan(org, kind=BUREAU_AFFAIRS, chair=None):
    return services.meeting_plan(
        by=org.head_a.user,
        kind=kind,
        title="第12次局务会",
        planned_on=datetime.date(2026, 12, 7),
        chair=chair or org.director,
    )


def _state(item):
    item.refresh_from_db()
    return item.status, item.meeting_id, item.withdraw_reason


# --- withdrawing an item --------------------------------------------------------------


def test_mtg1_withdraw_pending_item_through_the_confirmation(org, client_for):
    """Step 1 shows what will be recorded and changes nothing; step 2 withdraws
    the item and its approval, with the reason."""
    item = _propose(org)
    client = client_for(org.head_b)
    page = client.get(url("item", item.pk)).content.decode()
    assert url("item_withdraw", item.pk) in page
    assert client.get(url("item_withdraw", item.pk)).status_code == 200
    response = client.post(url("item_withdraw", item.pk), {"reason": "情况已变化"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="withdraw-confirm"' in html
    assert "情况已变化" in html and "分管领导" in html
    assert _state(item) == (Item.Status.PROPOSED, None, "")
    response = client.post(
        url("item_withdraw", item.pk), {"reason": "情况已变化", "confirm": "1"}
    )
    assert response.status_code == 302
    assert _state(item) == (Item.Status.WITHDRAWN, None, "情况已变化")
    assert item.withdrawn_at is not None
    assert item.history.first().history_user == org.head_b.user
    assert item.current_approval.status == ApprovalRequest.Status.WITHDRAWN
    assert "情况已变化" in client.get(url("item", item.pk)).content.decode()


def test_mtg1_withdraw_scheduled_item_leaves_the_agenda(org, client_for):
    """On a planned meeting's agenda: it leaves the agenda and the comprehensive
    section is told; the approval (accepted) stays as it was decided."""
    item = accepted_item(org.head_b, title="法规股议题")
    meeting = _plan(org)
    services.meeting_set_agenda(meeting=meeting, items=[item], by=org.head_a.user)
    client = client_for(org.head_b)
    html = client.post(url("item_withdraw", item.pk), {"reason": "另行处理"})
    assert meeting.title in html.content.decode()
    client.post(url("item_withdraw", item.pk), {"reason": "另行处理", "confirm": "1"})
    assert _state(item) == (Item.Status.WITHDRAWN, None, "另行处理")
    assert not meeting.agenda.exists()
    assert item.current_approval.status == ApprovalRequest.Status.APPROVED
    told = Notification.objects.filter(recipient=org.head_a).latest("pk")
    assert "法规股议题" in told.body and "另行处理" in told.body


def test_mtg1_withdraw_accepted_item_waiting_for_a_meeting(org):
    item = accepted_item(org.head_b)
    services.item_withdraw(item=item, by=org.head_b.user, reason="不再需要")
    assert _state(item) == (Item.Status.WITHDRAWN, None, "不再需要")
    assert item not in items_to_schedule()


def test_mtg1_withdraw_permissions_by_url(org, client_for):
    """Only the proposer: a colleague of the section who sees the item gets 403,
    a leader who sees it 403, another section 404, nobody logged in the login
    page; nothing changes."""
    item = _propose(org, who=org.head_a)
    target = url("item_withdraw", item.pk)
    for who in (org.a1, org.director, org.dep_a):
        client = client_for(who)
        assert client.get(target).status_code == 403
        assert client.post(target, {"reason": "x", "confirm": "1"}).status_code == 403
        assert target not in client.get(url("item", item.pk)).content.decode()
    for who in (org.b1, org.head_b):
        assert client_for(who).get(target).status_code == 404
    response = Client().get(target)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert _state(item) == (Item.Status.PROPOSED, None, "")


def test_mtg1_decided_item_cannot_be_withdrawn(org, client_for):
    _meeting, (decision,) = held_meeting(org, proposers=[org.head_b])
    item = decision.item
    client = client_for(org.head_b)
    response = client.get(url("item_withdraw", item.pk))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="withdraw-refused"' in html
    assert "不能撤回" in html
    response = client.post(
        url("item_withdraw", item.pk), {"reason": "x", "confirm": "1"}
    )
    assert response.status_code == 200
    assert _state(item)[0] == Item.Status.DECIDED
    with pytest.raises(MeetingError, match="不能撤回"):
        services.item_withdraw(item=item, by=org.head_b.user, reason="x")


@pytest.mark.parametrize("reason", ["", "   ", "长" * 201])
def test_mtg1_withdraw_bad_reason_is_refused_and_nothing_changes(
    org, client_for, reason
):
    item = _propose(org)
    response = client_for(org.head_b).post(
        url("item_withdraw", item.pk), {"reason": reason, "confirm": "1"}
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert _state(item) == (Item.Status.PROPOSED, None, "")
    assert item.current_approval.status == ApprovalRequest.Status.PENDING


def test_mtg1_withdraw_service_refusals(org):
    item = _propose(org)
    with pytest.raises(MeetingError, match="只有提出人"):
        services.item_withdraw(item=item, by=org.b1.user, reason="x")
    with pytest.raises(MeetingError, match="说明"):
        services.item_withdraw(item=item, by=org.head_b.user, reason=" ")
    services.item_withdraw(item=item, by=org.head_b.user, reason="x")
    with pytest.raises(MeetingError, match="已撤回"):
        services.item_withdraw(item=item, by=org.head_b.user, reason="x")


# --- cancelling a meeting -------------------------------------------------------------


def test_mtg1_cancel_meeting_through_the_confirmation(org, client_for):
    """Step 1 lists what will be recorded (the items going back) and changes
    nothing; step 2 cancels: the items wait for a meeting again, still accepted."""
    item = accepted_item(org.head_b, title="法规股议题")
    meeting = _plan(org)
    services.meeting_set_agenda(meeting=meeting, items=[item], by=org.head_a.user)
    client = client_for(org.head_a)
    assert (
        url("cancel", meeting.pk)
        in client.get(url("detail", meeting.pk)).content.decode()
    )
    response = client.post(url("cancel", meeting.pk), {"reason": "局长外出开会"})
    html = response.content.decode()
    assert 'id="cancel-confirm"' in html and "法规股议题" in html
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    response = client.post(
        url("cancel", meeting.pk), {"reason": "局长外出开会", "confirm": "1"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == ("cancelled", "局长外出开会")
    assert meeting.cancelled_by == org.head_a.user and meeting.minutes_number is None
    assert _state(item) == (Item.Status.ACCEPTED, None, "")
    page = client.get(url("detail", meeting.pk)).content.decode()
    assert "局长外出开会" in page and url("record", meeting.pk) not in page
    # A cancelled meeting is neither recorded nor given an agenda.
    assert client.get(url("record", meeting.pk)).status_code == 302
    with pytest.raises(MeetingError, match="已取消"):
        services.meeting_set_agenda(meeting=meeting, items=[item], by=org.head_a.user)
    with pytest.raises(MeetingError, match="已取消"):
        services.meeting_record(
            meeting=meeting,
            by=org.head_a.user,
            held_on=datetime.date(2026, 11, 2),
            chair=org.director,
            attended=[org.director],
            decisions={},
            notes="x",
        )


def test_mtg1_cancel_permissions_by_url(org, client_for):
    """The organisers only: staff, another section's head and a deputy who sees
    every meeting get 403; someone who may not see the meeting 403 first (not an
    organiser); nothing changes."""
    meeting = _plan(org, kind=TOPIC, chair=org.dep_a)
    target = url("cancel", meeting.pk)
    for who in (org.a1, org.head_b, org.dep_a, org.director, org.b1):
        client = client_for(who)
        assert client.get(target).status_code == 403
        assert client.post(target, {"reason": "x", "confirm": "1"}).status_code == 403
    assert client_for(org.director).get(url("detail", meeting.pk)).status_code == 200
    assert (
        target
        not in client_for(org.director).get(url("detail", meeting.pk)).content.decode()
    )
    response = Client().get(target)
    assert response.status_code == 302 and "/login/" in response["Location"]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_mtg1_held_meeting_cannot_be_cancelled(org, client_for):
    meeting, _decisions = held_meeting(org)
    response = client_for(org.head_a).post(
        url("cancel", meeting.pk), {"reason": "x", "confirm": "1"}
    )
    assert response.status_code == 200
    assert 'id="cancel-refused"' in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.is_held
    with pytest.raises(MeetingError, match="不能取消"):
        services.meeting_cancel(meeting=meeting, by=org.head_a.user, reason="x")


@pytest.mark.parametrize("reason", ["", "长" * 201])
def test_mtg1_cancel_bad_reason_is_refused_and_nothing_changes(org, client_for, reason):
    meeting = _plan(org)
    response = client_for(org.head_a).post(
        url("cancel", meeting.pk), {"reason": reason, "confirm": "1"}
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_mtg1_cancelled_month_still_gets_the_monthly_reminder(org):
    """A cancelled director's office meeting is not the month's meeting: the
    comprehensive section is still reminded from the 20th."""
    meeting = services.meeting_plan(
        by=org.head_a.user,
        kind="director_office",
        title="局长办公会议",
        planned_on=datetime.date(2026, 11, 25),
        chair=org.director,
    )
    services.meeting_cancel(meeting=meeting, by=org.head_a.user, reason="改期")
    sent = services.remind_monthly_meetings(
        today=datetime.date(2026, 11, 20), commit=False
    )
    assert [kind.code for kind, _people in sent] == ["director_office"]
