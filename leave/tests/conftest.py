import datetime

import pytest
import time_machine

from bureau.workdays import TZ

MONDAY = datetime.date(2026, 3, 2)  # an ordinary working week (Mon 2 – Fri 6 March)


@pytest.fixture
def frozen():
    """Monday 2026-03-02 09:00 in Asia/Shanghai."""
    with time_machine.travel(
        datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False
    ):
        yield MONDAY


@pytest.fixture
def ask(frozen):
    """ask(person, days_or_(start, sh, end, eh), **kw) -> LeaveRequest via the service."""
    from leave.services import leave_submit

    def _ask(person, period, **kwargs):
        if not isinstance(period, tuple):
            period = period_of(period)
        start, start_half, end, end_half = period
        return leave_submit(
            by=person.user,
            leave_type=kwargs.pop("leave_type", "personal"),
            start_date=start,
            start_half=start_half,
            end_date=end,
            end_half=end_half,
            reason=kwargs.pop("reason", "家中有事"),
            handover_note=kwargs.pop("handover_note", "工作已交由同事处理"),
            **kwargs,
        )

    return _ask


def period_of(days: float, start: datetime.date = MONDAY):
    """A period of `days` working days from Monday morning (within one week)."""
    whole = int(days)
    half = days - whole
    if whole == 0:
        return start, "am", start, "am"
    if half:
        return start, "am", start + datetime.timedelta(days=whole), "am"
    return start, "am", start + datetime.timedelta(days=whole - 1), "pm"
