"""Fixtures of the numbering tests: a series of their own and records to number."""

import pytest

from numbering.registry import register_series, unregister_series

DOCS = "test.outgoing"
RECEIPTS = "test.receipts"


@pytest.fixture
def series():
    """A document-code series and a receipt series, registered for the test."""
    register_series(DOCS, label="发文", template="{code}〔{year}〕{n}号")
    register_series(RECEIPTS, label="受理回执", template="受理〔{year}〕{n}号")
    yield DOCS
    unregister_series(DOCS)
    unregister_series(RECEIPTS)


@pytest.fixture
def owners(db):
    """owners(k) -> k saved records to number (logins: any saved model will do)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()

    def make(k, prefix="owner"):
        start = User.objects.count()
        return [User.objects.create(username=f"{prefix}{start + i}") for i in range(k)]

    return make


@pytest.fixture
def bureau(db):
    """The demo bureau's organisation record, whose document code is 示计生."""
    from bureau.models import Organisation

    return Organisation.objects.create(
        name="示范县人口和计划生育局", short_name="示范县计生局", doc_code="示计生"
    )
