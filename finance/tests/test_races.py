"""Two claims with the same invoice submitted at the same moment (PostgreSQL): each
service's look finds the invoice free; the unique index on InvoiceUse.key decides —
one claim is submitted, the other refused in words and nothing of it is saved."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from bureau.models import Position, Role
from bureau.testing import make_person
from finance import services
from finance.models import Claim, ClaimLine, InvoiceUse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


@pytest.fixture
def org(db):
    from bureau.policies import registry
    from bureau.testing import small_org

    registry.load_defaults()
    org = small_org()
    org.finance = make_person(
        "finance",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.FINANCE_OFFICER],
    )
    return org


def test_fin5_same_invoice_two_concurrent_submissions_one_wins(org):
    barrier = threading.Barrier(2)
    outcomes = []

    def run(person, witness):
        try:
            barrier.wait()
            services.claim_save(
                by=person.user,
                handler=person,
                witness=witness,
                purpose="购买打印纸",
                payee="县文具店",
                expense_date=timezone.localdate(),
                payment_method="bank_transfer",
                lines=[
                    services.LineInput(
                        item="打印纸",
                        unit="箱",
                        quantity="2",
                        unit_price="150.00",
                        voucher="invoice",
                        invoice_number="26442000000123456789",
                    )
                ],
                submit=True,
            )
            outcomes.append("ok")
        except services.FinanceError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(org.a1, org.a2)),
        threading.Thread(target=run, args=(org.b1, org.head_b)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert InvoiceUse.objects.count() == 1
    assert Claim.objects.count() == 1
    assert Claim.objects.get().status == Claim.Status.PENDING
    assert ClaimLine.objects.count() == 1
