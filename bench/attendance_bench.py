#!/usr/bin/env python
"""Attendance benchmark: N staff, a month of sessions, then the hot paths.

    .venv/bin/python bench/attendance_bench.py [--staff 10000] [--samples 200]
        [--concurrency 8] [--workers 2] [--no-gunicorn]

SQLite by default (a fresh file, /tmp/attendance_bench.sqlite3); with
DATABASE_URL=postgres://root@localhost/bureau_attendance_bench it runs on PostgreSQL
(the database is created if missing and FLUSHED: never point it at real data).

    --reuse --pages-only [--runs 3]   # the report pages again on the same data
    --reuse --province                # at --staff 100000: background export, sheet close

Prints: sign-in latency (median, p95) through the Django test client and under
gunicorn with concurrent clients on 127.0.0.1, queries per sign-in, the time and
queries of closing today's sheets for everyone, and of the monthly report (the
selector, and the whole page) for the previous month; then the report as the clerk
meets it (issue 17): the whole bureau's page, the largest unit's page, the xlsx
(streamed) and the background export (the request and the worker's build), medians
with their queries and the load average, and the xlsx's peak Python memory.

Today gets a working session that is open now (a bureau override of the calendar
and a schedule starting a few minutes ago), so the figures can be taken at any
hour but the last half hour before midnight, Asia/Shanghai (`open_session`).
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-gunicorn", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the data of a previous run with the same --staff (no flush, no seed)",
    )
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="only the report page, one unit's page, the xlsx and the background export",
    )
    parser.add_argument("--runs", type=int, default=3, help="page runs (median)")
    parser.add_argument(
        "--province",
        action="store_true",
        help="issue 17's province goals only: the month's background export "
        "(≤ 10 s) and closing today's sheets for everyone (≤ 30 s)",
    )
    return parser.parse_args()


def setup_database(reuse=False):
    if not os.environ.get("DATABASE_URL"):
        path = os.environ.setdefault("SQLITE_PATH", "/tmp/attendance_bench.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    else:
        _create_pg_database(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    os.environ.setdefault("AXES_ENABLED", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if os.environ.get("DATABASE_URL") and not reuse:
        call_command("flush", interactive=False, verbosity=0)


def _create_pg_database(url):
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# The last minute a bench may start: its sessions must end before midnight.
LATEST_START = datetime.time(23, 30)


def open_session(now: datetime.datetime, minutes_ago: int):
    """(morning start, morning end = afternoon start, afternoon end) as times of
    today, the morning having started `minutes_ago` minutes before `now` (never
    before midnight): two hours each, shorter late in the evening so that both end
    before midnight. Any hour of the day but the last half hour."""
    if now.time() > LATEST_START:
        sys.exit(
            f"run the benchmark before {LATEST_START:%H:%M} Asia/Shanghai "
            "(its work sessions must end before midnight)"
        )
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(now - datetime.timedelta(minutes=minutes_ago), midnight).replace(
        second=0, microsecond=0
    )
    last = midnight.replace(hour=23, minute=59)
    span = min(datetime.timedelta(hours=2), (last - start) / 2)
    span -= datetime.timedelta(
        seconds=span.seconds % 60, microseconds=span.microseconds
    )
    morning_end = start + span
    afternoon_end = min(
        last, max(morning_end + span, midnight.replace(hour=23, minute=30))
    )
    return start.time(), morning_end.time(), afternoon_end.time()


def seed(staff: int, rng: random.Random):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from bureau.models import (
        CalendarDay,
        Organisation,
        Person,
        Position,
        Role,
        SeasonalSchedule,
        Section,
        Unit,
    )
    from bureau.workdays import TZ

    now = timezone.now().astimezone(TZ)
    today = now.date()
    start, morning_end, afternoon_end = open_session(now, minutes_ago=5)
    SeasonalSchedule.objects.all().delete()
    SeasonalSchedule.objects.create(
        name="bench",
        starts_month=1,
        starts_day=1,
        morning_start=start,
        morning_end=morning_end,
        afternoon_start=morning_end,
        afternoon_end=afternoon_end,
    )
    CalendarDay.objects.update_or_create(
        date=today,
        defaults={"is_working_day": True, "kind": CalendarDay.Kind.BUREAU_WORKDAY},
    )
    org = Organisation.objects.create(name="基准测试局", doc_code="基准")
    organ = Unit.objects.create(
        organisation=org, name="局机关", code="b-organ", kind="organ"
    )
    units = [organ] + [
        Unit.objects.create(
            organisation=org, name=f"单位{i}", code=f"b-unit{i}", kind="subordinate"
        )
        for i in range(5)
    ]
    sections = [
        Section.objects.create(unit=organ, name=f"股室{i}", code=f"b-s{i}")
        for i in range(20)
    ]
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"bench{i}", password="!") for i in range(staff)],
        batch_size=2000,
    )
    people = []
    for i, user in enumerate(users):
        in_organ = i % 3 != 0
        people.append(
            Person(
                user=user,
                name=f"员工{i}",
                employee_no=f"B{i:06d}",
                unit=organ if in_organ else units[1 + i % 5],
                section=sections[i % 20] if in_organ else None,
                position=Position.SECTION_STAFF if in_organ else Position.UNIT_STAFF,
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)
    clerk = users[1]
    clerk.groups.add(Group.objects.get(name=Role.ATTENDANCE_CLERK))
    return (
        today,
        list(Person.objects.values_list("id", "unit_id", "section_id", "user_id")),
        clerk,
    )


def seed_month(people, today, rng):
    """The previous calendar month, settled, written in bulk (seed data, no history)."""
    from attendance import rules
    from attendance.models import SessionRecord
    from bureau import workdays
    from bureau.models import SeasonalSchedule

    last = today.replace(day=1) - datetime.timedelta(days=1)
    first = last.replace(day=1)
    schedule = SeasonalSchedule.objects.get()
    t = rules.Thresholds()
    total = 0
    for day in workdays.working_days_in(first, last):
        rows = []
        for person_id, unit_id, section_id, _user in people:
            for session in workdays.sessions_for_schedule(schedule, day):
                roll = rng.random()
                signed_in = None
                if roll < 0.995:
                    delay = (
                        rng.randint(-900, 540) if roll < 0.96 else rng.randint(605, 900)
                    )
                    signed_in = session.start + datetime.timedelta(seconds=delay)
                signed_out = session.end + datetime.timedelta(
                    seconds=rng.randint(0, 600)
                )
                judgement = rules.judge_session(
                    rules.SessionFacts(
                        session.start, session.end, signed_in, signed_out
                    ),
                    t,
                )
                rows.append(
                    SessionRecord(
                        person_id=person_id,
                        unit_id=unit_id,
                        section_id=section_id,
                        date=day,
                        part=session.part,
                        starts_at=session.start,
                        ends_at=session.end,
                        signed_in_at=signed_in,
                        signed_out_at=signed_out if signed_in else None,
                        arrival=rules.judge_arrival(session.start, signed_in, t)
                        if signed_in
                        else "",
                        sheet_status="in" if signed_in else "missing",
                        outcome=judgement.outcome,
                        outcome_reason=judgement.reason,
                        late=judgement.late,
                        early=judgement.early,
                        absence_days=judgement.absence_days,
                        settled_at=session.end,
                    )
                )
        SessionRecord.objects.bulk_create(rows, batch_size=5000)
        total += len(rows)
    return first, total


def ensure_sheets(first):
    """The month's sign-in sheets (the done-markers the report checks: without one
    it reports "no sheet kept"), one per unit, working day and session."""
    from attendance.models import SessionRecord, Sheet

    if Sheet.objects.filter(date__year=first.year, date__month=first.month).exists():
        return
    sessions = (
        SessionRecord.objects.filter(date__year=first.year, date__month=first.month)
        .values("unit_id", "date", "part", "starts_at", "ends_at")
        .order_by()
        .distinct()
    )
    Sheet.objects.bulk_create(
        [
            Sheet(
                closed_at=row["starts_at"],
                settled_at=row["ends_at"],
                **row,
            )
            for row in sessions
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def client_sign_ins(people, samples, rng):
    from django.test import Client

    from bureau.models import Person

    client = Client()
    chosen = rng.sample(people, samples)
    users = {
        p.user_id: p.user
        for p in Person.objects.filter(
            user_id__in=[c[3] for c in chosen]
        ).select_related("user")
    }
    latencies, queries = [], []
    for _pid, _u, _s, user_id in chosen:
        client.force_login(users[user_id])
        response, elapsed, count = timed(lambda: client.post("/attendance/sign-in/"))
        latencies.append(elapsed)
        queries.append(count)
        assert response.status_code == 302, response.status_code
    return latencies, queries, {c[3] for c in chosen}


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_sign_ins(people, used, samples, concurrency, workers, rng):
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    candidates = [p for p in people if p[3] not in used]
    chosen = rng.sample(candidates, samples)
    User = get_user_model()
    cookies = []
    for user in User.objects.filter(pk__in=[c[3] for c in chosen]):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        token = secrets.token_hex(16)
        cookies.append((store.session_key, token))
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "PYTHONWARNINGS": "ignore::UserWarning",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "bureau.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)

        def one(cookie):
            session_key, token = cookie
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={token}",
                "X-CSRFToken": token,
                "Content-Length": "0",
            }
            begin = time.perf_counter()
            conn.request("POST", "/attendance/sign-in/", headers=headers)
            status = conn.getresponse().status
            elapsed = time.perf_counter() - begin
            conn.close()
            return status, elapsed

        # warm each worker's day plan
        with ThreadPoolExecutor(concurrency) as pool:
            results = list(pool.map(one, cookies))
    finally:
        server.terminate()
        server.wait(timeout=10)
    statuses = [s for s, _e in results]
    return [e for _s, e in results], statuses


class QueryCounter:
    """Counts statements (not BEGIN/COMMIT/SAVEPOINT) through an execute wrapper:
    unlike connection.queries it has no 9,000-entry limit and needs no DEBUG."""

    CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith(self.CONTROL):
            self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._cm = connection.execute_wrapper(self)
        self._cm.__enter__()
        return self

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)


def timed(fn):
    with QueryCounter() as counter:
        begin = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - begin
    return result, elapsed, counter.count


def reused(staff):
    """The data of a previous run with as many staff, or None."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from bureau.models import Person, Role
    from bureau.workdays import TZ

    if Person.objects.count() != staff:
        return None
    clerk = Group.objects.get(name=Role.ATTENDANCE_CLERK).user_set.first()
    today = timezone.now().astimezone(TZ).date()
    people = list(Person.objects.values_list("id", "unit_id", "section_id", "user_id"))
    return today, people, clerk


