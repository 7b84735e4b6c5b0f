"""Benchmark of the leave chapter on the approval engine with 1,000,000 requests.

    .venv/bin/python bench/leave_bench.py                # SQLite at /tmp/leave_bench.sqlite3
    DATABASE_URL=postgres://root@localhost/bureau_leave_bench .venv/bin/python bench/leave_bench.py
    options: --n 1000000 (requests to seed), --reseed (drop and seed again)

Seeds the demo organisation, then N leave requests with their approval requests and
steps in bulk (explicit ids, no history rows: the benchmark measures reads), about
0.2 % of them pending. Prints, for the approvers' "waiting for me" admin changelist,
the median time of 7 warm runs and the query count, and the queries and time of one
submission through the service (rolled back).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", "/tmp/leave_bench.sqlite3")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from approvals.chains import resolve_chain  # noqa: E402
from approvals.models import ApprovalRequest, ApprovalStep  # noqa: E402
from bureau.demo import load_organisation  # noqa: E402
from bureau.models import Organisation, Person  # noqa: E402
from bureau.policies import policy_value  # noqa: E402
from leave import rules  # noqa: E402
from leave.models import LeaveRequest  # noqa: E402

BATCH = 10_000
TIERS = [Decimal("0.5"), Decimal(1), Decimal(2), Decimal(4)]


def seed(
    n: int, today: datetime.date, pending: float = 0.002, leave_pk_from: int = 0
) -> None:
    """`n` leave requests with their approvals; `pending` of them still waiting;
    their ids from `leave_pk_from` at least (past other subjects' ids)."""
    rng = random.Random(4)
    if not Organisation.objects.exists():
        with transaction.atomic():
            load_organisation(today)
    people = list(
        Person.objects.select_related(
            "section__head",
            "section__deputy_in_charge",
            "unit__head",
            "unit__deputy_in_charge",
        )
    )
    chains = policy_value("leave.chains", today)
    resolved = {}
    for person in people:
        tiers = chains[person.position]["tiers"]
        for days in TIERS:
            tier = rules.tier_for(tiers, days)
            resolved[(person.pk, days)] = (
                chains[person.position]["rule"],
                resolve_chain(person, tier["steps"], today),
            )
    content_type = ContentType.objects.get_for_model(LeaveRequest)
    next_leave = max(
        leave_pk_from,
        (LeaveRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
        + 1,
    )
    next_approval = (
        ApprovalRequest.objects.order_by("-pk").values_list("pk", flat=True).first()
        or 0
    ) + 1
    next_step = (
        ApprovalStep.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    booked = set(
        LeaveRequest.objects.filter(status__in=["pending", "approved"]).values_list(
            "person_id", "start_date"
        )
    )
    now = timezone.now()
    started = time.perf_counter()
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        leaves, approvals, steps = [], [], []
        for _i in range(size):
            person = rng.choice(people)
            days = rng.choice(TIERS)
            rule, chain = resolved[(person.pk, days)]
            start = today - datetime.timedelta(days=rng.randint(-20, 3650))
            roll = rng.random()
            status = (
                "pending"
                if roll < pending
                else "refused"
                if roll < 0.05
                else "withdrawn"
                if roll < 0.08
                else "approved"
            )
            if status == "pending" and start < today - datetime.timedelta(days=30):
                start = today + datetime.timedelta(days=rng.randint(0, 20))
            if status in ("pending", "approved"):
                # One pending or approved leave per person and day: PostgreSQL's
                # exclusion constraint (leave 0005) refuses a second.
                slot = (person.pk, start)
                if slot in booked:
                    status = "withdrawn"
                else:
                    booked.add(slot)
            submitted = now - datetime.timedelta(days=(today - start).days + 2)
            leaves.append(
                LeaveRequest(
                    pk=next_leave,
                    person_id=person.pk,
                    leave_type="personal",
                    start_date=start,
                    start_half="am",
                    end_date=start,
                    end_half="pm",
                    days=days,
                    reason="bench",
                    handover_note="bench",
                    status=status,
                    rule=rule,
                    submitted_on=start,
                )
            )
            current = None
            if status == "pending":
                current = rng.randint(1, len(chain))
            approvals.append(
                ApprovalRequest(
                    pk=next_approval,
                    content_type_id=content_type.pk,
                    object_id=next_leave,
                    kind="leave",
                    summary=f"{person.name}: bench {next_leave}",
                    requester_id=person.pk,
                    status=status,
                    current_order=current,
                    submitted_at=submitted,
                    finished_at=None if status == "pending" else submitted,
                )
            )
            for step in chain:
                if status == "approved":
                    s, d = (
                        "done",
                        ("approved" if step.action == "approve" else "agreed"),
                    )
                elif status == "pending":
                    s = (
                        "done"
                        if step.order < current
                        else "pending"
                        if step.order == current
                        else "waiting"
                    )
                    d = "agreed" if s == "done" else ""
                elif status == "refused":
                    s, d = ("done", "refused") if step.order == 1 else ("cancelled", "")
                else:
                    s, d = "cancelled", ""
                steps.append(
                    ApprovalStep(
                        pk=next_step,
                        request_id=next_approval,
                        order=step.order,
                        action=step.action,
                        relation=step.relation,
                        external_role=step.external_role,
                        approver_id=step.approver.pk if step.approver else None,
                        acting_for_id=step.acting_for.pk if step.acting_for else None,
                        status=s,
                        decision=d,
                    )
                )
                next_step += 1
            next_leave += 1
            next_approval += 1
        with transaction.atomic():
            LeaveRequest.objects.bulk_create(leaves, batch_size=2000)
            ApprovalRequest.objects.bulk_create(approvals, batch_size=2000)
            ApprovalStep.objects.bulk_create(steps, batch_size=2000)
        done += size
        if done % 100_000 == 0 or done == n:
            rate = done / (time.perf_counter() - started)
            print(f"  seeded {done:,} requests ({rate:,.0f}/s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                __import__(
                    "django.core.management.color", fromlist=["no_style"]
                ).no_style(),
                [LeaveRequest, ApprovalRequest, ApprovalStep],
            ):
                cursor.execute(sql)
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure_changelist(username: str) -> tuple[float, int, int]:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    url = "/admin/approvals/approvalrequest/"
    # secure=True: under the production profile (BUREAU_PROFILE=production) a plain
    # request is redirected to HTTPS; behind nginx the request arrives as HTTPS.
    response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    timings = []
    for _i in range(7):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, secure=True)
            timings.append((time.perf_counter() - started) * 1000)
    rows = response.content.decode().count('name="_selected_action"')
    return statistics.median(timings), len(queries), rows


def measure_submission(today: datetime.date) -> tuple[int, float]:
    from leave.services import leave_submit

    person = Person.objects.select_related(
        "section__head",
        "section__deputy_in_charge",
        "unit__head",
        "unit__deputy_in_charge",
        "user",
    ).get(user__username="staff1")
    ContentType.objects.get_for_model(LeaveRequest)
    start = today + datetime.timedelta(days=400)
    while start.weekday() != 0:
        start += datetime.timedelta(days=1)
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            leave_submit(
                by=person.user,
                person=person,
                leave_type="annual",
                start_date=start,
                start_half="am",
                end_date=start + datetime.timedelta(days=1),
                end_half="pm",
                reason="bench",
                handover_note="bench",
            )
            elapsed = (time.perf_counter() - began) * 1000
        transaction.set_rollback(True)
    return len(queries), elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    vendor = connection.vendor
    print(f"database: {vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    existing = LeaveRequest.objects.count()
    if args.reseed and existing:
        ApprovalStep.objects.all().delete()
        ApprovalRequest.objects.all().delete()
        LeaveRequest.objects.all().delete()
        existing = 0
    if existing < args.n:
        print(f"seeding {args.n - existing:,} leave requests …")
        seed(args.n - existing, today)
    print(
        f"rows: leave {LeaveRequest.objects.count():,}, approvals "
        f"{ApprovalRequest.objects.count():,}, steps {ApprovalStep.objects.count():,}"
    )
    for username in ["head1", "deputy1", "director", "unithead1"]:
        ms, queries, rows = measure_changelist(username)
        print(
            f"pending changelist {username:<10} {ms:7.1f} ms (median of 7)  "
            f"{queries} queries  {rows} rows shown"
        )
    count, ms = measure_submission(today)
    print(f"one submission (2-day, 3-step chain): {count} queries, {ms:.1f} ms")


if __name__ == "__main__":
    main()
