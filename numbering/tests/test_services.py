"""Taking and voiding numbers: in the caller's transaction, once per record, from 1
each year, nothing half-saved on a refusal."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, transaction
from django.db.transaction import TransactionManagementError

from bureau.workdays import TZ
from numbering.models import Counter, Number
from numbering.services import NumberingError, number_take, number_void
from numbering.tests.conftest import DOCS, RECEIPTS

pytestmark = pytest.mark.django_db

D = datetime.date(2026, 3, 2)


def take(owner, series=DOCS, on=D, **kwargs):
    with transaction.atomic():
        return number_take(series=series, owner=owner, on=on, **kwargs)


def test_doc1_document_code_from_the_organisation_record(bureau, series, owners):
    """DOC-1: the twelfth number of 2026 is 示计生〔2026〕12号 (code from the record)."""
    numbers = [take(owner) for owner in owners(12)]
    assert [n.n for n in numbers] == list(range(1, 13))
    assert numbers[-1].text == "示计生〔2026〕12号"
    assert numbers[0].text == "示计生〔2026〕1号"


def test_the_printed_text_never_changes_with_the_code(bureau, series, owners):
    first, second = owners(2)
    given = take(first)
    bureau.doc_code = "示卫健"
    bureau.save()
    assert take(second).text == "示卫健〔2026〕2号"
    given.refresh_from_db()
    assert given.text == "示计生〔2026〕1号"


def test_asking_again_for_the_same_record_returns_its_number(bureau, series, owners):
    """Opening a form twice, going back a step, re-saving: the same number."""
    owner, other = owners(2)
    first = take(owner)
    again = take(owner)
    assert again.pk == first.pk
    assert take(owner, on=datetime.date(2027, 1, 5)).pk == first.pk
    assert take(other).n == 2
    assert Counter.objects.get(series=DOCS, year=2026).last == 2
    # Another series numbers the same record independently, from its own 1.
    assert take(owner, series=RECEIPTS).text == "受理〔2026〕1号"


def test_a_rolled_back_transaction_takes_no_number(bureau, series, owners):
    """A failure after the number was taken rolls the number back with it: no gap."""
    a, b, c = owners(3)
    take(a)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        number_take(series=DOCS, owner=b, on=D)
        raise Boom
    assert not Number.objects.filter(object_id=b.pk).exists()
    assert take(c).n == 2
    assert take(b).n == 3


def test_the_year_rolls_over_to_one(bureau, series, owners):
    a, b, c, d = owners(4)
    assert take(a, on=datetime.date(2026, 12, 31)).n == 1
    assert take(b, on=datetime.date(2026, 12, 31)).n == 2
    new_year = take(c, on=datetime.date(2027, 1, 1))
    assert (new_year.year, new_year.n, new_year.text) == (2027, 1, "示计生〔2027〕1号")
    # Without a date, the year is today's in the bureau's time zone.
    new_year_night = datetime.datetime(2028, 1, 1, 0, 30, tzinfo=TZ)
    with time_machine.travel(new_year_night), transaction.atomic():
        assert number_take(series=DOCS, owner=d).text == "示计生〔2028〕1号"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_number_is_refused(bureau, series, owners):
    """Bad input: a number asked for outside a transaction gets a clear message, and
    nothing is written."""
    (owner,) = owners(1)
    with pytest.raises(NumberingError) as exc:
        number_take(series=DOCS, owner=owner, on=D)
    assert "事务" in str(exc.value)
    assert not Number.objects.exists()
    assert not Counter.objects.exists()


def test_refusals_write_nothing(db, series, owners):
    from bureau.models import Organisation

    (owner,) = owners(1)
    with transaction.atomic():
        with pytest.raises(NumberingError, match="numbering series"):
            number_take(series="test.nowhere", owner=owner)
        with pytest.raises(NumberingError, match="保存"):
            number_take(series=DOCS, owner=type(owner)(username="unsaved"))
        # No organisation record, hence no code: refused before the counter moves.
        assert not Organisation.objects.exists()
        with pytest.raises(NumberingError, match="机关代字"):
            number_take(series=DOCS, owner=owner)
        # The refusal leaves the caller's transaction usable.
        assert not Number.objects.exists()
    assert not Counter.objects.filter(last__gt=0).exists()
    assert not Number.objects.exists()
    # A series without {code} needs no organisation record.
    assert take(owner, series=RECEIPTS).n == 1


def test_a_voided_number_stays_in_the_register_with_its_reason(
    bureau, series, owners, org
):
    """Void: the number stays, marked voided with the reason, in history; its record
    may take a new number, and the register has no gap."""
    from bureau.models import Role
    from bureau.testing import make_person

    clerk = make_person(
        "docclerk",
        unit=org.organ,
        section=org.section_a,
        position="section_staff",
        duties=[Role.DOCUMENT_CLERK],
    )
    a, b = owners(2)
    given = take(a)
    take(b)
    voided = number_void(number=given, reason="  发文作废，重新编号  ", by=clerk.user)
    assert voided.voided and voided.reason == "发文作废，重新编号"
    assert voided.voided_by == clerk.user
    assert voided.text == "示计生〔2026〕1号"
    assert [h.voided for h in voided.history.order_by("history_id")] == [False, True]
    assert voided.history.latest().history_user == clerk.user
    # Voiding again changes nothing.
    assert number_void(number=given, reason="另一理由", by=clerk.user).reason == (
        "发文作废，重新编号"
    )
    renumbered = take(a)
    assert renumbered.n == 3 and renumbered.pk != given.pk
    assert Number.objects.filter(series=DOCS).count() == 3
    out = io.StringIO()
    call_command("numbering_audit", series=DOCS, stdout=out)
    assert "无断号、无重号" in out.getvalue()


def test_voiding_needs_the_permission_and_a_reason(bureau, series, owners, org):
    from bureau.models import Role
    from bureau.testing import make_person

    (owner,) = owners(1)
    given = take(owner)
    with pytest.raises(NumberingError, match="作废"):
        number_void(number=given, reason="理由", by=org.a1.user)
    clerk = make_person(
        "docclerk",
        unit=org.organ,
        section=org.section_a,
        position="section_staff",
        duties=[Role.DOCUMENT_CLERK],
    )
    for bad in ("", "   ", "坏\x00字"):
        with pytest.raises(NumberingError):
            number_void(number=given, reason=bad, by=clerk.user)
    given.refresh_from_db()
    assert not given.voided and given.reason == ""
    assert given.history.count() == 1


def test_a_failure_after_the_counter_moved_dooms_the_callers_transaction(
    bureau, series, owners
):
    """Nothing half-saved: when the insert fails after the increment (here a counter
    planted behind the register, so n collides), a caller that catches the error
    cannot commit the increment — its transaction only rolls back."""
    a, b, c = owners(3)
    take(a)
    take(b)
    Counter.objects.filter(series=DOCS).update(last=1)
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            number_take(series=DOCS, owner=c, on=D)
        with pytest.raises((TransactionManagementError, DatabaseError)):
            Counter.objects.count()
    assert Counter.objects.get(series=DOCS).last == 1
    assert not Number.objects.filter(object_id=c.pk).exists()
