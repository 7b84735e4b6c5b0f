"""Benchmark of finance with many claim lines (issue 12: 1,000,000).

    .venv/bin/python bench/finance_bench.py              # SQLite at /tmp/finance_bench.sqlite3
    DATABASE_URL=postgres://root@localhost/bureau_finance_bench .venv/bin/python bench/finance_bench.py
    options: --lines 1000000 (claim lines to seed, 4 per claim), --reseed,
             --explain (EXPLAIN ANALYZE of the queue's queries, PostgreSQL)

On PostgreSQL the rows are made by the database itself (INSERT … SELECT over
generate_series: a million lines in about a minute); on SQLite in bulk from Python.

Seeds the demo organisation, then claims with 4 lines each and their invoices in bulk
(explicit ids, no history rows: the benchmark measures reads), most paid, a few
hundred approved and waiting for the batch. Prints the duplicate-invoice check (the
look-up `claim_save` makes before writing; median of 200), and the finance officer's
queue (`/finance/`) and batch page (`/finance/batches/`) through HTTP, median of 7
warm runs and their query counts.
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
    os.environ.setdefault("SQLITE_PATH", "/tmp/finance_bench.sqlite3")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bureau.demo import load_organisation  # noqa: E402
from bureau.models import Organisation, Person  # noqa: E402
from finance import services  # noqa: E402
from finance.models import Claim, ClaimLine, InvoiceUse  # noqa: E402

BATCH = 5_000
LINES_PER_CLAIM = 4


def seed(claims: int, today: datetime.date) -> None:
    rng = random.Random(12)
    if not Organisation.objects.exists():
        with transaction.atomic():
            load_organisation(today)
    people = list(Person.objects.all())
    director = Person.objects.get(user__username="director")
    next_claim = (
        Claim.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    next_line = (
        ClaimLine.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    now = timezone.now()
    done = 0
    while done < claims:
        size = min(BATCH, claims - done)
        rows, lines, uses = [], [], []
        for _i in range(size):
            person = rng.choice(people)
            day = today - datetime.timedelta(days=rng.randint(0, 3650))
            status = "approved" if rng.random() < 0.002 else "paid"
            amounts = [Decimal(rng.randint(100, 99_999)) / 100 for _ in range(4)]
            rows.append(
                Claim(
                    pk=next_claim,
                    claimant_id=person.pk,
                    handler_id=person.pk,
                    witness_id=director.pk,
                    purpose="bench",
                    payee=f"单位{rng.randint(1, 500)}",
                    expense_date=day,
                    payment_method="bank_transfer",
                    total=sum(amounts),
                    status=status,
                    approver_id=director.pk,
                    paid_at=now if status == "paid" else None,
                )
            )
            key = f"{next_claim:020d}"
            uses.append(InvoiceUse(key=key, claim_id=next_claim))
            for position, amount in enumerate(amounts, start=1):
                lines.append(
                    ClaimLine(
                        pk=next_line,
                        claim_id=next_claim,
                        position=position,
                        item="打印纸",
                        unit="箱",
                        quantity=1,
                        unit_price=amount,
                        amount=amount,
                        voucher="invoice",
                        invoice_number=key,
                        invoice_key=key,
                    )
                )
                next_line += 1
            next_claim += 1
        with transaction.atomic():
            Claim.objects.bulk_create(rows)
            ClaimLine.objects.bulk_create(lines)
            InvoiceUse.objects.bulk_create(uses)
        done += size
        print(f"  {done * LINES_PER_CLAIM:,} lines", end="\r", flush=True)
    print()


def seed_postgres(claims: int, today: datetime.date) -> None:
    """The same rows as `seed`, made by PostgreSQL: 0.2 % approved and waiting for
    a batch, the rest paid; ten years of expense dates; 4 lines and one invoice a
    claim."""
    if not Organisation.objects.exists():
        with transaction.atomic():
            load_organisation(today)
    people = list(Person.objects.values_list("pk", flat=True))
    director = Person.objects.get(user__username="director").pk
    start = (
        Claim.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    first_line = (
        ClaimLine.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    ids = "(ARRAY[" + ",".join(str(p) for p in people) + "])"
    amount = "(((g * 7919) %% 99900) + 100) / 100.0"
    step = 50_000
    with connection.cursor() as cursor:
        for low in range(start, start + claims, step):
            high = min(low + step, start + claims) - 1
            cursor.execute(
                f"""
                INSERT INTO finance_claim (id, claimant_id, handler_id, witness_id,
                    purpose, payee, expense_date, payment_method, total, status,
                    approver_id, rule, chain_policy_id, thresholds_policy_id,
                    finance_reason, finance_by_id, finance_at, batch_id, paid_at,
                    created_at, submitted_at)
                SELECT g, {ids}[1 + g %% {len(people)}], {ids}[1 + g %% {len(people)}],
                    {director}, 'bench', '单位' || (g %% 500), %s - (g %% 3650),
                    'bank_transfer', 4 * {amount},
                    CASE WHEN g %% 500 = 0 THEN 'approved' ELSE 'paid' END,
                    {director}, 'FIN-5', NULL, NULL, '', NULL, NULL, NULL,
                    CASE WHEN g %% 500 = 0 THEN NULL ELSE now() END,
                    now() - (g %% 3650) * interval '1 day', NULL
                FROM generate_series(%s, %s) AS g
                """,
                [today, low, high],
            )
            cursor.execute(
                f"""
                INSERT INTO finance_claimline (id, claim_id, position, item, unit,
                    quantity, unit_price, amount, voucher, invoice_code,
                    invoice_number, invoice_key, fixed_asset, received_at,
                    received_by_id)
                SELECT %s + (g - %s) * 4 + p - 1, g, p, '打印纸', '箱', 1, {amount},
                    {amount}, 'invoice', '', lpad(g::text, 20, '0'),
                    lpad(g::text, 20, '0'), false, NULL, NULL
                FROM generate_series(%s, %s) AS g, generate_series(1, 4) AS p
                """,
                [first_line, start, low, high],
            )
            cursor.execute(
                """
                INSERT INTO finance_invoiceuse (key, claim_id)
                SELECT lpad(g::text, 20, '0'), g FROM generate_series(%s, %s) AS g
                """,
                [low, high],
            )
            print(
                f"  {(high - start + 1) * LINES_PER_CLAIM:,} lines",
                end="\r",
                flush=True,
            )
        for table in ("finance_claim", "finance_claimline", "finance_invoiceuse"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
            cursor.execute(f"ANALYZE {table}")
    print()


def explain(username: str, url: str) -> None:
    """EXPLAIN ANALYZE of every query the page makes that takes over 2 ms."""
    client = Client()
    client.force_login(Person.objects.get(user__username=username).user)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for query in queries.captured_queries:
        if float(query["time"]) * 1000 < 2:
            continue
        print(f"--- {float(query['time']) * 1000:.1f} ms: {query['sql'][:300]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + query["sql"])
            for (line,) in cursor.fetchall()[:12]:
                print("   ", line)


def measure_duplicate_check() -> float:
    keys = list(InvoiceUse.objects.order_by("?").values_list("key", flat=True)[:200])
    timings = []
    for key in keys:
        started = time.perf_counter()
        found = services._claimed_elsewhere([key], None)
        timings.append((time.perf_counter() - started) * 1000)
        assert key in found
    return statistics.median(timings)


def measure_page(username: str, url: str) -> tuple[float, int]:
    client = Client()
    client.force_login(Person.objects.get(user__username=username).user)
    client.get(url)
    timings = []
    for _i in range(7):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(timings), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    if args.reseed:
        InvoiceUse.objects.all().delete()
        ClaimLine.objects.all().delete()
        Claim.objects.all().delete()
    existing = ClaimLine.objects.count()
    if existing < args.lines:
        claims = (args.lines - existing) // LINES_PER_CLAIM
        print(f"seeding {claims * LINES_PER_CLAIM:,} claim lines …")
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            seed_postgres(claims, today)
        else:
            seed(claims, today)
        print(f"seeded in {time.perf_counter() - started:.0f} s")
    print(
        f"rows: claims {Claim.objects.count():,}, lines {ClaimLine.objects.count():,}, "
        f"waiting for a batch {services.claims_to_pay().count():,}"
    )
    print(
        f"duplicate-invoice check: {measure_duplicate_check():.2f} ms (median of 200)"
    )
    print(f"load average: {os.getloadavg()}")
    if args.explain and connection.vendor == "postgresql":
        explain("finance", "/finance/")
    for url in ["/finance/", "/finance/batches/", "/healthz"]:
        ms, queries = measure_page("finance", url)
        print(
            f"finance officer {url:<18} {ms:7.1f} ms (median of 7)  {queries} queries"
        )


if __name__ == "__main__":
    main()