def measure_pages(clerk, first, runs):
    """The report as the clerk meets it (issue 17): the whole bureau's page, the
    largest unit's page, the xlsx download (streamed, read to the end) and the
    background export as the worker builds it; medians of `runs`, with queries."""
    from django.test import Client

    from attendance.models import ReportExport
    from attendance.services import report_export_build, report_export_request
    from bureau.models import Person

    client = Client()
    client.force_login(clerk)
    month = f"{first:%Y-%m}"
    unit = (
        Person.objects.values_list("unit__name", flat=True)
        .order_by("unit__order", "unit_id")
        .first()
    )
    unit_people = Person.objects.filter(unit__name=unit).count()

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            body = (
                b"".join(response.streaming_content)
                if response.streaming
                else response.content
            )
            return len(body)

        return get

    def median(fn, label):
        fn()  # warm
        times, counts, size = [], [], 0
        for _ in range(runs):
            size, elapsed, count = timed(fn)
            times.append(elapsed)
            counts.append(count)
        print(
            f"{label}: median {statistics.median(times) * 1000:.0f} ms of {runs} "
            f"(min {min(times) * 1000:.0f}), {max(counts)} queries, "
            f"{size // 1024} KiB; load average {os.getloadavg()[0]:.2f}"
        )

    median(
        page(f"/attendance/report/?month={month}"),
        "report page, whole bureau (totals + charts)",
    )
    median(
        page(f"/attendance/report/?month={month}&unit={quote(unit)}"),
        f"report page, one unit ({unit_people} rows)",
    )
    median(page(f"/attendance/report.xlsx?month={month}"), "report xlsx (streamed)")

    def background():
        export = report_export_request(by=clerk, year=first.year, month=first.month)
        report_export_build(export_id=export.pk)
        export.refresh_from_db()
        assert export.status == ReportExport.Status.DONE, export.status
        size = export.file.size
        export.file.delete(save=False)
        return size

    median(background, "background export (request + the worker's build)")

    import tracemalloc

    tracemalloc.start()
    page(f"/attendance/report.xlsx?month={month}")()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"report xlsx: peak Python memory {peak / 2**20:.1f} MiB (tracemalloc)")


