"""LV-9, LV-11: the annual leave (年休假) balance: entitlement (policy default or the
administrator's row) minus approved annual leave, an early return giving days back."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.services import approval_decide
from bureau.models import Policy
from bureau.policies import registry
from leave.models import AnnualLeaveEntitlement, LeaveRequest
from leave.selectors import annual_balance
from leave.services import LeaveError, leave_return, leave_withdraw
from leave.tests.conftest import MONDAY, period_of

pytestmark = pytest.mark.django_db

YEAR = MONDAY.year


def _annual(ask, person, period, **kw):
    return ask(person, period, leave_type="annual", **kw)


def _approve(leave, *deciders):
    for who in deciders:
        approval_decide(request=leave.approval, by=who.user, decision="approve")
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    return leave


def test_lv11_balance_from_the_policy_default(org, frozen):
    """Without an entitlement row, the policy `leave.annual_days_default` (5) applies."""
    balance = annual_balance(org.u1, YEAR)
    assert balance.entitlement == 5 and not balance.is_override
    assert (balance.taken, balance.requested, balance.remaining) == (0, 0, 5)


def test_lv11_balance_follows_a_changed_policy_default(org, frozen):
    """The default is policy data: a version in force on 1 January of the year counts."""
    Policy.objects.create(
        key="leave.annual_days_default",
        value=10,
        effective_from=datetime.date(YEAR, 1, 1),
    )
    registry.clear_cache()
    assert annual_balance(org.u1, YEAR).entitlement == 10


def test_lv11_balance_from_the_administrators_override(org, frozen):
    """A row for the person and year replaces the default (and only for that year)."""
    AnnualLeaveEntitlement.objects.create(person=org.u1, year=YEAR, days=15)
    balance = annual_balance(org.u1, YEAR)
    assert balance.entitlement == 15 and balance.is_override
    assert annual_balance(org.u1, YEAR + 1).entitlement == 5


def test_lv11_approved_three_days_reduce_the_balance_by_three(org, ask):
    """Pending annual leave is "requested", not yet taken; approved, it is taken."""
    leave = _annual(ask, org.u1, 3)
    balance = annual_balance(org.u1, YEAR)
    assert (balance.taken, balance.requested, balance.remaining) == (0, 3, 5)
    assert balance.available == 2
    _approve(leave, org.unit_head, org.dep_a)
    balance = annual_balance(org.u1, YEAR)
    assert (balance.taken, balance.requested, balance.remaining) == (3, 0, 2)


def test_lv9_early_return_gives_the_days_back(org, ask):
    """LV-9: back on Tuesday afternoon from a Mon–Wed annual leave: 1.5 days taken,
    1.5 of the 3 given back."""
    leave = _approve(_annual(ask, org.u1, 3), org.unit_head, org.dep_a)
    tuesday = MONDAY + datetime.timedelta(days=1)
    leave_return(leave=leave, by=org.u1.user, back_date=tuesday, back_half="pm")
    balance = annual_balance(org.u1, YEAR)
    assert balance.taken == Decimal("1.5")
    assert balance.remaining == Decimal("3.5")


def test_lv11_request_over_the_balance_is_refused_and_nothing_saved(org, ask):
    """5 days by default: 3 pending leave 2 available; asking 2.5 more is refused,
    2 more is accepted; other leave types are not limited."""
    _annual(ask, org.u1, 3)
    next_week = MONDAY + datetime.timedelta(days=7)
    with pytest.raises(LeaveError, match=r"2\.5"):
        _annual(ask, org.u1, period_of(2.5, next_week))
    assert LeaveRequest.objects.filter(person=org.u1).count() == 1
    _annual(ask, org.u1, period_of(2, next_week))
    later = MONDAY + datetime.timedelta(days=14)
    with pytest.raises(LeaveError):
        _annual(ask, org.u1, period_of(0.5, later))
    ask(org.u1, period_of(1, later), leave_type="sick")


def test_lv11_refused_and_withdrawn_annual_leave_do_not_count(org, ask):
    """Refused and withdrawn annual leave neither reduce nor reserve the balance."""
    refused = _annual(ask, org.u1, 2)
    approval_decide(
        request=refused.approval, by=org.unit_head.user, decision="refuse", comment="忙"
    )
    withdrawn = _annual(ask, org.u1, period_of(3, MONDAY + datetime.timedelta(days=7)))
    leave_withdraw(leave=withdrawn, by=org.u1.user)
    balance = annual_balance(org.u1, YEAR)
    assert (balance.taken, balance.requested, balance.remaining) == (0, 0, 5)
    _annual(ask, org.u1, period_of(5, MONDAY + datetime.timedelta(days=14)))


def test_lv11_my_requests_and_preview_show_the_balance(org, frozen, client_for):
    """/leave/ shows the year's balance; the preview of annual leave shows it, and an
    annual request over the balance is refused on the page with nothing saved."""
    AnnualLeaveEntitlement.objects.create(person=org.a1, year=YEAR, days=2)
    client = client_for(org.a1)
    page = client.get(reverse("leave:mine")).content.decode()
    assert 'id="annual-balance"' in page and 'id="annual-remaining">2<' in page
    assert "年年休假" in page and "剩余" in page  # the interface is Chinese
    data = {
        "leave_type": "annual",
        "start_date": "2026-03-02",
        "start_half": "am",
        "end_date": "2026-03-03",
        "end_half": "pm",
        "reason": "休年休假",
        "handover_note": "文件交王同事处理",
        "leader_consent": "",
    }
    preview = client.post(reverse("leave:new"), data).content.decode()
    assert 'id="annual-balance"' in preview and 'id="confirm"' in preview
    sick = client.post(reverse("leave:new"), {**data, "leave_type": "sick"})
    assert 'id="annual-balance"' not in sick.content.decode()
    over = {**data, "end_date": "2026-03-04"}
    refused = client.post(reverse("leave:new"), over).content.decode()
    assert 'id="confirm"' not in refused and "年休假不足" in refused
    response = client.post(reverse("leave:new"), {**over, "confirm": "1"})
    assert response.status_code == 200
    assert not LeaveRequest.objects.exists()


def test_lv11_my_requests_costs_the_same_at_2_and_20_annual_requests(
    org, frozen, ask, client_for
):
    """The balance adds a constant number of queries to /leave/."""
    AnnualLeaveEntitlement.objects.create(person=org.a1, year=YEAR, days=20)

    def add(n, offset):
        for i in range(n):
            day = MONDAY + datetime.timedelta(days=7 * (i + offset) + 2)
            _annual(ask, org.a1, (day, "am", day, "am"))

    client = client_for(org.a1)
    add(2, 0)
    client.get(reverse("leave:mine"))
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("leave:mine"))
    add(18, 2)
    with CaptureQueriesContext(connection) as twenty:
        page = client.get(reverse("leave:mine")).content.decode()
    assert 'id="annual-requested">10<' in page
    assert len(two) == len(twenty)


def test_lv11_only_the_administrator_edits_entitlements(org, frozen, client_for):
    """The entitlement admin is the administrator's; others get no access."""
    row = AnnualLeaveEntitlement.objects.create(person=org.a1, year=YEAR, days=10)
    admin_client = client_for(org.admin)
    changelist = reverse("admin:leave_annualleaveentitlement_changelist")
    assert admin_client.get(changelist).status_code == 200
    change = reverse("admin:leave_annualleaveentitlement_change", args=[row.pk])
    response = admin_client.post(
        change, {"person": org.a1.pk, "year": YEAR, "days": "15", "note": "工龄20年"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.days == 15 and row.history.count() == 2
    for person in (org.head_a, org.a2, org.a1):
        client = client_for(person)
        assert client.get(changelist).status_code in (302, 403)
        assert client.get(change).status_code in (302, 403, 404)
