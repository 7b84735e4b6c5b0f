#!/usr/bin/env python
"""HTTP mode of the benches: pages measured as users meet them.

    DATABASE_URL=postgres://root@localhost/bureau_http_bench \\
    REDIS_URL=redis://127.0.0.1:6379/6 \\
    /work/main/.venv/bin/python bench/http_harness.py signin [--staff 1000]
    ... bench/http_harness.py approvals [--n 10000]     # 1,000,000 for the goal
    ... bench/http_harness.py reports [--staff 10000]   # report, xlsx, dashboard

    common options: --workers 4 (gunicorn sync workers) --clients 8 (concurrent
    clients) --requests 200 (per run) --runs 3 (the medians are printed)

What runs: gunicorn with N sync workers on 127.0.0.1, under the deployment's
profile (BUREAU_PROFILE=production, DEBUG off, PostgreSQL, Redis cache) through
bench/http_settings.py, which adds one baseline view to the product's URLs. Each
request is what nginx would pass on (deploy/nginx.conf): `X-Forwarded-Proto:
https` (so the production profile's HTTPS redirect does not answer instead of the
page), `X-Forwarded-For`, and the `Origin` a browser sends with a POST (CSRF over
HTTPS checks it). Clients are Python threads, one new connection per request (a
sync worker closes it anyway).

Every figure is printed beside the baseline measured in the same run: a bare
Django view behind the same middleware (session, login, CSRF) that does one
INSERT — the least a request that writes can cost on this stack — and with the
load average, because the machine may be shared.

The database named by DATABASE_URL is created if missing and FLUSHED by the
`signin` scenario (never point it at real data); `approvals` seeds on top of what
is there (leave_bench's generator, N leave requests with their approvals).
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# What the deployment sets (docker-compose.yml, .env.example), for the bench.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.http_settings",
    "BUREAU_PROFILE": "production",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-only-secret-" + "0123456789abcdef" * 3,
    "BUREAU_TRUSTED_PROXIES": "1",
    "LOG_LEVEL": "ERROR",
    "PYTHONWARNINGS": "ignore",
}
HOST = "127.0.0.1"


def configure() -> None:
    """The environment the server and this process share."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL=postgres://… (the HTTP benches run on PostgreSQL)")
    if not os.environ.get("REDIS_URL"):
        sys.exit("set REDIS_URL=redis://127.0.0.1:6379/<db> (the deployment's cache)")
    os.environ.update(BENCH_ENV)