def measure_province(clerk, first, today):
    """Issue 17, item 3: at 100,000 staff, the month's report as a background
    export (the worker's build, with the time its first progress was recorded)
    and the close of today's sheets for everyone (twice: the second finds
    nothing to add)."""
    from django.utils import timezone

    from attendance.models import ReportExport
    from attendance.services import report_export as module
    from attendance.services import (
        report_export_build,
        report_export_request,
        sheets_close,
    )

    marks = []
    original = module._mark

    def mark(export_id, **fields):
        marks.append(
            (time.perf_counter(), fields.get("status"), fields.get("rows_done"))
        )
        return original(export_id, **fields)

    module._mark = mark
    try:
        begin = time.perf_counter()
        export = report_export_request(by=clerk, year=first.year, month=first.month)
        report_export_build(export_id=export.pk)
        elapsed = time.perf_counter() - begin
    finally:
        module._mark = original
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE, export.status
    size = export.file.size
    export.file.delete(save=False)
    steps = ", ".join(
        f"{status or 'rows'} {rows if rows is not None else ''} at {(at - begin):.1f} s".replace(
            "  ", " "
        )
        for at, status, rows in marks
    )
    print(
        f"background export of {first:%Y-%m}, {export.rows_total:,} rows: "
        f"{elapsed:.1f} s, {size // 1024} KiB; progress recorded: {steps}; "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    now = timezone.now()
    for label in ("sheet close, all units", "sheet close again (idempotent)"):
        run, elapsed, count = timed(
            lambda: sheets_close(day=today, now=now, force=True)
        )
        print(
            f"{label} ({run.rows_created:,} rows added): {elapsed:.1f} s, "
            f"{count} queries; load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )


def main():
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    args = parse()
    rng = random.Random(2026)
    setup_database(reuse=args.reuse)
    from django.db import connection

    print(f"database: {connection.vendor}; staff: {args.staff}", flush=True)
    begin = time.perf_counter()
    seeded = reused(args.staff) if args.reuse else None
    if seeded is None:
        if args.reuse and os.environ.get("DATABASE_URL"):
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)
        today, people, clerk = seed(args.staff, rng)
        first, rows = seed_month(people, today, rng)
        if os.environ.get("DATABASE_URL"):
            # As autovacuum would soon after: without statistics the planner
            # took the month for 5,000 rows and its aggregate spilled to disk.
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"seeded {len(people)} people and {rows} records of {first:%Y-%m} in "
            f"{time.perf_counter() - begin:.1f} s",
            flush=True,
        )
    else:
        today, people, clerk = seeded
        first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        print(f"reused {len(people)} people, month {first:%Y-%m}", flush=True)
    ensure_sheets(first)
    if args.province:
        measure_province(clerk, first, today)
        return
    if args.pages_only:
        measure_pages(clerk, first, args.runs)
        return

    latencies, queries, used = client_sign_ins(people, args.samples, rng)
    print(f"first sign-in of the day (cold day-plan cache): {queries[0]} queries")
    queries = queries[1:]
    print(
        f"sign-in (test client, {len(latencies)}): median {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {pct(latencies, 95) * 1000:.1f} ms; queries per sign-in: "
        f"median {statistics.median(queries)}, max {max(queries)}"
    )
    if not args.no_gunicorn:
        g_lat, statuses = gunicorn_sign_ins(
            people, used, args.samples, args.concurrency, args.workers, rng
        )
        ok = sum(1 for s in statuses if s == 302)
        print(
            f"sign-in (gunicorn {args.workers} workers x 4 threads, {args.concurrency} "
            f"concurrent clients, {len(g_lat)}): median {statistics.median(g_lat) * 1000:.1f} ms, "
            f"p95 {pct(g_lat, 95) * 1000:.1f} ms; {ok}/{len(statuses)} redirected (ok)"
        )

    from django.utils import timezone

    from attendance.selectors import monthly_report
    from attendance.services import sheets_close

    now = timezone.now()
    run, elapsed, count = timed(lambda: sheets_close(day=today, now=now, force=True))
    print(
        f"sheet close (all units, {run.rows_created} rows added): {elapsed:.2f} s, "
        f"{count} queries"
    )
    run, elapsed, count = timed(lambda: sheets_close(day=today, now=now, force=True))
    print(
        f"sheet close again (idempotent, {run.rows_created} rows): {elapsed:.3f} s, {count} queries"
    )

    report, elapsed, count = timed(
        lambda: monthly_report(clerk, first.year, first.month)
    )
    print(
        f"monthly report {first:%Y-%m} (selector, {len(report.rows)} rows): "
        f"{elapsed:.2f} s, {count} queries"
    )
    from django.test import Client

    client = Client()
    client.force_login(clerk)
    response, elapsed, count = timed(
        lambda: client.get(f"/attendance/report/?month={first:%Y-%m}")
    )
    print(
        f"monthly report page (HTML, {len(response.content) // 1024} KiB): {elapsed:.2f} s, "
        f"{count} queries"
    )
    response, elapsed, count = timed(
        lambda: client.get(f"/attendance/report.xlsx?month={first:%Y-%m}")
    )
    print(f"monthly report xlsx: {elapsed:.2f} s, {count} queries")
    measure_pages(clerk, first, args.runs)


if __name__ == "__main__":
    main()
