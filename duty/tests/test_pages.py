"""DUTY-1's pages by URL and role, the home-page reminder, forms that keep what
was typed, query counts."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from duty import services
from duty.models import Assignment, LogEntry, Roster, Swap
from duty.tests.conftest import MONDAY, at

pytestmark = pytest.mark.django_db

FESTIVAL = datetime.date(2026, 2, 15)


@pytest.fixture
def unit_roster(org, frozen):
    return services.roster_create(
        by=org.unit_head.user,
        kind="daily",
        unit=org.unit,
        title="服务站值班",
        starts_on=MONDAY,
        ends_on=MONDAY + datetime.timedelta(days=4),
        people=[org.u1.pk, org.u2.pk],
    )


def _status(client_for, who, url, method="get", data=None):
    client = client_for(who)
    return getattr(client, method)(url, data or {}).status_code


def test_duty1_pages_by_url_for_each_role(org, daily, unit_roster, client_for):
    """DUTY-1: the organ's roster: its staff and the section read it, the unit's
    people do not (404); only the arranger edits it (403 for staff). The unit's
    roster: its head edits it, its deputy in charge reads it, the organ's staff do
    not see it."""
    organ = daily.get_absolute_url()
    unit = unit_roster.get_absolute_url()
    expect = [
        (org.a1, reverse("duty:list"), 200),
        (org.u1, reverse("duty:list"), 200),
        (org.a1, organ, 200),
        (org.director, organ, 200),
        (org.head_a, organ, 200),
        (org.u1, organ, 404),
        (org.unit_head, organ, 404),
        (org.head_a, reverse("duty:edit", args=[daily.pk]), 200),
        (org.a1, reverse("duty:edit", args=[daily.pk]), 403),
        (org.u1, reverse("duty:edit", args=[daily.pk]), 404),
        (org.unit_head, unit, 200),
        (org.dep_a, unit, 200),
        (org.head_a, unit, 200),
        (org.a1, unit, 404),
        (org.unit_head, reverse("duty:edit", args=[unit_roster.pk]), 200),
        (org.dep_a, reverse("duty:edit", args=[unit_roster.pk]), 403),
        (org.head_a, reverse("duty:new"), 200),
        (org.unit_head, reverse("duty:new"), 200),
        (org.unit_head, reverse("duty:new") + f"?unit={org.organ.pk}", 404),
        (org.a1, reverse("duty:new"), 403),
        (org.a1, reverse("duty:swap_new", args=[daily.pk]), 200),
        (org.u1, reverse("duty:swap_new", args=[daily.pk]), 404),
    ]
    got = [(who.name, url, _status(client_for, who, url)) for who, url, _ in expect]
    assert got == [(who.name, url, code) for who, url, code in expect]


def test_duty1_logs_by_url(org, daily, client_for):
    """DUTY-1: Monday's log is a1's (on duty) and the section's; b1 (on duty
    Tuesday) gets 404 for Monday's and cannot write in it."""
    monday = daily.days.get(date=MONDAY)
    url = reverse("duty:log", args=[monday.pk])
    assert _status(client_for, org.a1, url) == 200
    assert _status(client_for, org.head_a, url) == 200
    assert _status(client_for, org.b1, url) == 404
    assert _status(client_for, org.u1, url) == 404
    post = {"kind": "call", "occurred_at": "2026-11-02T09:00", "content": "来电"}
    assert _status(client_for, org.b1, url, "post", post) == 404
    assert not LogEntry.objects.exists()


def test_duty1_leader_on_duty_reads_their_days_log(org, client_for):
    with time_machine.travel(at(datetime.date(2026, 2, 2), 9), tick=False):
        roster = services.roster_create(
            by=org.head_a.user,
            kind="holiday",
            unit=org.organ,
            title="春节值班",
            starts_on=FESTIVAL,
            ends_on=FESTIVAL + datetime.timedelta(days=1),
            people=[org.a1.pk],
            leaders=[org.dep_b.pk, org.dep_a.pk],
        )
    first, second = roster.days.order_by("date")
    assert _status(client_for, org.dep_b, reverse("duty:log", args=[first.pk])) == 200
    assert _status(client_for, org.dep_b, reverse("duty:log", args=[second.pk])) == 404


