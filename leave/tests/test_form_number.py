"""LV-7: the printed leave form carries a number from the leave-form series, given
once, in the transaction that approves the leave (issue 16, on numbering)."""

import pytest
from django.db import transaction
from django.urls import reverse

from approvals.services import approval_decide
from leave.services import FORM_SERIES
from numbering.models import Counter, Number
from numbering.selectors import number_of

pytestmark = pytest.mark.django_db


def approve(leave, by=None):
    """Every step of the chain agrees (or `by` decides the one step)."""
    while True:
        approval = type(leave.approval).objects.get(pk=leave.approval.pk)
        step = approval.current_step()
        if step is None:
            break
        decider = by.user if by is not None else step.approver.user
        approval_decide(request=approval, by=decider, decision="approve")
    leave.refresh_from_db()
    return leave


def test_lv7_approved_leave_over_one_day_gets_its_form_number(org, frozen, ask):
    """Numbered at approval, from 1 in the year, with the organisation's code."""
    first = approve(ask(org.u1, 2), org.unit_head)
    second = approve(ask(org.a1, 2))
    assert number_of(first, FORM_SERIES).text == "测计生请假〔2026〕1号"
    assert number_of(second, FORM_SERIES).text == "测计生请假〔2026〕2号"


def test_lv7_no_number_for_one_day_pending_or_refused_leave(org, frozen, ask):
    one_day = approve(ask(org.u1, 1), org.unit_head)
    pending = ask(org.a1, 2)
    refused = ask(org.b1, 2)
    approval_decide(
        request=refused.approval, by=org.head_b.user, decision="refuse", comment="不批"
    )
    for leave in (one_day, pending, refused):
        assert number_of(leave, FORM_SERIES) is None
    assert not Number.objects.exists()


def test_lv7_a_rolled_back_approval_takes_no_form_number(org, frozen, ask):
    leave = ask(org.u1, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        approval_decide(
            request=leave.approval, by=org.unit_head.user, decision="approve"
        )
        assert number_of(leave, FORM_SERIES).n == 1
        raise RuntimeError("the decision fails after the number was taken")
    assert not Number.objects.exists()
    assert not Counter.objects.filter(series=FORM_SERIES, last__gt=0).exists()
    approve(leave, org.unit_head)
    assert number_of(leave, FORM_SERIES).n == 1


def test_lv7_printed_form_shows_the_number_and_printing_never_numbers(
    org, frozen, ask, client_for
):
    """The form prints the number, not the database id; a pending form says when it
    is numbered; printing twice reads the same number and takes none."""
    pending = ask(org.a1, 2)
    client = client_for(org.a1)
    page = client.get(reverse("leave:form", args=[pending.pk])).content.decode()
    assert "批准后编号" in page
    assert not Number.objects.exists()
    leave = approve(ask(org.u1, 3))
    client = client_for(org.u1)
    for _ in range(2):
        page = client.get(reverse("leave:form", args=[leave.pk])).content.decode()
        assert "测计生请假〔2026〕1号" in page
        assert f"No. {leave.pk}" not in page
    assert Number.objects.count() == 1
    assert Counter.objects.get(series=FORM_SERIES).last == 1


def test_lv7_printed_form_has_the_applicants_signature_and_date_lines(
    org, frozen, ask, client_for
):
    """LV-7: the printed 请假单 has a line for the applicant's signature and date."""
    leave = ask(org.a1, 2)
    page = client_for(org.a1).get(reverse("leave:form", args=[leave.pk]))
    body = page.content.decode()
    assert 'id="applicant-signature"' in body and "申请人签字" in body
