"""Benchmark of the petitions chapter: 200,000 cases over 5 years.

    .venv/bin/python bench/petitions_bench.py            # SQLite at /tmp/petitions_bench.sqlite3
    DATABASE_URL=postgres://root@localhost/bureau_pet_bench .venv/bin/python bench/petitions_bench.py
    options: --n 200000 (cases to seed), --reseed

Seeds the demo organisation, then N cases received over five years with their
identities and their clocks in bulk (explicit ids, no history rows: the benchmark
measures reads): about 1 % still open, a few hundred of them overdue. Prints, for
the officer's open list (the first page, overdue first), the median of 7 warm runs
beside a bare baseline (the home page) and the query counts; then the overdue scan
(the PET-5 ladder, a dry run and a committed run).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", "/tmp/petitions_bench.sqlite3")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bureau.demo import load_organisation  # noqa: E402
from bureau.models import Organisation, Person  # noqa: E402
from deadlines.models import Deadline  # noqa: E402
from petitions import services  # noqa: E402
from petitions.models import Case, Category, Identity, Route, Township  # noqa: E402

BATCH = 10_000
DAYS = 5 * 365


def seed(n: int, today: datetime.date) -> None:
    rng = random.Random(13)
    if not Organisation.objects.exists():
        with transaction.atomic():
            ctx = load_organisation(today)
            for name in ["城关镇", "东关镇", "西河乡", "南山乡", "北岭镇"]:
                Township.objects.create(name=name)
            for name, code in [("政策咨询", "fagui"), ("奖励扶助", "guihua")]:
                category = Category.objects.create(name=name)
                Route.objects.create(category=category, section=ctx.sections[code])
    if Case.objects.exists():
        return
    categories = list(Category.objects.all())
    towns = list(Township.objects.all())
    handlers = list(Person.objects.filter(section__code__in=["fagui", "guihua"]))
    officer = Person.objects.get(user__username="petition")
    ct = ContentType.objects.get_for_model(Case)
    next_case = 1
    next_deadline = 1
    started = time.perf_counter()
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        cases, identities, deadlines = [], [], []
        for _i in range(size):
            received = today - datetime.timedelta(days=rng.randint(0, DAYS))
            handler = rng.choice(handlers)
            age = (today - received).days
            open_case = age < 120 and rng.random() < 0.15
            status = rng.choice(["routed", "accepted"]) if open_case else "closed"
            cases.append(
                Case(
                    pk=next_case,
                    number=f"示计生信〔{received.year}〕{next_case}号",
                    channel=rng.choice(["letter", "visit", "phone", "email", "online"]),
                    received_on=received,
                    summary="bench",
                    category=rng.choice(categories),
                    township=rng.choice(towns),
                    status=status,
                    section_id=handler.section_id,
                    handler=handler,
                    officer=officer,
                    decision="" if status == "routed" else "accepted",
                    decided_on=None if status == "routed" else received,
                    closed_on=None
                    if open_case
                    else received + datetime.timedelta(days=40),
                )
            )
            identities.append(
                Identity(case_id=next_case, name="某某", phone=f"139{next_case:08d}")
            )
            kind = "petitions.decide" if status == "routed" else "petitions.conclude"
            length = 15 if status == "routed" else 60
            due = received + datetime.timedelta(days=length)
            deadlines.append(
                Deadline(
                    pk=next_deadline,
                    kind=kind,
                    content_type=ct,
                    object_id=next_case,
                    label=f"bench {next_case}",
                    rule="PET-2",
                    start=received,
                    length=length,
                    day_type="calendar",
                    remind_days=3,
                    escalate_to="",
                    due_date=due,
                    remind_from=due - datetime.timedelta(days=3),
                    responsible=handler,
                    section_id=handler.section_id,
                    unit_id=handler.unit_id,
                    state="open" if open_case else "met",
                    closed_on=None
                    if open_case
                    else received + datetime.timedelta(days=10),
                )
            )
            next_case += 1
            next_deadline += 1
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=2000)
            Identity.objects.bulk_create(identities, batch_size=2000)
            Deadline.objects.bulk_create(deadlines, batch_size=2000)
        done += size
        if done % 50_000 == 0 or done == n:
            rate = done / (time.perf_counter() - started)
            print(f"  seeded {done:,} cases ({rate:,.0f}/s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Case, Identity, Deadline]
            ):
                cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(client, url) -> tuple[float, int]:
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
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    today = timezone.localdate()
    if args.reseed:
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    seed(args.n, today)
    open_cases = Case.objects.exclude(status="closed").count()
    overdue = Deadline.objects.filter(state="open", due_date__lt=today).count()
    print(
        f"{connection.vendor}: {Case.objects.count():,} cases, {open_cases:,} open, "
        f"{overdue:,} open clocks overdue"
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username="petition"))
    base_ms, base_q = timed(client, "/")
    list_ms, list_q = timed(client, "/petitions/")
    page_ms, page_q = timed(client, "/petitions/?page=20")
    print(f"  home page (bare baseline): {base_ms:.1f} ms, {base_q} queries")
    print(
        f"  officer's open list, page 1: {list_ms:.1f} ms, {list_q} queries (target ≤ 150 ms)"
    )
    print(f"  officer's open list, page 20: {page_ms:.1f} ms, {page_q} queries")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = services.petitions_escalate(today=today, commit=False)
        dry = (time.perf_counter() - started) * 1000
    print(
        f"  overdue scan, dry run: {dry:.0f} ms, {len(queries)} queries, "
        f"{len(result.sent)} rungs due (target ≤ 1 s)"
    )
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        started = time.perf_counter()
        result = services.petitions_escalate(today=today, commit=True)
        real = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    print(
        f"  overdue scan, committed (rolled back): {real:.0f} ms, {len(queries)} "
        f"queries, {len(result.sent)} notices"
    )


if __name__ == "__main__":
    main()
