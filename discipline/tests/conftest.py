"""Fixtures of the discipline tests."""

import datetime

import pytest

from discipline.kinds import ViolationKind, find_kind, register_kind

# The attendance chapter registers these in its ready(); the tests of this chapter
# must not depend on it, so the same definitions are added when missing.
ATTENDANCE_KINDS = [
    ViolationKind("attendance.late", "Late", "ATT-3", "attendance"),
    ViolationKind("attendance.early_leave", "Early leave", "ATT-4", "attendance"),
    ViolationKind("attendance.absence", "Absence", "ATT-5", "attendance"),
    ViolationKind("attendance.long_absence", "Long absence", "ATT-12", "attendance"),
]
for _kind in ATTENDANCE_KINDS:
    if find_kind(_kind.code) is None:
        register_kind(_kind)


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
