#!/usr/bin/env python
"""The CPU of one ATT-1 sign-in beside the bare-Django baseline's, in process.

    /work/main/.venv/bin/python bench/signin_cpu.py [--staff 1000] [--n 2000]
        [--runs 4] [--profile 30] [--via wsgi|client] [--reuse]

    defaults: DATABASE_URL=postgres://root@localhost/bureau_signin_cpu
              REDIS_URL=redis://127.0.0.1:6379/7

The HTTP harness (bench/http_harness.py signin) compares the two as gunicorn serves
them; on a machine whose cores are saturated its ratio of requests per second is the
ratio of CPU spent per request. This script measures that CPU directly and without
the noise of a shared machine's wall clock: the same settings (bench.http_settings,
production profile, DEBUG off, PostgreSQL, the Redis cache), the same requests
(session and CSRF cookies, the CSRF token, the `Origin` and `X-Forwarded-*` headers
nginx passes on), each sign-in another person's first of the session, each request
handed to Django's WSGI handler as gunicorn hands it (`--via client`: through
`django.test.Client` with CSRF checks enforced instead).

Printed per kind of request, over `--n` requests in `--runs` interleaved runs:
`time.process_time()` per request (this process: middleware, session, auth, the
view, the messages cookie, the response), the PostgreSQL backend's CPU per request
(it runs on the same cores; read from /proc for the connection's backend, when the
server is local) and their sum, the statements per request, and the ratio bare /
sign-in (the share of the baseline's throughput the sign-in would reach).
`--profile K` adds a cProfile of each kind (the top K functions by own time and by
cumulative time).

Today gets a working session that started a minute ago (the calendar and the
schedule are re-anchored before every run, so every sign-in is on time and before
the sheet closes): run it at any hour but the last half hour before midnight,
Asia/Shanghai. The database is FLUSHED unless --reuse finds as many staff seeded (never point it at real data).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DATABASE_URL", "postgres://root@localhost/bureau_signin_cpu")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")

from bench import http_harness as harness  # noqa: E402

HOST = "127.0.0.1"
PORT = "8000"
SIGN_IN = "/attendance/sign-in/"
BARE = "/bench/bare/"
ATT = []  # bench/attendance_bench.py, loaded by `setup`


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--staff", type=int, default=1_000)
    parser.add_argument("--n", type=int, default=2_000, help="requests of each kind")
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument(
        "--profile", type=int, default=0, help="print the top K functions"
    )
    parser.add_argument(
        "--dump", metavar="PREFIX", help="with --profile: write PREFIX-<kind>.prof"
    )
    parser.add_argument("--via", choices=["wsgi", "client"], default="wsgi")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a previous run's staff"
    )
    return parser.parse_args()


def setup(staff: int, reuse: bool):
    """Settings as the HTTP harness sets them; the bureau seeded (or reused)."""
    harness.configure()
    att = harness.load_bench_module("attendance_bench")
    ATT.append(att)
    harness.create_database(os.environ["DATABASE_URL"])
    att.setup_database(reuse=True)
    harness.prepare()
    from django.core.management import call_command
    from django.db import connection

    seeded = att.reused(staff) if reuse else None
    if seeded is None:
        call_command("flush", interactive=False, verbosity=0)
        harness.prepare()
        today, people, _clerk = att.seed(staff, random.Random(2026))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        today, people, _clerk = seeded
    return today, people


def anchor_session():
    """Today's morning session starts a minute ago (saved through the model, so
    the day plans are invalidated as a change of schedule would)."""
    from django.utils import timezone

    from bureau.models import CalendarDay, SeasonalSchedule
    from bureau.workdays import TZ

    now = timezone.now().astimezone(TZ)
    start, end, afternoon_end = ATT[0].open_session(now, minutes_ago=1)
    CalendarDay.objects.update_or_create(
        date=now.date(),
        defaults={"is_working_day": True, "kind": CalendarDay.Kind.BUREAU_WORKDAY},
    )
    schedule = SeasonalSchedule.objects.get()
    if schedule.morning_start != start:
        schedule.morning_start = start
        schedule.morning_end = end
        schedule.afternoon_start = end
        schedule.afternoon_end = afternoon_end
        schedule.save()
    return now.date()


def reset(today):
    from attendance.models import SessionRecord

    SessionRecord.history.filter(date=today).delete()
    SessionRecord.objects.filter(date=today).delete()


class WsgiDriver:
    """Requests as gunicorn hands them to Django (behind deploy/nginx.conf)."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()

    def post(self, path, login):
        from django.conf import settings

        body = urlencode({"csrfmiddlewaretoken": login.csrf}).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": HOST,
            "SERVER_PORT": PORT,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": HOST,
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_HOST": f"{HOST}:{PORT}",
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_X_FORWARDED_FOR": "10.0.0.8",
            "HTTP_ORIGIN": f"https://{HOST}:{PORT}",
            "HTTP_REFERER": f"https://{HOST}:{PORT}{path}",
            "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={login.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={login.csrf}",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = headers

        response = self.handler(environ, start_response)
        try:
            for _chunk in response:
                pass
        finally:
            response.close()
        location = next((v for k, v in answer["headers"] if k == "Location"), "")
        cookies = [v for k, v in answer["headers"] if k == "Set-Cookie"]
        return answer["status"], location, cookies


