"""Two clerks record two bureau affairs meetings at the same moment (PostgreSQL):
the counter row's lock gives the minutes 1 and 2, never the same number twice."""

import threading

import pytest
from django.db import connection, connections

from meetings.models import BUREAU_AFFAIRS, Meeting
from meetings.services import meeting_plan, meeting_record, meeting_set_agenda
from meetings.testing import accepted_item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


@pytest.fixture
def org_tx():
    from bureau.policies import registry
    from bureau.testing import small_org

    registry.load_defaults()
    return small_org()


def test_mtg1_concurrent_recordings_take_numbers_1_and_2(org_tx):
    org = org_tx
    meetings = []
    for n in range(2):
        item = accepted_item(org.head_a, title=f"议题{n}")
        meeting = meeting_plan(
            by=org.head_a.user,
            kind=BUREAU_AFFAIRS,
            title=f"局务会{n}",
            planned_on=item.proposed_at.date(),
            chair=org.director,
        )
        meeting_set_agenda(meeting=meeting, items=[item], by=org.head_a.user)
        meetings.append((meeting, item))
    barrier = threading.Barrier(2)
    errors = []

    def record(meeting, item):
        try:
            barrier.wait(timeout=10)
            meeting_record(
                meeting=meeting,
                by=org.head_a.user,
                held_on=meeting.planned_on,
                chair=org.director,
                attended=[org.director],
                decisions={item.pk: "同意。"},
            )
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=pair) for pair in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    numbers = sorted(
        Meeting.objects.filter(kind__code=BUREAU_AFFAIRS).values_list(
            "minutes_number", flat=True
        )
    )
    assert numbers == [1, 2]