def create_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def load_bench_module(name: str):
    """Another bench script (its generators), imported by path."""
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", ROOT / "bench" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare() -> None:
    """Static files as production serves them, and the baseline's table."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.http_urls import BARE_TABLE

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} "
            "(id bigserial PRIMARY KEY, user_id bigint, at timestamptz)"
        )


@dataclass(frozen=True)
class Login:
    session_key: str
    csrf: str
    user_id: int


def logins(users) -> list[Login]:
    """A signed-in session per user, as the login page would leave it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from bureau.settings import AUTHENTICATION_BACKENDS

    backend = next(b for b in AUTHENTICATION_BACKENDS if "axes" not in b)
    out = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        out.append(Login(store.session_key, secrets.token_hex(16), user.pk))
    return out


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    login: Login
    form: dict | None = None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn, N sync workers, the bench settings; stopped on exit."""

    def __init__(self, workers: int):
        self.workers = workers
        self.port = _free_port()
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bureau.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            env={**os.environ, **BENCH_ENV},
        )
        deadline = time.time() + 300  # a loaded machine imports slowly
        while True:
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/healthz", headers=self.proxy_headers())
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.time() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def proxy_headers(self) -> dict:
        # What deploy/nginx.conf adds: the scheme the browser used and its address.
        return {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "10.0.0.8",
        }

    def send(self, request: Request) -> tuple[int, float, str]:
        from django.conf import settings

        login = request.login
        headers = {
            **self.proxy_headers(),
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={login.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={login.csrf}",
        }
        body = None
        if request.method == "POST":
            body = urlencode(
                {"csrfmiddlewaretoken": login.csrf, **(request.form or {})},
                doseq=True,
            ).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}:{self.port}"
            headers["Referer"] = f"https://{HOST}:{self.port}{request.path}"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        begin = time.perf_counter()
        conn.request(request.method, request.path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - begin
        conn.close()
        return response.status, elapsed, response.getheader("Location") or ""


@dataclass
class Run:
    latencies: list = field(default_factory=list)
    statuses: list = field(default_factory=list)
    locations: list = field(default_factory=list)
    wall: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def drive(server: Server, requests: list[Request], clients: int) -> Run:
    run = Run()
    begin = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for status, elapsed, location in pool.map(server.send, requests):
            run.latencies.append(elapsed)
            run.statuses.append(status)
            run.locations.append(location)
    run.wall = time.perf_counter() - begin
    return run


@dataclass(frozen=True)
class Figures:
    rps: float
    p50_ms: float
    p99_ms: float
    n: int
    bad: int

    def __str__(self):
        bad = f", {self.bad} unexpected answers" if self.bad else ""
        return (
            f"{self.rps:7.1f} req/s  p50 {self.p50_ms:6.1f} ms  "
            f"p99 {self.p99_ms:6.1f} ms  ({self.n} requests{bad})"
        )


def medians(runs: list[Run], ok) -> Figures:
    return Figures(
        rps=statistics.median(r.rps for r in runs),
        p50_ms=statistics.median(r.pct(50) for r in runs) * 1000,
        p99_ms=statistics.median(r.pct(99) for r in runs) * 1000,
        n=sum(len(r.latencies) for r in runs),
        bad=sum(
            1
            for r in runs
            for s, loc in zip(r.statuses, r.locations, strict=True)
            if not ok(s, loc)
        ),
    )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def redirected_home(status, location):
    return status == 302 and "/accounts/login" not in location


def bare_requests(pool: list[Login], count: int, rng) -> list[Request]:
    return [Request("POST", "/bench/bare/", rng.choice(pool)) for _i in range(count)]


def compare(
    server: Server,
    args,
    label: str,
    make_requests,
    ok,
    baseline_pool: list[Login],
    rng,
    between=None,
) -> tuple[Figures, Figures]:
    """`args.runs` runs of the page and of the baseline, interleaved; medians."""
    drive(server, bare_requests(baseline_pool, args.clients * 4, rng), args.clients)
    drive(server, make_requests(args.clients * 2, warmup=True), args.clients)
    page_runs, bare_runs = [], []
    loads = []
    for _i in range(args.runs):
        if between:
            between()
        bare_runs.append(
            drive(
                server, bare_requests(baseline_pool, args.requests, rng), args.clients
            )
        )
        page_runs.append(drive(server, make_requests(args.requests), args.clients))
        loads.append(os.getloadavg()[0])
    page = medians(page_runs, ok)
    bare = medians(bare_runs, redirected_home)
    share = page.rps / bare.rps * 100 if bare.rps else 0
    print(f"{label}")
    print(f"    page     {page}")
    print(f"    baseline {bare}   page/baseline {share:.0f}% of req/s")
    print(f"    1-min load during the runs: {', '.join(f'{x:.2f}' for x in loads)}")
    return page, bare


def queries_of(method: str, path: str, user, data=None) -> int:
    """The statements one request runs (in this process, the test client)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        getattr(client, method.lower())(path, data=data or {}, secure=True)
    return sum(
        1
        for q in captured.captured_queries
        if not q["sql"].lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))
    )


# --- scenarios -----------------------------------------------------------------


