"""SVC-4: A and B posts. B's queue shows A's matters with the banner while A is on
approved leave or out on business; approving a leave that would take A and B
away together warns the approver; handovers logged; a window with neither post
present is flagged."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from approvals.services import approval_decide
from attendance.services.going_out import going_out_decide, going_out_report
from bureau.workdays import TZ
from leave.services import leave_submit
from window import selectors, services
from window.models import Handover
from window.tests.conftest import NOW, TUESDAY, materials

pytestmark = pytest.mark.django_db


def _leave(person, start, end=None):
    return leave_submit(
        by=person.user,
        leave_type="personal",
        start_date=start,
        start_half="am",
        end_date=end or start,
        end_half="pm",
        reason="家中有事",
        handover_note="窗口事项由B岗办理",
    )


def _approve(leave, by):
    approval_decide(request=leave.approval, by=by.user, decision="approve")
    leave.refresh_from_db()
    assert leave.status == "approved"
    return leave


def _matter_of_a(org):
    return services.contact_log(
        window=org.window,
        visitor="张三",
        summary="办证",
        outcome="notified",
        service=org.service,
        missing=materials(org.old_version, "结婚证"),
        by=org.u1.user,
    ).matter


def test_svc4_b_sees_a_matters_during_a_leave_with_the_banner(win, frozen, client_for):
    matter = _matter_of_a(win)
    assert matter not in selectors.queue_for(win.u2, NOW)["matters"]
    _approve(_leave(win.u1, TUESDAY), win.unit_head)
    queue = selectors.queue_for(win.u2, NOW)
    assert matter in queue["matters"]
    assert queue["standing_in"][0]["principal"] == win.u1
    page = client_for(win.u2).get(reverse("window:queue")).content.decode()
    assert f'data-standing-in="{win.u1.pk}"' in page
    assert f'data-matter="{matter.pk}"' in page
    # The day after the leave, A is back: B's queue is B's own again.
    tomorrow = NOW + datetime.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        assert matter not in selectors.queue_for(win.u2, tomorrow)["matters"]


def test_svc4_a_pending_leave_does_not_make_b_stand_in(win, frozen):
    _matter_of_a(win)
    _leave(win.u1, TUESDAY)  # asked, not approved
    assert selectors.queue_for(win.u2, NOW)["standing_in"] == []


def test_svc4_going_out_makes_the_post_away(win, frozen):
    """An acknowledged going-out (attendance, registered as an absence provider)
    makes B stand in for A during that half day."""
    matter = _matter_of_a(win)
    going = going_out_report(
        by=win.u1.user,
        leaves_at=NOW + datetime.timedelta(minutes=5),
        expected_return=NOW + datetime.timedelta(hours=1),
        destination="县医院",
        reason="送材料",
    )
    going_out_decide(by=win.unit_head.user, going_out_id=going.pk, acknowledge=True)
    queue = selectors.queue_for(win.u2, NOW)
    assert matter in queue["matters"]
    assert "县医院" in queue["standing_in"][0]["reason"]
    # The afternoon is not concerned.
    afternoon = datetime.datetime(2026, 11, 10, 15, tzinfo=TZ)
    assert selectors.queue_for(win.u2, afternoon)["standing_in"] == []


def test_svc4_a_window_with_neither_post_present_is_flagged(win, frozen, client_for):
    _approve(_leave(win.u1, TUESDAY), win.unit_head)
    assert selectors.unstaffed_windows([win.window], TUESDAY, "am") == []
    _approve(_leave(win.u2, TUESDAY), win.unit_head)
    assert selectors.unstaffed_windows([win.window], TUESDAY, "am") == [win.window]
    page = client_for(win.unit_head).get(reverse("window:windows"))
    assert b'class="unstaffed"' in page.content
    home = client_for(win.unit_head).get("/").content.decode()
    assert "my-window" in home and 'role="alert"' in home


def test_svc4_approving_leave_that_empties_the_window_warns_the_approver(
    win, frozen, client_for
):
    """B is on approved leave on Thu 12 Nov; A asks for Wed 11 – Thu 12: the
    approver's decision page warns about Thursday."""
    _approve(_leave(win.u2, datetime.date(2026, 11, 12)), win.unit_head)
    leave = _leave(win.u1, datetime.date(2026, 11, 11), datetime.date(2026, 11, 12))
    client = client_for(win.unit_head)
    # The queue (home, inbox, admin) leads to the one decision page.
    page = client.get(
        reverse("approvals:detail", args=[leave.approval.pk])
    ).content.decode()
    warning = re.search(r"window-staffing-warning.*?</div>", page, re.S).group(0)
    assert "11-12" in warning and "11-11" not in warning


def test_svc4_no_warning_when_the_other_post_is_present(win, frozen, client_for):
    leave = _leave(win.u1, datetime.date(2026, 11, 11))
    page = client_for(win.unit_head).get(
        reverse("approvals:detail", args=[leave.approval.pk])
    )
    assert page.status_code == 200
    assert "window-staffing-warning" not in page.content.decode()


def test_svc4_every_handover_is_logged(win, frozen, client_for):
    _matter_of_a(win)
    client = client_for(win.u1)
    response = client.post(
        reverse("window:handover", args=[win.window.pk]),
        {"reason": "away", "note": "下乡"},
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert (handover.from_person, handover.to_person) == (win.u1, win.u2)
    assert handover.open_matters == 1
    client.post(reverse("window:handover", args=[win.window.pk]), {"reason": "back"})
    back = Handover.objects.order_by("-pk").first()
    assert (back.from_person, back.to_person) == (win.u2, win.u1)
    # Someone else cannot log a handover at the window (404: not their window).
    other = client_for(win.a1).post(
        reverse("window:handover", args=[win.window.pk]), {"reason": "away"}
    )
    assert other.status_code == 404
    assert Handover.objects.count() == 2


def test_svc4_empty_window_is_flagged_on_the_whereabouts_board(win, frozen, client_for):
    """Both posts on approved leave on Tue 10 Nov: the board of the window's unit
    says so (attendance's board-notice registry), to everyone who sees the board;
    with one post present, nothing."""
    url = reverse("attendance:board", args=[win.unit.pk])
    _approve(_leave(win.u1, TUESDAY), win.unit_head)
    page = client_for(win.unit_head).get(url).content.decode()
    assert 'id="board-notices"' not in page
    _approve(_leave(win.u2, TUESDAY), win.unit_head)
    page = client_for(win.unit_head).get(url).content.decode()
    notices = re.search(r'id="board-notices".*?</ul>', page, re.S).group(0)
    assert win.window.name in notices
    assert win.u1.name in notices and win.u2.name in notices
    assert reverse("window:windows") in notices
    # The next day both are back: no notice.
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        page = client_for(win.unit_head).get(url).content.decode()
    assert 'id="board-notices"' not in page
