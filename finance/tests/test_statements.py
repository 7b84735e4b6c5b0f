"""FIN-7: the monthly income and expense statement of each unit — income entered by
finance, expense from the unit's paid claims, uses of funds and receptions of the
month; sent to the unit head once; unit heads see only their unit's; the reminder
after the due day (the 10th in time, the 11th late)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.models import Notification
from bureau.workdays import TZ
from finance import rules, services
from finance.models import Claim, Statement
from finance.services import FinanceError
from finance.tests.conftest import MONDAY, TUESDAY, decide_all, line

MARCH = datetime.date(2026, 3, 1)


@pytest.fixture
def staff(fin, frozen):
    return fin


def paid_claim(staff, claim_of, person, amount="120.00", witness=None):
    claim, _ = claim_of(
        person, [line(amount)], witness=witness or staff.a2, submit=True
    )
    decide_all(claim)
    return claim


def pay_all(staff):
    batch = services.batch_create(by=staff.finance.user, today=MONDAY)
    services.batch_pay(batch=batch, by=staff.finance.user, today=TUESDAY)
    return batch


@pytest.fixture
def march(staff, claim_of, frozen):
    """Two claims of unit U paid on Tuesday 3 March, one of the organ (headed by
    the director)."""
    staff.organ.head = staff.director
    staff.organ.save()
    paid_claim(staff, claim_of, staff.u1, "120.00", witness=staff.u2)
    paid_claim(staff, claim_of, staff.u2, "80.50", witness=staff.u1)
    paid_claim(staff, claim_of, staff.a1, "300.00")
    frozen.move_to(datetime.datetime(2026, 3, 3, 9, 0, tzinfo=TZ))
    pay_all(staff)
    return staff


def statement_of(unit, month=MARCH):
    return Statement.objects.get(unit=unit, month=month)


def test_fin7_statement_counts_the_units_income_and_paid_claims_of_the_month(march):
    staff = march
    services.income_set(
        by=staff.finance.user, unit=staff.unit, month=MARCH, amount="5000.00"
    )
    services.statements_generate(by=staff.finance.user, month=MARCH)
    unit = statement_of(staff.unit)
    assert unit.income == Decimal("5000.00")
    assert unit.claims_paid == Decimal("200.50")
    assert unit.expense == Decimal("200.50")
    assert unit.balance == Decimal("4799.50")
    organ = statement_of(staff.organ)
    assert organ.claims_paid == Decimal("300.00") and organ.income == 0
    # April has none of March's claims
    services.statements_generate(by=staff.finance.user, month=datetime.date(2026, 4, 1))
    assert statement_of(staff.unit, datetime.date(2026, 4, 1)).expense == 0


def test_fin7_only_finance_enters_income_and_generates(march):
    staff = march
    with pytest.raises(FinanceError, match="财务人员"):
        services.income_set(
            by=staff.unit_head.user, unit=staff.unit, month=MARCH, amount="1"
        )
    with pytest.raises(FinanceError, match="财务人员"):
        services.statements_generate(by=staff.director.user, month=MARCH)
    with pytest.raises(FinanceError, match="两位小数"):
        services.income_set(
            by=staff.finance.user, unit=staff.unit, month=MARCH, amount="1.001"
        )
    assert not Statement.objects.exists()


def test_fin7_sending_is_recorded_notified_and_idempotent(march):
    staff = march
    services.statements_generate(by=staff.finance.user, month=MARCH)
    statement = statement_of(staff.unit)
    sent, changed = services.statement_send(statement=statement, by=staff.finance.user)
    assert changed and sent.sent_to == staff.unit_head and sent.sent_by == staff.finance
    again, changed = services.statement_send(statement=statement, by=staff.finance.user)
    assert not changed and again.sent_at == sent.sent_at
    assert (
        Notification.objects.filter(
            recipient=staff.unit_head, title__contains="收支表"
        ).count()
        == 1
    )
    # a sent statement is frozen: income and generation leave it alone
    with pytest.raises(FinanceError, match="已送出"):
        services.income_set(
            by=staff.finance.user, unit=staff.unit, month=MARCH, amount="9"
        )
    services.statements_generate(by=staff.finance.user, month=MARCH)
    assert statement_of(staff.unit).generated_at == sent.generated_at


@pytest.mark.parametrize("day, due", [(10, None), (11, MARCH), (1, None), (28, MARCH)])
def test_fin7_reminder_is_due_after_the_10th(day, due):
    assert rules.statement_month_due(datetime.date(2026, 4, day), 10) == due


def test_fin7_reminder_on_the_11th_not_the_10th_once_a_month(march):
    staff = march
    services.statements_generate(by=staff.finance.user, month=MARCH)
    services.statement_send(statement=statement_of(staff.unit), by=staff.finance.user)
    with time_machine.travel(datetime.datetime(2026, 4, 10, 9, 0, tzinfo=TZ)):
        assert (
            services.statement_reminders(today=datetime.date(2026, 4, 10), commit=True)
            == []
        )
    assert not staff.finance.notifications.exists()
    waiting = services.statement_reminders(
        today=datetime.date(2026, 4, 11), commit=True
    )
    assert staff.unit not in waiting and staff.organ in waiting
    assert staff.finance.notifications.count() == 1
    services.statement_reminders(today=datetime.date(2026, 4, 12), commit=True)
    assert staff.finance.notifications.count() == 1  # once a month


def test_fin7_no_reminder_when_all_went_out(march):
    staff = march
    for statement in services.statements_generate(by=staff.finance.user, month=MARCH):
        services.statement_send(statement=statement, by=staff.finance.user)
    assert (
        services.statement_reminders(today=datetime.date(2026, 4, 11), commit=True)
        == []
    )
    assert not staff.finance.notifications.exists()


def test_fin7_command_is_a_dry_run_unless_commit(march, capsys):
    staff = march
    with time_machine.travel(datetime.datetime(2026, 4, 11, 9, 0, tzinfo=TZ)):
        call_command("finance_statement_reminders")
        assert "Would remind" in capsys.readouterr().out
        assert not staff.finance.notifications.exists()
        call_command("finance_statement_reminders", "--commit")
        assert staff.finance.notifications.count() == 1


def test_fin7_beat_schedule_is_registered():
    from bureau.celery import app

    entry = app.conf.beat_schedule["finance-statement-reminders"]
    assert entry["task"] == "finance.tasks.remind_statements"


def test_fin7_statement_pages_by_url_for_each_role(march, client_for):
    staff = march
    finance = client_for(staff.finance)
    assert (
        finance.get(reverse("finance:statements") + "?month=2026-03").status_code == 200
    )
    response = finance.post(
        reverse("finance:statement_income"),
        {"month": "2026-03", "unit": staff.unit.pk, "amount": "3000.00"},
    )
    assert response.status_code == 302
    finance.post(reverse("finance:statements_generate"), {"month": "2026-03"})
    statement = statement_of(staff.unit)
    url = reverse("finance:statement", args=[statement.pk])
    # not sent yet: the unit head does not see it
    assert client_for(staff.unit_head).get(url).status_code == 404
    send = reverse("finance:statement_send", args=[statement.pk])
    assert client_for(staff.unit_head).post(send).status_code == 403
    confirm = client_for(staff.finance).post(send)
    assert confirm.status_code == 200 and "unit_head" in confirm.content.decode()
    assert client_for(staff.finance).post(send, {"confirm": "1"}).status_code == 302
    statement.refresh_from_db()
    assert statement.sent_to == staff.unit_head
    head = client_for(staff.unit_head)
    assert head.get(url).status_code == 200
    assert (
        head.get(reverse("finance:statement_print", args=[statement.pk])).status_code
        == 200
    )
    xlsx = head.get(reverse("finance:statement_xlsx", args=[statement.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    listing = head.get(reverse("finance:statements")).content.decode()
    assert "3000.00" in listing
    # another unit's statement and other people: 404
    organ = statement_of(staff.organ)
    assert head.get(reverse("finance:statement", args=[organ.pk])).status_code == 404
    assert client_for(staff.u1).get(url).status_code == 404
    assert client_for(staff.head_a).get(url).status_code == 404
    # staff post to finance's actions: 403, nothing changed
    assert (
        client_for(staff.u1)
        .post(reverse("finance:statements_generate"), {"month": "2026-03"})
        .status_code
        == 403
    )


def test_fin7_bad_month_or_income_changes_nothing(march, client_for):
    staff = march
    finance = client_for(staff.finance)
    assert (
        finance.get(reverse("finance:statements") + "?month=2026-13").status_code == 400
    )
    response = finance.post(
        reverse("finance:statement_income"),
        {"month": "2026-03", "unit": staff.unit.pk, "amount": "-1"},
    )
    assert response.status_code == 400
    assert not staff.unit.finance_incomes.exists()


def test_fin7_statement_page_costs_the_same_at_2_and_12_claims(
    march, claim_of, client_for, frozen
):
    staff = march
    services.statements_generate(by=staff.finance.user, month=MARCH)
    statement = statement_of(staff.unit)
    client = client_for(staff.finance)
    url = reverse("finance:statement", args=[statement.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    frozen.move_to(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=TZ))
    for n in range(10):
        paid_claim(staff, claim_of, staff.u1, f"{10 + n}.00", witness=staff.u2)
    batch = services.batch_create(
        by=staff.finance.user, today=datetime.date(2026, 3, 9)
    )
    frozen.move_to(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=TZ))
    services.batch_pay(
        batch=batch, by=staff.finance.user, today=datetime.date(2026, 3, 10)
    )
    assert Claim.objects.filter(status="paid", claimant__unit=staff.unit).count() == 12
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