def scenario_signin(args) -> None:
    """ATT-1 sign-in at 08:00: every request is another person's first click."""
    att = load_bench_module("attendance_bench")
    create_database(os.environ["DATABASE_URL"])
    att.setup_database()  # migrate + FLUSH
    prepare()
    from django.contrib.auth import get_user_model

    from attendance.models import SessionRecord

    rng = random.Random(2026)
    begin = time.perf_counter()
    today, people, _clerk = att.seed(args.staff, rng)
    if args.month:
        att.seed_month(people, today, rng)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded {len(people):,} staff{' and last month' if args.month else ''} "
        f"in {time.perf_counter() - begin:.0f} s"
    )
    User = get_user_model()
    users = list(User.objects.filter(pk__in=[p[3] for p in people]).order_by("pk"))
    pool = logins(users)
    per_run = min(args.requests, len(pool))

    def reset():
        # Today's sign-ins undone, so each run signs in people for the first time.
        SessionRecord.history.filter(date=today).delete()
        SessionRecord.objects.filter(date=today).delete()

    def make(count, warmup=False):
        return [
            Request("POST", "/attendance/sign-in/", login)
            for login in rng.sample(pool, min(count, len(pool)))
        ]

    reset()
    # The first sign-in of a unit computes its day plan; the count is a later one's
    # (users 1 and 2 work in the same unit: attendance_bench.seed).
    queries_of("POST", "/attendance/sign-in/", users[1])
    queries = queries_of("POST", "/attendance/sign-in/", users[2])
    reset()
    print(f"one sign-in: {queries} queries; {load_average()}")
    with Server(args.workers) as server:
        print(
            f"gunicorn {args.workers} sync workers, {args.clients} clients, "
            f"{per_run} requests a run, median of {args.runs} runs"
        )
        compare(
            server,
            args,
            f"sign-in, {args.staff:,} staff",
            make,
            redirected_home,
            pool,
            rng,
            between=reset,
        )
    print(load_average())


