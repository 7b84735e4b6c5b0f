import datetime

import pytest

from bureau.workdays import TZ


@pytest.fixture(autouse=True)
def _fresh_plan_cache():
    """The day plan is cached; each test starts from its own database."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def at(day, hh, mm=0, ss=0):
    """An aware datetime in Asia/Shanghai."""
    return datetime.datetime.combine(day, datetime.time(hh, mm, ss), tzinfo=TZ)


@pytest.fixture
def monday():
    return datetime.date(2026, 11, 2)  # a winter working Monday: 08:00 / 14:30
