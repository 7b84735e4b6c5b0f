"""The worked example's fixtures. Its tests run when the suite runs with
tests.settings (the default, pyproject.toml); with `--ds=bureau.settings` the toy
chapter is not installed and they are not collected."""

import datetime

import pytest
from django.conf import settings

from bureau.workdays import TZ

if "tests.toy_chapter" not in settings.INSTALLED_APPS:
    collect_ignore_glob = ["test_*.py"]

DAY = datetime.date(2026, 11, 3)  # a working Tuesday
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=TZ)


@pytest.fixture
def frozen():
    import time_machine

    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def cars(org, frozen):
    """The small organisation plus the dispatcher (a duty the administrator grants:
    a group named like the role) and their stand-in for the week."""
    from bureau.models import ActingAssignment, Position
    from bureau.testing import make_person
    from tests.toy_chapter.setup import DISPATCHER

    org.dispatcher = make_person(
        "dispatcher",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=[DISPATCHER],
    )
    org.stand_in = org.b1
    org.away = ActingAssignment.objects.create(
        principal=org.dispatcher,
        stand_in=org.stand_in,
        starts_on=DAY,
        ends_on=DAY,
        reason="出差",
    )
    return org


@pytest.fixture
def ask(frozen):
    """ask(person, km=30, day=DAY, **kw) -> a Trip through the service."""
    from tests.toy_chapter.services import trip_submit

    def _ask(person, km=30, day=DAY, destination="乡镇服务站", purpose="下乡检查"):
        return trip_submit(
            by=person.user,
            date=day,
            destination=destination,
            purpose=purpose,
            distance_km=km,
        )

    return _ask
