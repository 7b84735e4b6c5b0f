"""`manage.py numbering_audit`: per series and year, a clean register passes and a
planted gap, duplicate or counter out of step is reported (exit status 1)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from numbering.models import Counter, Number
from numbering.services import number_take
from numbering.tests.conftest import DOCS, RECEIPTS

pytestmark = pytest.mark.django_db


def fill(owners, series=DOCS, k=5, year=2026):
    with transaction.atomic():
        return [
            number_take(series=series, owner=o, on=datetime.date(year, 3, 2))
            for o in owners(k)
        ]


def audit(**kwargs):
    out = io.StringIO()
    try:
        call_command("numbering_audit", stdout=out, **kwargs)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_a_clean_register_passes(bureau, series, owners):
    fill(owners)
    fill(owners, series=RECEIPTS, k=3)
    fill(owners, k=2, year=2027)
    out, error = audit()
    assert error is None
    assert out.count("无断号、无重号") == 3
    assert "test.outgoing (发文) 2026 年：共 5 个编号" in out


def test_a_planted_gap_is_found(bureau, series, owners):
    numbers = fill(owners)
    # A row lost outside the service (a restore, a hand edit): numbers 2 and 3.
    Number.objects.filter(pk__in=[numbers[1].pk, numbers[2].pk]).delete()
    out, error = audit(series=DOCS)
    assert error is not None and error.returncode == 1
    assert "断号：2–3" in out


def test_a_gap_at_the_end_shows_as_the_counter_ahead(bureau, series, owners):
    numbers = fill(owners, k=3)
    Number.objects.filter(pk=numbers[-1].pk).delete()
    out, error = audit(year=2026)
    assert error is not None
    assert "断号：3" in out


def test_a_planted_duplicate_is_found(bureau, series, owners):
    """The same printed number twice (e.g. a hand edit of the text): reported."""
    numbers = fill(owners)
    Number.objects.filter(pk=numbers[3].pk).update(text=numbers[1].text)
    out, error = audit()
    assert error is not None
    assert "编号文字重复：示计生〔2026〕2号（2 次）" in out


def test_a_counter_behind_the_register_is_found(bureau, series, owners):
    fill(owners)
    Counter.objects.filter(series=DOCS).update(last=3)
    out, error = audit()
    assert error is not None
    assert "下一个编号将会重号" in out


def test_an_empty_register(db):
    out, error = audit()
    assert error is None
    assert "编号登记簿为空" in out