def scenario_approvals(args) -> None:
    """The deciders' desk at N requests: "everything I may see" (head, director),
    a further page of it, and a decision confirmed in the admin."""
    create_database(os.environ["DATABASE_URL"])
    leave = load_bench_module("leave_bench")  # django.setup() on import
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    prepare()
    from django.contrib.auth import get_user_model
    from django.db.models import F, Max
    from django.utils import timezone

    from approvals.models import ApprovalRequest, ApprovalStep
    from leave.models import LeaveRequest

    template = min(args.n, 10_000)
    existing = LeaveRequest.objects.count()
    if existing < template:
        print(f"seeding {template - existing:,} leave requests …", flush=True)
        leave.seed(template - existing, timezone.localdate())
    total = ApprovalRequest.objects.count()
    if total < args.n:
        replicate(args.n)
    total = ApprovalRequest.objects.count()
    print(f"approval requests: {total:,}; {load_average()}")
    if args.seed_only:
        return
    rng = random.Random(17)
    User = get_user_model()
    by_name = {u.username: u for u in User.objects.all()}
    pool = logins(list(by_name.values()))
    login_of = {login.user_id: login for login in pool}
    url = "/admin/approvals/approvalrequest/"

    def lister(username, query):
        login = login_of[by_name[username].pk]

        def make(count, warmup=False):
            return [Request("GET", f"{url}?{query}", login) for _i in range(count)]

        return make

    def is_200(status, _location):
        return status == 200

    with Server(args.workers) as server:
        print(
            f"gunicorn {args.workers} sync workers, {args.clients} clients, "
            f"{args.requests} requests a run, median of {args.runs} runs"
        )
        for username in ("head1", "director"):
            user = by_name[username]
            count = queries_of("GET", f"{url}?waiting=all", user)
            compare(
                server,
                args,
                f'"everything I may see", {username}, {total:,} requests '
                f"({count} queries)",
                lister(username, "waiting=all"),
                is_200,
                pool,
                rng,
            )
        # A page deep in the list: its cursor, 5,000 rows down.
        oldest = (
            ApprovalRequest.objects.order_by("-submitted_at", "-pk")
            .values_list("submitted_at", "pk")[5000:5001]
            .first()
        )
        if oldest:
            cursor = f"{oldest[0].isoformat()}~{oldest[1]}"
            compare(
                server,
                args,
                '"everything I may see", director, a page 5,000 rows down',
                lister("director", urlencode({"waiting": "all", "after": cursor})),
                is_200,
                pool,
                rng,
            )
        # Deciding in the admin: each confirm POST decides another request. The
        # generator leaves 0.2 % pending: enough waiting ones are seeded for the
        # runs (new ids, after the copies; only these are decided).
        needed = (args.runs + 2) * min(args.requests, 100)
        newest = ApprovalRequest.objects.order_by("-pk").values_list("pk", flat=True)
        first_new = (newest.first() or 0) + 1
        print(f"seeding {needed:,} waiting leave requests to decide …", flush=True)
        # Past the copies' subject ids (`replicate` numbers them on).
        top_subject = (
            ApprovalRequest.objects.order_by("-object_id")
            .values_list("object_id", flat=True)
            .first()
            or 0
        )
        leave.seed(
            needed, timezone.localdate(), pending=1.0, leave_pk_from=top_subject + 1
        )
        pending = list(
            ApprovalStep.objects.filter(
                status=ApprovalStep.Status.PENDING,
                approver__user__isnull=False,
                request__status=ApprovalRequest.Status.PENDING,
                # The requests just seeded: copies (`replicate`) have no leave
                # request of their own for the decision's hook to update.
                request_id__gte=first_new,
            )
            .exclude(request__requester_id=F("approver_id"))
            .values_list("approver__user_id", "request_id")
        )
        users_with_perm = {
            u.pk
            for u in User.objects.filter(pk__in={p[0] for p in pending})
            if u.has_perm("approvals.decide_approvalrequest")
        }
        pending = [p for p in pending if p[0] in users_with_perm]
        rng.shuffle(pending)
        seen, distinct = set(), []
        for user_id, request_id in pending:
            if request_id not in seen:
                seen.add(request_id)
                distinct.append((user_id, request_id))
        per_run = min(args.requests, len(distinct) // (args.runs + 1))
        if per_run < 10:
            print("too few pending requests to measure deciding in the admin")
            return
        saved_requests = args.requests
        args.requests = per_run

        def decide(count, warmup=False):
            batch = [distinct.pop() for _i in range(min(count, len(distinct)))]
            return [
                Request(
                    "POST",
                    f"{url}",
                    login_of[user_id],
                    {
                        "action": "approve_selected",
                        "_selected_action": str(request_id),
                        "select_across": "0",
                        "apply": "1",
                        "comment": "",
                    },
                )
                for user_id, request_id in batch
            ]

        # The statements are counted on a last step (the leave approved: its
        # number, its return deadline, the requester told), the costliest kind.
        last = set(
            ApprovalRequest.objects.filter(pk__in=[r for _u, r in distinct])
            .annotate(last_order=Max("steps__order"))
            .filter(current_order=F("last_order"))
            .values_list("pk", flat=True)
        )
        pick = next(
            (pair for pair in reversed(distinct) if pair[1] in last), distinct[-1]
        )
        distinct.remove(pick)
        user_id, request_id = pick
        kind = "a last step" if request_id in last else "a step"
        count = queries_of(
            "POST",
            url,
            User.objects.get(pk=user_id),
            {
                "action": "approve_selected",
                "_selected_action": str(request_id),
                "select_across": "0",
                "apply": "1",
                "comment": "",
            },
        )
        compare(
            server,
            args,
            f"deciding in the admin (confirm POST; {kind}: {count} queries)",
            decide,
            lambda status, location: status == 302,
            pool,
            rng,
        )
        args.requests = saved_requests
    print(load_average())


def scenario_reports(args) -> None:
    """The clerk's and the inspector's heavy pages at N staff (issue 17): the
    month's report for the whole bureau and for the largest unit, its xlsx, and
    the discipline dashboard over a year of violations. Seeds once (attendance
    bench's generator: staff and last month's records; then about three
    violations a person, judged by the bulk rebuild); a later run with the same
    --staff reuses the data."""
    import datetime

    att = load_bench_module("attendance_bench")
    create_database(os.environ["DATABASE_URL"])
    att.setup_database(reuse=True)  # migrate; flushed below only when re-seeding
    prepare()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from bureau.models import Person, Role
    from discipline.models import Violation
    from discipline.services import discipline_rebuild_year

    rng = random.Random(2026)
    User = get_user_model()
    seeded = att.reused(args.staff)
    if seeded is None or not Violation.objects.exists():
        call_command("flush", interactive=False, verbosity=0)
        begin = time.perf_counter()
        today, people, clerk = att.seed(args.staff, rng)
        first, rows = att.seed_month(people, today, rng)
        kinds = load_bench_module("discipline_bench").VIOLATION_KINDS
        year = today.year
        violations = [
            Violation(
                person_id=person_id,
                occurred_on=datetime.date(year, 1, 1)
                + datetime.timedelta(
                    days=rng.randrange((today - datetime.date(year, 1, 1)).days + 1)
                ),
                kind=kind,
                ladder=ladder,
                days=days,
                status=rng.choice(["upheld"] * 9 + ["dismissed"]),
            )
            for person_id, *_rest in people
            for _i in range(rng.choice(range(7)))
            for kind, ladder, days in [rng.choice(kinds)]
        ]
        Violation.objects.bulk_create(violations, batch_size=5000)
        discipline_rebuild_year(year=year)
        inspector = User.objects.create_user("bench-inspector", password="!")
        inspector.groups.add(Group.objects.get(name=Role.DISCIPLINE_INSPECTOR))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"seeded {len(people):,} staff, {rows:,} records of {first:%Y-%m} and "
            f"{len(violations):,} violations in {time.perf_counter() - begin:.0f} s",
            flush=True,
        )
    else:
        today, people, clerk = seeded
        first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        print(f"reused {len(people):,} staff", flush=True)
    att.ensure_sheets(first)
    if args.seed_only:
        return
    inspector = User.objects.get(username="bench-inspector")
    clerk = User.objects.get(pk=clerk.pk)
    unit = (
        Person.objects.values_list("unit__name", flat=True)
        .order_by("unit__order", "unit_id")
        .first()
    )
    unit_rows = Person.objects.filter(unit__name=unit).count()
    month = f"{first:%Y-%m}"
    pool = logins(list(User.objects.filter(person__isnull=False).order_by("pk")[:200]))
    clerk_login, inspector_login = logins([clerk, inspector])
    pages = [
        (
            f"monthly report page, whole bureau, {len(people):,} staff",
            clerk,
            clerk_login,
            f"/attendance/report/?month={month}",
        ),
        (
            f"monthly report page, one unit ({unit_rows:,} rows)",
            clerk,
            clerk_login,
            f"/attendance/report/?{urlencode({'month': month, 'unit': unit})}",
        ),
        (
            f"monthly report xlsx, {len(people):,} staff (streamed)",
            clerk,
            clerk_login,
            f"/attendance/report.xlsx?month={month}",
        ),
        (
            f"discipline dashboard, {len(people):,} staff, "
            f"{Violation.objects.count():,} violations",
            inspector,
            inspector_login,
            f"/discipline/dashboard/?year={today.year}",
        ),
    ]

    def is_200(status, _location):
        return status == 200

    print(f"{load_average()}")
    with Server(args.workers) as server:
        print(
            f"gunicorn {args.workers} sync workers, {args.clients} clients, "
            f"{args.requests} requests a run, median of {args.runs} runs"
        )
        for label, user, login, path in pages:
            count = queries_of("GET", path, user)

            def make(count, warmup=False, login=login, path=path):
                return [Request("GET", path, login) for _i in range(count)]

            compare(server, args, f"{label} ({count} queries)", make, is_200, pool, rng)
    print(load_average())


