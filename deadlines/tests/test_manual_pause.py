"""A deadline's own page: its clock and pause history for whoever sees it, and —
only where the kind declares `pausable` — pausing and resuming by hand, by the
person responsible or a leader over them, after a confirmation that says what will
be recorded (and the new due date). No kind of the bureau is pausable by hand
today (LV-9's clock runs by its rule), so these tests register a kind that is."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from bureau.workdays import TZ
from deadlines.models import Deadline, DeadlineEvent
from deadlines.registry import register_deadline_kind, unregister_deadline_kind
from deadlines.services import (
    DeadlineError,
    deadline_meet,
    deadline_open,
    deadline_pause_by_hand,
)

from .conftest import MONDAY, TOY_DEFAULT

pytestmark = pytest.mark.django_db
PAUSABLE = "test.pausable"
THURSDAY = MONDAY + datetime.timedelta(days=3)  # 2026-03-05


@pytest.fixture
def pausable_kind():
    kind = register_deadline_kind(
        PAUSABLE,
        rule="PET-2",
        legal_basis="信访条例第二十二条",
        label="受理告知（可暂停）",
        policy_key="deadlines.test_pausable",
        default=TOY_DEFAULT,
        responsible=lambda person: person,
        url=lambda object_id: f"/toy/{object_id}/",
        describe=lambda person: f"{person.name}的来信",
        pausable=True,
    )
    yield kind
    unregister_deadline_kind(PAUSABLE)


@pytest.fixture
def on_thursday():
    with time_machine.travel(
        datetime.datetime.combine(THURSDAY, datetime.time(9), tzinfo=TZ), tick=False
    ):
        yield


def url(name, deadline):
    return reverse(f"deadlines:{name}", args=[deadline.pk])


def _events(deadline):
    return list(deadline.events.values_list("kind", "on", "reason"))


def test_pause_by_hand_is_only_where_the_kind_allows_it(
    org, open_toy, client_for, on_thursday
):
    """The toy kind (like every kind of the bureau today) is not pausable: its
    page shows the (empty) history and says so; no pause link; the pause URL is
    403; the service refuses."""
    deadline = open_toy(org.a1)
    client = client_for(org.a1)
    html = client.get(url("detail", deadline)).content.decode()
    assert 'id="pause-history"' in html and 'id="not-pausable"' in html
    assert url("pause", deadline) not in html
    assert client.get(url("pause", deadline)).status_code == 403
    with pytest.raises(DeadlineError, match="不能手动暂停"):
        deadline_pause_by_hand(deadline=deadline, by=org.a1.user, reason="等待材料")
    assert not DeadlineEvent.objects.exists()


def test_responsible_pauses_3_days_and_the_due_date_moves_by_3(
    org, pausable_kind, client_for
):
    """Pause on Thursday, resume on Sunday: the confirmation steps say what will be
    recorded (and the new due date) and change nothing; the due date moves from
    03-17 to 03-20; the history shows who, when and why."""
    deadline = deadline_open(kind=PAUSABLE, record=org.a1, start=MONDAY)
    assert deadline.due_date == datetime.date(2026, 3, 17)
    client = client_for(org.a1)
    at = datetime.datetime.combine(THURSDAY, datetime.time(9), tzinfo=TZ)
    with time_machine.travel(at, tick=False):
        html = client.get(url("detail", deadline)).content.decode()
        assert url("pause", deadline) in html and 'id="not-pausable"' not in html
        data = {"on": "2026-03-05", "reason": "等待来信人补充材料"}
        response = client.post(url("pause", deadline), data)
        assert 'id="hold-confirm"' in response.content.decode()
        assert "2026-03-05" in response.content.decode()
        assert _events(deadline) == []
        response = client.post(url("pause", deadline), {**data, "confirm": "1"})
        assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.due_date is None
    assert _events(deadline) == [("pause", THURSDAY, "等待来信人补充材料")]
    assert deadline.events.get().by == org.a1.user
    sunday = datetime.datetime(2026, 3, 8, 10, tzinfo=TZ)
    with time_machine.travel(sunday, tick=False):
        html = client.get(url("detail", deadline)).content.decode()
        assert url("resume", deadline) in html and "等待来信人补充材料" in html
        data = {"on": "2026-03-08", "reason": "材料已补齐"}
        response = client.post(url("resume", deadline), data)
        assert "2026-03-20" in response.content.decode()  # the new due date
        assert len(_events(deadline)) == 1
        client.post(url("resume", deadline), {**data, "confirm": "1"})
    deadline.refresh_from_db()
    assert deadline.due_date == datetime.date(2026, 3, 20)
    assert [e[0] for e in _events(deadline)] == ["pause", "resume"]


@pytest.mark.parametrize(
    ("who", "detail", "pause"),
    [
        ("a1", 200, 200),  # responsible
        ("head_a", 200, 200),  # the section head over a1
        ("dep_a", 200, 200),  # the deputy in charge of a1's section
        ("director", 200, 200),
        ("a2", 404, 404),  # a colleague: not theirs to see
        ("b1", 404, 404),
        ("head_b", 404, 404),  # another section's head
        ("admin", 200, 403),  # sees every deadline, is no leader over a1
    ],
)
def test_who_may_pause_by_url(
    org, pausable_kind, client_for, on_thursday, who, detail, pause
):
    deadline = deadline_open(kind=PAUSABLE, record=org.a1, start=MONDAY)
    client = client_for(getattr(org, who))
    assert client.get(url("detail", deadline)).status_code == detail
    assert client.get(url("pause", deadline)).status_code == pause
    response = client.post(
        url("pause", deadline), {"on": "2026-03-05", "reason": "x", "confirm": "1"}
    )
    assert response.status_code == (302 if pause == 200 else pause)
    assert len(_events(deadline)) == (1 if pause == 200 else 0)


def test_nobody_logged_in_goes_to_the_login_page(org, pausable_kind):
    deadline = deadline_open(kind=PAUSABLE, record=org.a1, start=MONDAY)
    for name in ("detail", "pause", "resume"):
        response = Client().get(url(name, deadline))
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("on", "reason", "message"),
    [
        ("2026-03-05", "", "必填"),
        ("2026-03-05", "a\x00b", None),  # refused by the parameter middleware
        ("2026-03-06", "等待材料", "不能晚于今天"),  # tomorrow
        ("2026-02-27", "等待材料", "不能早于"),  # before the start
        ("1900-01-01", "等待材料", ""),
        ("not a date", "等待材料", ""),
        ("2026-03-05", "长" * 201, ""),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_changes(
    org, pausable_kind, client_for, on_thursday, on, reason, message
):
    deadline = deadline_open(kind=PAUSABLE, record=org.a1, start=MONDAY)
    response = client_for(org.a1).post(
        url("pause", deadline), {"on": on, "reason": reason, "confirm": "1"}
    )
    html = response.content.decode()
    if message is None:
        assert response.status_code == 400
    else:
        assert response.status_code == 200 and "errorlist" in html
        assert message in html
    assert _events(deadline) == []
    deadline.refresh_from_db()
    assert deadline.due_date == datetime.date(2026, 3, 17)


def test_a_closed_deadline_is_not_paused(org, pausable_kind, client_for, on_thursday):
    deadline = deadline_open(kind=PAUSABLE, record=org.a1, start=MONDAY)
    deadline_meet(deadline=deadline, by=org.a1.user)
    client = client_for(org.a1)
    html = client.get(url("detail", deadline)).content.decode()
    assert url("pause", deadline) not in html
    assert client.get(url("pause", deadline)).status_code == 403
    assert Deadline.objects.get().state == Deadline.State.MET


def test_pausing_twice_says_the_clock_is_stopped(
    org, pausable_kind, client_for, on_thursday
):
    deadline = deadline_open(kind=PAUSABLE, record=org.a1, start=MONDAY)
    deadline_pause_by_hand(deadline=deadline, by=org.a1.user, reason="等待材料")
    client = client_for(org.a1)
    response = client.get(url("pause", deadline))
    assert response.status_code == 302
    assert client.get(url("resume", deadline)).status_code == 200
    with pytest.raises(DeadlineError, match="已暂停计时"):
        deadline_pause_by_hand(deadline=deadline, by=org.a1.user, reason="再次")


def test_the_pages_link_to_the_deadline(org, open_toy, client_for, on_thursday):
    deadline = open_toy(org.a1)
    html = client_for(org.a1).get(reverse("deadlines:mine")).content.decode()
    assert url("detail", deadline) in html
