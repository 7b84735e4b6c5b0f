"""Benchmark: the inspector's tallies and grade caps for 10,000 staff with a year of
violations (issue 5: at most 1 s, constant query count), and the dashboard page the
inspector opens (issue 17: at most 500 ms at 10,000 staff and 30,000 violations).

    .venv/bin/python bench/discipline_bench.py [--people 10000] [--per-person 3]

Builds a throwaway database (SQLite in a temp file unless DATABASE_URL is set, in
which case that database is used and FLUSHED: never point it at real data),
bulk-loads the people and a year of violations, judges every year with the bulk
rebuild, then times `selectors.year_tallies` for the inspector and the whole
dashboard page (Django test client, DEBUG off, median of 5 after a warm-up), with
their queries, at 1,000 and at N people. The load average is printed beside.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (kind, ladder, days) of the seeded violations, late twice as often as the rest;
# the HTTP harness's `reports` scenario seeds with the same mix.
VIOLATION_KINDS = [
    ("attendance.late", "attendance", None),
    ("attendance.late", "attendance", None),
    ("attendance.early_leave", "attendance", None),
    ("attendance.absence", "attendance", 0.5),
    ("discipline.efficiency.idle", "efficiency", None),
    ("discipline.efficiency.missed_deadline", "efficiency", None),
    ("discipline.first_inquiry", "first_inquiry", None),
    ("discipline.one_time_notice", "one_time_notice", None),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--per-person", type=float, default=3.0)
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        handle, path = tempfile.mkstemp(suffix=".sqlite3")
        os.close(handle)
        os.environ["SQLITE_PATH"] = path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    os.environ.setdefault("AXES_ENABLED", "false")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    from bureau.models import Organisation, Person, Position, Role, Section, Unit
    from bureau.policies import registry
    from discipline import selectors
    from discipline.models import Outcome, Violation
    from discipline.services import discipline_rebuild_year

    # The kinds and ladders are registered by the chapters' ready() (django.setup()).
    rng = random.Random(5)
    year = args.year
    org = Organisation.objects.create(name="基准县局", doc_code="基")
    organ = Unit.objects.create(
        organisation=org, name="局机关", code="b-organ", kind="organ"
    )
    sections = [
        Section.objects.create(unit=organ, name=f"第{i}股", code=f"b-s{i}")
        for i in range(40)
    ]
    inspector_user = get_user_model().objects.create_user(
        "bench-inspector", password="x"
    )
    inspector_user.groups.add(Group.objects.get(name=Role.DISCIPLINE_INSPECTOR))

    def load(count, start):
        people = Person.objects.bulk_create(
            [
                Person(
                    name=f"人员{start + i}",
                    employee_no=f"B{start + i:06d}",
                    unit=organ,
                    section=sections[(start + i) % len(sections)],
                    position=Position.SECTION_STAFF,
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        rows = []
        for person in people:
            for _ in range(rng.choice(range(int(args.per_person * 2) + 1))):
                kind, ladder, days = rng.choice(VIOLATION_KINDS)
                rows.append(
                    Violation(
                        person_id=person.pk,
                        occurred_on=datetime.date(year, 1, 1)
                        + datetime.timedelta(days=rng.randrange(365)),
                        kind=kind,
                        ladder=ladder,
                        days=days,
                        status=rng.choice(["upheld"] * 9 + ["dismissed"]),
                    )
                )
        Violation.objects.bulk_create(rows, batch_size=5000)
        return len(rows)

    def measure(label):
        registry.clear_cache()
        today = datetime.date(year, 12, 31)
        user = get_user_model().objects.get(pk=inspector_user.pk)
        selectors.year_tallies(user, year, today=today)  # warm the connection
        registry.clear_cache()
        user = get_user_model().objects.get(pk=inspector_user.pk)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            tallies = selectors.year_tallies(user, year, today=today)
            elapsed = time.perf_counter() - started
        # Counted now: the page requests below reset Django's query log, which the
        # context's slice reads lazily.
        tally_queries = len(queries)
        caps = sum(1 for t in tallies.people if t.cap_rank)
        print(
            f"{label}: {Person.objects.count():>6} staff, "
            f"{Violation.objects.count():>6} violations, "
            f"{Outcome.objects.count():>6} outcomes -> tallies+caps of "
            f"{len(tallies.people)} people ({caps} capped, "
            f"{len(tallies.highlighted)} highlighted) in {elapsed * 1000:.0f} ms, "
            f"{tally_queries} queries"
        )
        page_times = []
        client = Client()
        client.force_login(user)
        url = f"/discipline/dashboard/?year={year}"
        client.get(url)  # warm the session and the template cache
        for _ in range(5):
            with CaptureQueriesContext(connection) as page_queries:
                started = time.perf_counter()
                response = client.get(url)
                page_times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        page = statistics.median(page_times)
        page_query_count = len(page_queries)
        print(
            f"{label}: dashboard page {page * 1000:.0f} ms (median of 5, test "
            f"client), {len(response.content) // 1024} KiB, "
            f"{page_query_count} queries; load average {os.getloadavg()[0]:.2f}"
        )
        return elapsed, tally_queries, page, page_query_count

    small = min(1000, args.people)
    started = time.perf_counter()
    n = load(small, 0)
    discipline_rebuild_year(year=year)
    print(
        f"loaded {small} staff, {n} violations, judged in {time.perf_counter() - started:.1f} s"
    )
    _t1, q1, _p1, pq1 = measure(f"{connection.vendor} small")
    started = time.perf_counter()
    n = load(args.people - small, small)
    result = discipline_rebuild_year(year=year)
    print(
        f"loaded {args.people - small} more staff, {n} violations; bulk rebuild "
        f"created {result.created} outcomes in {time.perf_counter() - started:.1f} s"
    )
    t2, q2, p2, pq2 = measure(f"{connection.vendor} large")
    ok = t2 <= 1.0 and q1 == q2 and p2 <= 0.5 and pq1 == pq2
    print("OK" if ok else "TOO SLOW or query count grew")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
