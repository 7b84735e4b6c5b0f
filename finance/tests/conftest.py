import datetime
from decimal import Decimal

import pytest
import time_machine

from bureau.models import Position, Role
from bureau.testing import make_person
from bureau.workdays import TZ
from finance import services

MONDAY = datetime.date(2026, 3, 2)  # an ordinary working week
TUESDAY = datetime.date(2026, 3, 3)


@pytest.fixture
def frozen():
    """Monday 2026-03-02 09:00 in Asia/Shanghai."""
    with time_machine.travel(
        datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False
    ) as traveller:
        yield traveller


@pytest.fixture
def fin(org):
    """The small organisation with a finance officer (section A) and a document
    clerk (section A) who records the meetings' and the county's decisions."""
    org.finance = make_person(
        "finance",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.FINANCE_OFFICER],
    )
    org.clerk = make_person(
        "docs",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.DOCUMENT_CLERK],
    )
    return org


def line(price="100.00", *, voucher="invoice", number=None, code="", qty="1", **kw):
    """A line of `amount` (quantity 1) with a fresh 20-digit invoice number."""
    global _invoice
    _invoice += 1
    if number is None and voucher == "invoice" and not code:
        number = f"{_invoice:020d}"
    return services.LineInput(
        item=kw.pop("item", "打印纸"),
        unit=kw.pop("unit", "箱"),
        quantity=qty,
        unit_price=price,
        voucher=voucher,
        invoice_code=code,
        invoice_number=number or "",
        **kw,
    )


_invoice = 10**18


@pytest.fixture
def claim_of():
    """claim_of(person, lines, **kw) -> (claim, findings) through claim_save."""

    def make(person, lines=None, *, submit=False, **kw):
        fields = {
            "handler": person,
            "witness": kw.pop("witness"),
            "purpose": kw.pop("purpose", "购买办公用品"),
            "payee": kw.pop("payee", "县文具店"),
            "expense_date": kw.pop("expense_date", MONDAY),
            "payment_method": kw.pop("payment_method", "bank_transfer"),
        }
        fields.update(kw)
        return services.claim_save(
            by=person.user, lines=lines or [line()], submit=submit, **fields
        )

    return make


def decide_all(record, *, until=None):
    """Approve every bureau step of `record`'s current approval."""
    from approvals.services import approval_decide

    approval = record.current_approval
    while approval.is_open:
        step = approval.steps.get(order=approval.current_order)
        if step.action in ("meeting", "external") or step == until:
            break
        approval_decide(request=approval, by=step.approver.user, decision="approve")
        approval.refresh_from_db()
    record.refresh_from_db()
    return record


__all__ = ["Decimal"]