def test_duty1_actions_by_the_wrong_person_change_nothing(
    org, daily, unit_roster, client_for
):
    """Filing, acknowledging, deciding a swap, arriving by the wrong person."""
    assert (
        _status(
            client_for, org.a1, reverse("duty:acknowledge", args=[daily.pk]), "post"
        )
        == 403
    )
    client_for(org.u1).post(reverse("duty:file", args=[unit_roster.pk]))
    unit_roster.refresh_from_db()
    assert unit_roster.filing == Roster.Filing.UNFILED
    swap = services.swap_propose(
        by=org.a1.user, roster=daily, given_date=MONDAY, taker=org.b1
    )
    url = reverse("duty:swap_decide", args=[swap.pk])
    assert _status(client_for, org.u1, url, "post", {"decision": "agree"}) == 404
    client_for(org.a2).post(url, {"decision": "agree"})
    assert _status(client_for, org.b1, url, "post", {"decision": "maybe"}) == 400
    swap.refresh_from_db()
    assert swap.status == Swap.Status.PROPOSED
    assignment = Assignment.objects.get(day__roster=daily, day__date=MONDAY)
    assert (
        _status(
            client_for, org.b1, reverse("duty:arrive", args=[assignment.pk]), "post"
        )
        == 404
    )
    assignment.refresh_from_db()
    assert assignment.arrived_at is None


def test_duty1_unit_files_and_section_acknowledges_in_the_browser_pages(
    org, unit_roster, client_for
):
    client_for(org.unit_head).post(reverse("duty:file", args=[unit_roster.pk]))
    page = client_for(org.head_a).get(reverse("duty:list")).content.decode()
    assert "服务站值班" in page[page.index('id="to-acknowledge"') :]
    client_for(org.head_a).post(reverse("duty:acknowledge", args=[unit_roster.pk]))
    unit_roster.refresh_from_db()
    assert unit_roster.filing == Roster.Filing.ACKNOWLEDGED


# --- forms ---------------------------------------------------------------------------


def _new_roster_post(org, **extra):
    data = {
        "kind": "holiday",
        "title": "2026年春节值班",
        "starts_on": "2026-02-15",
        "ends_on": "2026-02-23",
        f"order_{org.a1.pk}": "1",
        f"order_{org.b1.pk}": "2",
        f"lead_{org.dep_a.pk}": "1",
    }
    data.update(extra)
    return data


def test_duty1_new_roster_warns_keeps_what_was_typed_then_saves_on_confirm(
    org, client_for, approved_leave
):
    """DUTY-1: b1 on leave over the festival: the form comes back with the warning
    and what was typed, nothing saved; confirmed, the roster is saved."""
    approved_leave(org.b1, datetime.date(2026, 2, 13), datetime.date(2026, 2, 25))
    client = client_for(org.head_a)
    url = reverse("duty:new") + f"?unit={org.organ.pk}"
    with time_machine.travel(at(datetime.date(2026, 2, 2), 9), tick=False):
        response = client.post(url, _new_roster_post(org))
        page = response.content.decode()
        assert response.status_code == 200
        assert "b1值班，但在休假（事假）" in page
        assert 'value="2026年春节值班"' in page
        assert not Roster.objects.exists()
        response = client.post(url, _new_roster_post(org, confirm="on"))
    roster = Roster.objects.get()
    assert response.status_code == 302 and response.url == roster.get_absolute_url()
    assert roster.days.count() == 9


def test_duty1_swap_page_warns_keeps_what_was_typed_then_swaps_on_confirm(
    org, daily, client_for, approved_leave
):
    """DUTY-1: the arranger records a swap putting b1 (on leave) on Monday: the
    form comes back with the warning, what was typed and the confirmation box,
    nothing swapped; confirmed, the swap is made and the roster page shows the
    flag. A colleague's form has no confirmation: refused."""
    approved_leave(org.b1, MONDAY, MONDAY)
    url = reverse("duty:swap_new", args=[daily.pk])
    post = {
        "giver": org.a1.pk,
        "given_date": MONDAY.isoformat(),
        "taker": org.b1.pk,
        "reason": "电话协商",
    }
    client = client_for(org.head_a)
    response = client.post(url, post)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="roster-warnings"' in page and "b1在2026-11-02不在岗（事假）" in page
    assert 'value="电话协商"' in page and 'name="confirm"' in page
    assert not Swap.objects.exists()
    response = client.post(url, {**post, "confirm": "on"})
    assert response.status_code == 302
    assert Swap.objects.get().status == Swap.Status.DONE
    page = client.get(reverse("duty:roster", args=[daily.pk])).content.decode()
    assert 'id="roster-flags"' in page
    page = client_for(org.a2).get(url).content.decode()
    assert 'name="confirm"' not in page


