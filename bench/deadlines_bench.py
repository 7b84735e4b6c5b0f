"""Benchmark: the deadline engine with 100,000 open deadlines (issue 10): the beat
scan at most 2 s, the "my deadlines" panel at most 50 ms with a constant number of
queries.

    .venv/bin/python bench/deadlines_bench.py [--deadlines 100000] [--people 400]

Builds a throwaway database (SQLite in a temp file unless DATABASE_URL is set, in
which case that database is used and must be empty or disposable), registers a
bench kind (15 calendar days, reminded 3 days before, escalated to the section
head), bulk-loads the deadlines with their due dates computed by the engine's pure
rule (starts spread over 200 days: about 500 fall due each day), then times:

- the first scan (a backlog: every reminder window and overdue item at once),
- the same scan again (everything already sent: the steady cost of finding work),
- the next day's scan (one day's new reminders and escalations),
- the "my deadlines" panel (context and template) for a person with few and a
  person with many deadlines, and its queries,
- the leaders' dashboard query for the director (the whole bureau).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KIND = "bench.case"


def timed(fn, repeat=5):
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return result, statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deadlines", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument(
        "--profile", action="store_true", help="print a profile of each scan"
    )
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
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from bureau.models import Organisation, Person, Position, Role, Section, Unit
    from deadlines import rules, selectors
    from deadlines import services as deadline_services
    from deadlines.models import Deadline
    from deadlines.panels import my_deadlines_panel
    from deadlines.registry import register_deadline_kind
    from deadlines.services import calendar_exceptions

    register_deadline_kind(
        KIND,
        rule="PET-2",
        legal_basis="信访条例",
        label="信访事项受理",
        policy_key="deadlines.bench_case",
        default={
            "length": 15,
            "day_type": "calendar",
            "remind_days": 3,
            "escalate_to": "section_head",
        },
        responsible=lambda person: person,
        url=lambda object_id: f"/bench/{object_id}/",
    )
    rng = random.Random(10)
    today = datetime.date(2026, 6, 15)
    org = Organisation.objects.create(name="基准县局", doc_code="基")
    organ = Unit.objects.create(
        organisation=org, name="局机关", code="b-organ", kind="organ"
    )
    sections = [
        Section.objects.create(unit=organ, name=f"第{i}股", code=f"b-s{i}")
        for i in range(40)
    ]
    User = get_user_model()
    director_user = User.objects.create_user("bench-director", password="x")
    director_user.groups.add(Group.objects.get(name=Role.DIRECTOR))
    Person.objects.create(
        user=director_user,
        name="局长",
        employee_no="BD0001",
        unit=organ,
        position=Position.DIRECTOR,
    )
    users = User.objects.bulk_create(
        [User(username=f"bench-{i}") for i in range(args.people)]
    )
    people = Person.objects.bulk_create(
        [
            Person(
                user=user,
                name=f"人员{i}",
                employee_no=f"B{i:06d}",
                unit=organ,
                section=sections[i % len(sections)],
                position=Position.SECTION_HEAD
                if i < len(sections)
                else Position.SECTION_STAFF,
            )
            for i, user in enumerate(users)
        ]
    )
    for section, head in zip(sections, people, strict=False):
        section.head = head
        section.save(update_fields=["head"])

    # Load: starts over 200 days, so about deadlines/200 fall due each day. The
    # last person gets only three, to compare the panel at few and many.
    content_type = ContentType.objects.get_for_model(Person)
    exceptions = calendar_exceptions()
    started = time.perf_counter()
    rows = []
    few = people[-1]
    many = people[len(sections)]
    for i in range(args.deadlines):
        start = today - datetime.timedelta(days=17 - rng.randrange(200))
        owner = few if i < 3 else people[rng.randrange(len(people) - 1)]
        due = rules.due_date(
            start=start, length=15, day_type="calendar", exceptions=exceptions
        )
        rows.append(
            Deadline(
                kind=KIND,
                content_type=content_type,
                object_id=i + 1,
                label=f"来信{i + 1}",
                rule="PET-2",
                legal_basis="信访条例",
                start=start,
                length=15,
                day_type="calendar",
                remind_days=3,
                escalate_to="section_head",
                due_date=due,
                remind_from=rules.remind_on(
                    due=due, remind_days=3, day_type="calendar"
                ),
                responsible=owner,
                section_id=owner.section_id,
                unit_id=owner.unit_id,
            )
        )
    with transaction.atomic():
        Deadline.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"{connection.vendor}: {Deadline.objects.count():,} open deadlines for "
        f"{len(people)} people loaded in {time.perf_counter() - started:.1f} s"
    )

    def scan(day):
        profile = cProfile.Profile() if args.profile else None
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            if profile:
                profile.enable()
            result = deadline_services.deadlines_scan(today=day, commit=True)
            elapsed = time.perf_counter() - started
        if profile:
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(20)
        return result, elapsed, len(queries)

    for label, day in [
        ("first scan (backlog)", today),
        ("same day again (all sent)", today),
        ("next day (one day's work)", today + datetime.timedelta(days=1)),
    ]:
        result, elapsed, queries = scan(day)
        print(
            f"  beat scan, {label}: {elapsed:.2f} s, {queries} queries, "
            f"{len(result.reminders):,} reminders, "
            f"{len(result.escalations):,} escalations"
        )

    request = RequestFactory().get("/")

    def panel(person):
        context = my_deadlines_panel(request, person, today)
        return render_to_string("deadlines/panel_mine.html", {"panel": context})

    for label, person in [("3 deadlines", few), ("many", many)]:
        count = Deadline.objects.filter(responsible=person, state="open").count()
        panel(person)
        with CaptureQueriesContext(connection) as queries:
            panel(person)
        _html, elapsed = timed(lambda p=person: panel(p), repeat=20)
        print(
            f"  my deadlines panel ({label}: {count}): {elapsed * 1000:.1f} ms, "
            f"{len(queries)} queries"
        )

    director_user.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        (by_section, items), elapsed = timed(
            lambda: (
                selectors.overdue_by_section(director_user, today),
                selectors.overdue_items(director_user, today),
            ),
            repeat=5,
        )
    print(
        f"  leaders' dashboard, director ({len(by_section)} sections, "
        f"{len(items)} overdue listed): {elapsed * 1000:.0f} ms, "
        f"{len(queries) // 5} queries"
    )


if __name__ == "__main__":
    main()