class ClientDriver:
    """The same requests through django.test.Client, CSRF checks enforced."""

    def __init__(self):
        from django.test import Client

        self.client = Client(enforce_csrf_checks=True, HTTP_HOST=f"{HOST}:{PORT}")

    def post(self, path, login):
        from django.conf import settings

        self.client.cookies.clear()
        self.client.cookies[settings.SESSION_COOKIE_NAME] = login.session_key
        self.client.cookies[settings.CSRF_COOKIE_NAME] = login.csrf
        response = self.client.post(
            path,
            {"csrfmiddlewaretoken": login.csrf},
            secure=True,
            headers={
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "10.0.0.8",
                "Origin": f"https://{HOST}:{PORT}",
                "Referer": f"https://{HOST}:{PORT}{path}",
            },
        )
        cookies = [m.OutputString() for m in response.cookies.values()]
        return response.status_code, response.get("Location", ""), cookies


def backend_cpu(pid) -> float:
    """User + system CPU seconds of a local PostgreSQL backend (None if unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_pid():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


class Tally:
    def __init__(self, label):
        self.label = label
        self.python = []  # seconds per request, one entry a run
        self.postgres = []
        self.queries = []

    def add(self, count, python, postgres, queries):
        self.python.append(python / count)
        self.postgres.append(postgres / count if postgres is not None else None)
        self.queries.append(queries / count)

    def figures(self):
        python = statistics.median(self.python) * 1e3
        pg = [p for p in self.postgres if p is not None]
        postgres = statistics.median(pg) * 1e3 if pg else None
        return python, postgres, statistics.median(self.queries)


class Kind:
    """One kind of request: its path and what it adds up to over a run."""

    def __init__(self, label, path, expect_message, profiler=None):
        self.label = label
        self.path = path
        self.expect_message = expect_message
        self.profiler = profiler
        self.tally = Tally(label)
        self.start_run()

    def start_run(self):
        self.count = 0
        self.python = 0.0
        self.postgres = 0.0
        self.queries = 0

    def end_run(self):
        self.tally.add(self.count, self.python, self.postgres, self.queries)

    def post(self, driver, login, counter, pid):
        """One request, its process CPU and its PostgreSQL backend's CPU added."""
        queries = counter.count
        pg = backend_cpu(pid)
        if self.profiler:
            self.profiler.enable()
        begin = time.process_time()
        status, location, cookies = driver.post(self.path, login)
        self.python += time.process_time() - begin
        if self.profiler:
            self.profiler.disable()
        after = backend_cpu(pid)
        if pg is not None and after is not None and self.postgres is not None:
            self.postgres += after - pg
        else:
            # The backend was not readable, or its connection closed meanwhile.
            self.postgres = None
        self.queries += counter.count - queries
        self.count += 1
        if status != 302 or "/accounts/login" in location:
            sys.exit(f"{self.path}: unexpected answer {status} {location}")
        if self.expect_message and not any(
            c.strip().startswith("messages=") for c in cookies
        ):
            sys.exit(f"{self.path}: no message cookie {cookies}")