def replicate(n: int) -> None:
    """Up to `n` approval requests by copying the generator's first ones (with
    their steps) in SQL, each copy moved back 37 s × its number and given new ids
    and subject ids: the Python generator seeds a few hundred a second on a
    loaded machine, PostgreSQL copies a million in minutes. The copies keep the
    generator's mix of chains, statuses and approvers (who sees how much)."""
    from django.db import connection, transaction

    request_columns = (
        "object_id, kind, summary, status, current_order, chain_policy_id, "
        "submitted_at, finished_at, content_type_id, requester_id, round"
    )
    step_columns = (
        '"order", action, relation, external_role, merged, status, decision, '
        "comment, reference, external_decided_on, decided_at, acting_for_id, "
        "approver_id, decided_by_id, hook, meeting_decision, meeting_held_on, "
        "meeting_decision_ref_id"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(id) FROM approvals_approvalrequest")
        count, top = cursor.fetchone()
        cursor.execute("SELECT max(id) FROM approvals_approvalstep")
        (top_step,) = cursor.fetchone()
        cursor.execute("SELECT max(object_id) FROM approvals_approvalrequest")
        (top_object,) = cursor.fetchone()
        copies = (n - count) // count
        copied = (
            request_columns.replace("object_id, ", "", 1)
            .replace("submitted_at", "r.submitted_at - k * interval '37 seconds'")
            .replace("kind", "r.kind")
        )
        print(f"copying {count:,} requests {copies} times in SQL …", flush=True)
        with transaction.atomic():
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                f"INSERT INTO approvals_approvalrequest (id, {request_columns}) "
                f"SELECT r.id + k * %s, r.object_id + k * %s, "
                f"{copied} "
                "FROM approvals_approvalrequest r, generate_series(1, %s) k "
                "WHERE r.id <= %s",
                [top, top_object, copies, top],
            )
            cursor.execute(
                f"INSERT INTO approvals_approvalstep (id, request_id, {step_columns}) "
                f"SELECT s.id + k * %s, s.request_id + k * %s, {step_columns} "
                "FROM approvals_approvalstep s, generate_series(1, %s) k "
                "WHERE s.id <= %s",
                [top_step, top, copies, top_step],
            )
        for table in ("approvals_approvalrequest", "approvals_approvalstep"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
            cursor.execute(f"ANALYZE {table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="scenario", required=True)
    signin = sub.add_parser("signin", help="sign-in at 08:00 (ATT-1)")
    signin.add_argument(
        "--staff", type=int, default=1_000, help="1000, 10000 or 100000"
    )
    signin.add_argument(
        "--no-month",
        dest="month",
        action="store_false",
        help="skip seeding last month's records (faster at 100,000 staff)",
    )
    approvals = sub.add_parser("approvals", help="the deciders' desk")
    approvals.add_argument(
        "--n", type=int, default=10_000, help="leave requests (1000000 for the goal)"
    )
    reports = sub.add_parser(
        "reports", help="the month's report, its xlsx and the discipline dashboard"
    )
    reports.add_argument(
        "--staff", type=int, default=10_000, help="1000, 10000 or 100000"
    )
    for p in (signin, approvals, reports):
        p.add_argument(
            "--seed-only", action="store_true", help="seed (or reuse) and stop"
        )
        p.add_argument("--workers", type=int, default=4)
        p.add_argument("--clients", type=int, default=8)
        p.add_argument("--requests", type=int, default=200)
        p.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    configure()
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}  {load_average()}")
    {
        "signin": scenario_signin,
        "approvals": scenario_approvals,
        "reports": scenario_reports,
    }[args.scenario](args)


if __name__ == "__main__":
    main()