def test_duty1_new_roster_end_before_start_is_refused(org, client_for, frozen):
    client = client_for(org.head_a)
    response = client.post(
        reverse("duty:new"),
        _new_roster_post(org, starts_on="2026-02-23", ends_on="2026-02-15"),
    )
    assert response.status_code == 200
    assert "截止日早于起始日" in response.content.decode()
    assert not Roster.objects.exists()


def test_duty1_edit_days_fixes_the_flag(org, client_for, approved_leave):
    """DUTY-1: the edit page's grid: put a2 instead of b1 on a festival day."""
    with time_machine.travel(at(datetime.date(2026, 2, 2), 9), tick=False):
        roster = services.roster_create(
            by=org.head_a.user,
            kind="holiday",
            unit=org.organ,
            title="春节值班",
            starts_on=FESTIVAL,
            ends_on=FESTIVAL + datetime.timedelta(days=1),
            people=[org.a1.pk, org.b1.pk],
            leaders=[org.dep_a.pk],
        )
    approved_leave(org.b1, datetime.date(2026, 2, 13), datetime.date(2026, 2, 25))
    client = client_for(org.head_a)
    url = reverse("duty:edit", args=[roster.pk]) + "?month=2026-02"
    page = client.get(url).content.decode()
    assert 'name="d20260216_1"' in page
    data = {
        "d20260215_1": str(org.a1.pk),
        "d20260215_leader": str(org.dep_a.pk),
        "d20260216_1": str(org.b1.pk),
        "d20260216_leader": str(org.dep_a.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "休假" in response.content.decode()
    response = client.post(url, {**data, "d20260216_1": str(org.a2.pk)})
    assert response.status_code == 302
    assert (
        roster.days.get(date=FESTIVAL + datetime.timedelta(days=1))
        .assignments.get()
        .person
        == org.a2
    )


# --- the home page -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (at(MONDAY - datetime.timedelta(days=2), 18), None),
        (at(MONDAY - datetime.timedelta(days=1), 18), "明天值班"),
        (at(MONDAY, 7, 30), "今天值班"),
        (at(MONDAY, 11, 59), "今天值班"),
        (at(MONDAY, 12, 0), None),
    ],
)
def test_duty1_home_page_reminds_the_day_before_and_that_morning(
    org, daily, client_for, moment, shown
):
    """DUTY-1: a1, on duty Monday, sees it on the home page on Sunday and on
    Monday morning, with the window 07:45–07:50; not on Monday afternoon."""
    client = client_for(org.a1)
    with time_machine.travel(moment, tick=False):
        page = client.get("/").content.decode()
    if shown is None:
        assert 'id="my-duty"' not in page
    else:
        panel = page[page.index('id="my-duty"') :].split("</section>")[0]
        assert shown in panel and "07:45" in panel and "07:50" in panel


def test_duty1_arriving_from_the_home_page(org, daily, client_for):
    client = client_for(org.a1)
    assignment = Assignment.objects.get(day__roster=daily, day__date=MONDAY)
    with time_machine.travel(at(MONDAY, 7, 47), tick=False):
        page = client.get("/").content.decode()
        assert reverse("duty:arrive", args=[assignment.pk]) in page
        client.post(reverse("duty:arrive", args=[assignment.pk]), {"next": "/"})
    assignment.refresh_from_db()
    assert assignment.arrival == "in_window"


def test_duty1_home_page_of_someone_not_on_duty_has_no_panel(org, daily, client_for):
    with time_machine.travel(at(MONDAY, 8), tick=False):
        page = client_for(org.u1).get("/").content.decode()
    assert 'id="my-duty"' not in page


# --- query counts --------------------------------------------------------------------