def interleaved(driver, steps):
    """Requests of several kinds in turn, each timed on its own: a machine whose
    speed drifts (other load, frequency) slows every kind alike.
    `steps` is a list of (kind, login)."""
    from django.db import connection

    counter = ATT[0].QueryCounter()
    with counter:
        pid = backend_pid()
        for kind, login in steps:
            kind.post(driver, login, counter, pid)
            if connection.connection is None or backend_pid() != pid:
                # A new connection (CONN_MAX_AGE): its backend is another process.
                kind.postgres = None
                pid = backend_pid()


def print_profile(label, profiler, top):
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(top)
        print(f"\n--- {label}: top {top} by {order} ---")
        body = out.getvalue()
        print(body[body.find("   ncalls") :].rstrip())


def main():
    args = parse()
    today, people = setup(args.staff, args.reuse)
    from django.contrib.auth import get_user_model

    from attendance.models import SessionRecord

    User = get_user_model()
    users = list(User.objects.filter(pk__in=[p[3] for p in people]).order_by("pk"))
    pool = harness.logins(users)
    # One person of each unit signs in first (not counted): the unit's day plan is
    # computed and cached then, as the first click of the morning does.
    unit_of = {p[3]: p[1] for p in people}
    warm, seen = [], set()
    for login in pool:
        if unit_of[login.user_id] not in seen:
            seen.add(unit_of[login.user_id])
            warm.append(login)
    rest = [login for login in pool if login not in warm]
    per_run = min(args.n // args.runs, len(rest))
    driver = WsgiDriver() if args.via == "wsgi" else ClientDriver()
    rng = random.Random(17)
    profiles = (
        {
            "sign-in": cProfile.Profile(time.process_time),
            "bare": cProfile.Profile(time.process_time),
        }
        if args.profile
        else {}
    )
    sign_in = Kind("sign-in", SIGN_IN, True, profiles.get("sign-in"))
    bare = Kind("bare", BARE, False, profiles.get("bare"))
    print(
        f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}  {harness.load_average()}\n"
        f"{len(people):,} staff; {args.runs} runs of {per_run} sign-ins and "
        f"{per_run} bare POSTs (taking turns), via {args.via}"
    )
    # Warm-up: imports, URL resolvers, translations, connections.
    today = anchor_session()
    reset(today)
    interleaved(driver, [(bare, login) for login in rng.sample(rest, 20)])
    interleaved(driver, [(sign_in, login) for login in warm])
    for _run in range(args.runs):
        today = anchor_session()
        reset(today)
        interleaved(driver, [(sign_in, login) for login in warm])
        bare.start_run()
        sign_in.start_run()
        chosen = rng.sample(rest, per_run)
        steps = []
        for mine, other in zip(chosen, rng.sample(rest, per_run), strict=True):
            steps += [(bare, other), (sign_in, mine)]
        interleaved(driver, steps)
        bare.end_run()
        sign_in.end_run()
        signed = SessionRecord.objects.filter(
            date=today, person__user_id__in=[c.user_id for c in chosen]
        ).count()
        if signed != per_run:
            sys.exit(f"{signed} records for {per_run} sign-ins")
    reset(today)
    print(
        f"\n{'':10} {'python ms':>10} {'postgres ms':>12} {'sum ms':>8} {'queries':>8}"
    )
    rows = {}
    for tally in (bare.tally, sign_in.tally):
        python, postgres, queries = tally.figures()
        total = python + (postgres or 0)
        rows[tally.label] = (python, total)
        pg = f"{postgres:12.3f}" if postgres is not None else f"{'-':>12}"
        print(
            f"{tally.label:10} {python:10.3f} {pg} {total:8.3f} {queries:8.1f}"
            f"   (runs, python ms: "
            f"{', '.join(f'{x * 1e3:.3f}' for x in tally.python)})"
        )
    print(
        f"\nbare/sign-in, python CPU: {rows['bare'][0] / rows['sign-in'][0] * 100:.1f} %"
        f"   python + postgres CPU: {rows['bare'][1] / rows['sign-in'][1] * 100:.1f} %"
        f"\nsign-in beyond bare: {rows['sign-in'][0] - rows['bare'][0]:.3f} ms python, "
        f"{rows['sign-in'][1] - rows['bare'][1]:.3f} ms with postgres"
    )
    for label, profiler in profiles.items():
        print_profile(label, profiler, args.profile)
        if args.dump:
            profiler.dump_stats(f"{args.dump}-{label}.prof")
    print(f"\n{harness.load_average()}")


if __name__ == "__main__":
    main()
