"""Fixtures of the discipline tests."""

import datetime

import pytest

# The attendance kinds and the ATT-11 ladder these tests use are registered by the
# attendance chapter (attendance.violations) in its ready(), as in the product.


@pytest.fixture
def record(org):
    """record(person, date, kind, **kw) -> Violation, through the one service."""
    from discipline.services import violation_record

    def make(person, occurred_on, kind="discipline.efficiency.idle", **kwargs):
        if isinstance(occurred_on, str):
            occurred_on = datetime.date.fromisoformat(occurred_on)
        kwargs.setdefault("evidence", "test")
        return violation_record(
            person=person, occurred_on=occurred_on, kind=kind, **kwargs
        )

    return make