def test_duty1_roster_page_costs_the_same_at_5_and_60_days(
    org, client_for, frozen, django_assert_max_num_queries
):
    def roster(days):
        return services.roster_create(
            by=org.head_a.user,
            kind="holiday",
            unit=org.organ,
            title=f"{days}天",
            starts_on=MONDAY,
            ends_on=MONDAY + datetime.timedelta(days=days - 1),
            people=[org.a1.pk, org.b1.pk, org.a2.pk],
            leaders=[org.dep_a.pk, org.dep_b.pk],
        )

    small, large = roster(5), roster(60)
    for who in (org.head_a, org.a1):
        client = client_for(who)
        client.get(small.get_absolute_url())
        with django_assert_max_num_queries(40) as few:
            client.get(small.get_absolute_url())
        with django_assert_max_num_queries(40) as many:
            client.get(large.get_absolute_url())
        assert len(many.captured_queries) == len(few.captured_queries)


def test_duty1_swap_page_and_flags_cost_the_same_at_5_and_60_days(
    org, client_for, frozen, django_assert_max_num_queries
):
    """The swap form does not grow with the roster; a roster's flags are read
    with the roster (one row), however many there are."""

    def roster(days):
        return services.roster_create(
            by=org.head_a.user,
            kind="holiday",
            unit=org.organ,
            title=f"{days}天",
            starts_on=MONDAY,
            ends_on=MONDAY + datetime.timedelta(days=days - 1),
            people=[org.a1.pk, org.b1.pk, org.a2.pk],
            leaders=[org.dep_a.pk, org.dep_b.pk],
        )

    small, large = roster(5), roster(60)
    flags = [{"date": MONDAY.isoformat(), "code": "nobody", "name": "", "reason": ""}]
    Roster.objects.filter(pk=large.pk).update(flags=flags * 60)
    client = client_for(org.head_a)
    for name in ("duty:swap_new", "duty:roster"):
        client.get(reverse(name, args=[small.pk]))
        with django_assert_max_num_queries(40) as few:
            client.get(reverse(name, args=[small.pk]))
        with django_assert_max_num_queries(40) as many:
            page = client.get(reverse(name, args=[large.pk])).content.decode()
        assert len(many.captured_queries) == len(few.captured_queries), name
    assert 'id="roster-flags"' in page


def test_duty1_list_page_costs_the_same_with_more_rosters(
    org, client_for, frozen, daily, django_assert_max_num_queries
):
    client = client_for(org.a1)
    client.get(reverse("duty:list"))
    with django_assert_max_num_queries(40) as one:
        client.get(reverse("duty:list"))
    for week in range(1, 5):
        services.roster_create(
            by=org.head_a.user,
            kind="daily",
            unit=org.organ,
            title=f"第{week}周",
            starts_on=MONDAY + datetime.timedelta(days=7 * week),
            ends_on=MONDAY + datetime.timedelta(days=7 * week + 4),
            people=[org.a1.pk, org.b1.pk],
        )
    with django_assert_max_num_queries(40) as five:
        client.get(reverse("duty:list"))
    assert len(five.captured_queries) == len(one.captured_queries)


# --- admin ---------------------------------------------------------------------------


def test_duty1_admin_is_scoped_and_read_only(org, daily, unit_roster, client_for):
    """The unit head sees the unit's roster in the admin, not the organ's (404 on
    its change and history pages); nobody adds or changes there."""
    client = client_for(org.unit_head)
    page = client.get(reverse("admin:duty_roster_changelist")).content.decode()
    assert "服务站值班" in page and "局机关日常值班" not in page
    assert client.get(
        reverse("admin:duty_roster_change", args=[daily.pk])
    ).status_code in (
        302,
        404,
    )
    assert (
        client.get(reverse("admin:duty_roster_history", args=[daily.pk])).status_code
        == 404
    )
    assert client.get(reverse("admin:duty_roster_add")).status_code == 403
    head = client_for(org.head_a)
    assert (
        head.get(reverse("admin:duty_roster_change", args=[daily.pk])).status_code
        == 200
    )
    assert head.get(reverse("admin:duty_logentry_changelist")).status_code == 200
    assert (
        client_for(org.a1).get(reverse("admin:duty_roster_changelist")).status_code
        == 302
    )


def test_duty1_admin_acknowledges_through_the_service(org, unit_roster, client_for):
    services.roster_file(by=org.unit_head.user, roster=unit_roster)
    client_for(org.head_a).post(
        reverse("admin:duty_roster_changelist"),
        {"action": "acknowledge", "_selected_action": [unit_roster.pk]},
    )
    unit_roster.refresh_from_db()
    assert unit_roster.filing == Roster.Filing.ACKNOWLEDGED
    assert unit_roster.history.first().history_user == org.head_a.user
