"""Benchmark of the duty chapter (DUTY-1): the roster page at a year of days.

    .venv/bin/python bench/duty_bench.py                # SQLite at /tmp/duty_bench.sqlite3
    DATABASE_URL=postgres://root@localhost/bureau_duty_bench .venv/bin/python bench/duty_bench.py

Seeds the demo organisation (once), then through the service the organ's holiday-
kind rosters of 30 and 366 days (two people a day and a leader on duty), timing the
save (the DUTY-1 check asks who is on leave day by day). Prints, for the roster page
and the edit page (a month), the median of 7 warm runs and the query count at both
sizes — the count must not grow with the days — beside the bare home page.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", "/tmp/duty_bench.sqlite3")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bureau.demo import load_organisation  # noqa: E402
from bureau.models import Organisation, Person, Position, Unit  # noqa: E402
from duty import services  # noqa: E402
from duty.models import Roster  # noqa: E402


def roster_of(days: int, today: datetime.date) -> Roster:
    title = f"bench {days} days"
    found = Roster.objects.filter(title=title).first()
    if found is not None:
        return found
    organ = Unit.objects.get(code="organ")
    people = list(
        Person.objects.filter(unit=organ, position=Position.SECTION_STAFF).values_list(
            "pk", flat=True
        )
    )
    leaders = list(
        Person.objects.filter(
            position__in=[Position.DIRECTOR, Position.DEPUTY]
        ).values_list("pk", flat=True)
    )
    head = get_user_model().objects.get(username="head1")
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        roster = services.roster_create(
            by=head,
            kind="holiday",
            unit=organ,
            title=title,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=days - 1),
            people=people,
            leaders=leaders,
            confirm=True,
        )
    elapsed = (time.perf_counter() - started) * 1000
    print(f"saving a {days}-day roster: {elapsed:.0f} ms, {len(queries)} queries")
    return roster


def measure(username: str, url: str) -> tuple[float, int]:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _i in range(7):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(queries)


def main() -> None:
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    if not Organisation.objects.exists():
        with transaction.atomic():
            load_organisation(today)
    small, year = roster_of(30, today), roster_of(366, today)
    ms, queries = measure("staff1", "/")
    print(f"{'home page (baseline)':<34} {ms:7.1f} ms  {queries} queries")
    for username in ("head1", "staff1"):
        for roster in (small, year):
            days = roster.days.count()
            for label, url in (
                ("roster page", f"/duty/{roster.pk}/"),
                ("edit page (a month)", f"/duty/{roster.pk}/edit/"),
            ):
                if label.startswith("edit") and username != "head1":
                    continue
                ms, queries = measure(username, url)
                print(
                    f"{label:<20} {username:<7} {days:>3} days {ms:7.1f} ms  "
                    f"{queries} queries"
                )


if __name__ == "__main__":
    main()
