"""Benchmark of the service window's queue and log with 1,000,000 logged contacts.

    .venv/bin/python bench/window_bench.py               # SQLite at /tmp/window_bench.sqlite3
    DATABASE_URL=postgres://root@localhost/bureau_window_bench .venv/bin/python bench/window_bench.py
    options: --n 1000000 (contacts to seed), --reseed (drop and seed again),
             --profile (pyinstrument's profile of one warm queue request, if installed)

Seeds the demo organisation, one township window (A and B posts) with a service,
then N contacts over ten years in bulk (explicit ids, no history rows: the
benchmark measures reads), one in three opening a matter (almost all closed), a
few hand-offs. Prints, for the A post's queue page (/window/) and the window's log
of a day (/window/log/), the median of 7 warm runs through HTTP and the query
count, beside a bare baseline (the login page's "healthz").
Target (issue 15): the queue page ≤ 100 ms at constant query count.
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
    os.environ.setdefault("SQLITE_PATH", "/tmp/window_bench.sqlite3")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bureau.demo import load_organisation  # noqa: E402
from bureau.models import Organisation, Person  # noqa: E402
from bureau.workdays import TZ  # noqa: E402
from window.models import Contact, Matter, Service, ServiceVersion, Window  # noqa: E402

BATCH = 10_000
OUTCOMES = ["handled", "accepted", "notified", "outside", "handed_off"]


def seed(n: int, today: datetime.date) -> Window:
    rng = random.Random(15)
    if not Organisation.objects.exists():
        with transaction.atomic():
            load_organisation(today)
    station = list(Person.objects.filter(unit__code="station").order_by("pk"))
    others = list(Person.objects.exclude(unit__code="station")[:20])
    window = Window.objects.create(
        name="城关镇计划生育服务窗口",
        unit=station[0].unit,
        post_a=station[1],
        post_b=station[2],
    )
    service = Service.objects.create(name="生育服务证")
    ServiceVersion.objects.create(
        service=service,
        effective_from=today - datetime.timedelta(days=3700),
        legal_basis="bench",
        conditions="bench",
        procedure="bench",
        statutory_days=20,
        committed_days=5,
    )
    posts = [window.post_a, window.post_b]
    next_contact, next_matter = 1, 1
    started = time.perf_counter()
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        contacts, matters = [], []
        for _i in range(size):
            days_back = rng.randint(0, 3650)
            day = today - datetime.timedelta(days=days_back)
            at = datetime.datetime.combine(
                day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=TZ
            )
            officer = rng.choice(posts)
            outcome = rng.choice(OUTCOMES)
            matter_id = None
            if outcome in ("accepted", "notified", "handled") and rng.random() < 0.5:
                # Older matters are closed; the last fortnight's may be open.
                status = "handled"
                if days_back < 14:
                    status = "accepted" if outcome == "accepted" else "awaiting"
                matters.append(
                    Matter(
                        pk=next_matter,
                        window_id=window.pk,
                        service_id=service.pk,
                        applicant="bench",
                        owner_id=officer.pk,
                        status=status,
                        opened_on=day,
                    )
                )
                matter_id = next_matter
                next_matter += 1
            handed = rng.choice(others) if outcome == "handed_off" else None
            contacts.append(
                Contact(
                    pk=next_contact,
                    window_id=window.pk,
                    channel="visit",
                    received_at=at,
                    received_by_id=officer.pk,
                    visitor="bench",
                    service_id=service.pk if matter_id else None,
                    matter_id=matter_id,
                    summary="bench",
                    outcome=outcome,
                    handed_to_id=handed.pk if handed else None,
                    taken_at=at if handed and days_back > 2 else None,
                )
            )
            next_contact += 1
        with transaction.atomic():
            Matter.objects.bulk_create(matters, batch_size=2000)
            Contact.objects.bulk_create(contacts, batch_size=2000)
        done += size
        if done % 100_000 == 0 or done == n:
            rate = done / (time.perf_counter() - started)
            print(f"  seeded {done:,} contacts ({rate:,.0f}/s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Contact, Matter]):
                cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return window


def timed(client: Client, url: str, runs: int = 7) -> tuple[float, int]:
    client.get(url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times) * 1000, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.reseed:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    window = Window.objects.first()
    if window is None:
        print(f"seeding {args.n:,} contacts …", flush=True)
        window = seed(args.n, today)
    count = Contact.objects.count()
    client = Client()
    client.force_login(window.post_a.user)
    base_ms, _ = timed(client, "/healthz")
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{connection.vendor}: {count:,} contacts; bare baseline /healthz "
        f"{base_ms:.1f} ms; load average {load}"
    )
    for label, url in [
        ("queue (/window/)", "/window/"),
        ("log of today (/window/log/)", f"/window/log/?window={window.pk}"),
        (
            "log of a busy past day",
            f"/window/log/?window={window.pk}&date="
            f"{(today - datetime.timedelta(days=400)).isoformat()}",
        ),
    ]:
        ms, queries = timed(client, url)
        print(f"{connection.vendor}: {label}: {ms:.1f} ms, {queries} queries")
    if args.profile:
        profile(client, "/window/")


def profile(client: Client, url: str) -> None:
    """Where one warm request's time goes (pyinstrument, when installed)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is not installed: no profile")
        return
    client.get(url)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    client.get(url)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
