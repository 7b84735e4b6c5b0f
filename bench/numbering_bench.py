"""Benchmark: 1,000 number allocations in a row (issue 10: at most 2 s on
PostgreSQL).

    .venv/bin/python bench/numbering_bench.py [--count 1000] [--no-sqlite]

Three timings, each of `--count` allocations for as many new records:
  * (a) in one transaction (a batch registered at once): numbering's own cost —
    the figure the goal is held against (docs/numbering.md says why);
  * (b) each in a transaction of its own, as a chapter's service takes them, so
    each pays a commit; printed against the same 2 s, for information;
  * beside it, the bare baseline: as many one-row write transactions without
    numbering, i.e. what the commits alone cost on this machine (fsync).
The load average (1, 5, 15 min) is printed before and after: on the shared 2-core
machine the figures move with it.
Then the round-trip floor (as many `SELECT 1` as the allocations send statements:
what the machine's latency alone costs), the statements one allocation sends and the
audit of the result (1..N, no gap, no duplicate).

Uses a throwaway SQLite file unless DATABASE_URL is set, in which case that
database is migrated and used (it must be disposable: the bench's rows are deleted
first). With DATABASE_URL set, the same run on SQLite follows for comparison.
Exits 1 when PostgreSQL misses the target or the audit finds anything.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 2.0
SERIES_ONE = "bench.batch"
SERIES_EACH = "bench.each"
SERIES_GENERAL = "bench.general"
PREFIX = "bench-number-"


def run(count: int) -> bool:
    if not os.environ.get("DATABASE_URL"):
        handle, path = tempfile.mkstemp(suffix=".sqlite3")
        os.close(handle)
        os.environ["SQLITE_PATH"] = path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    os.environ.setdefault("AXES_ENABLED", "false")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from bureau.models import Organisation
    from numbering import services as numbering_services
    from numbering.audit import audit
    from numbering.models import Counter, Number
    from numbering.registry import register_series
    from numbering.services import number_take

    series = [SERIES_ONE, SERIES_EACH, SERIES_GENERAL]
    for key in series:
        register_series(key, label=key, template="{code}〔{year}〕{n}号")
    Number.history.model.objects.filter(series__in=series).delete()
    Number.objects.filter(series__in=series).delete()
    Counter.objects.filter(series__in=series).delete()
    if not Organisation.objects.exists():
        Organisation.objects.create(name="基准县计生局", doc_code="基计生")
    User = get_user_model()
    User.objects.filter(username__startswith=PREFIX).delete()
    User.objects.bulk_create([User(username=f"{PREFIX}{i}") for i in range(count)])
    owners = list(User.objects.filter(username__startswith=PREFIX).order_by("pk"))
    vendor = connection.vendor
    load_before = os.getloadavg()

    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        for owner in owners:
            number_take(series=SERIES_ONE, owner=owner)
    batch = time.perf_counter() - started
    batch_cpu = time.process_time() - cpu

    started, cpu = time.perf_counter(), time.process_time()
    for owner in owners:
        with transaction.atomic():
            number_take(series=SERIES_EACH, owner=owner)
    each = time.perf_counter() - started
    each_cpu = time.process_time() - cpu

    # The same batch through the general path (4 statements: the ORM's row and
    # history inserts), which SQLite always takes: the PostgreSQL path's gain,
    # measured in the same process under the same load.
    general = general_cpu = None
    if vendor == "postgresql":
        fast = numbering_services._take_sql
        numbering_services._take_sql = lambda: None
        try:
            started, cpu = time.perf_counter(), time.process_time()
            with transaction.atomic():
                for owner in owners:
                    number_take(series=SERIES_GENERAL, owner=owner)
            general = time.perf_counter() - started
            general_cpu = time.process_time() - cpu
        finally:
            numbering_services._take_sql = fast

    # The baseline: the same number of one-row write transactions, no numbering.
    started = time.perf_counter()
    for owner in owners:
        with transaction.atomic():
            User.objects.filter(pk=owner.pk).update(first_name="基")
    bare = time.perf_counter() - started

    extra = User.objects.create(username=f"{PREFIX}x")
    with transaction.atomic(), CaptureQueriesContext(connection) as new:
        number_take(series=SERIES_EACH, owner=extra)
    with transaction.atomic(), CaptureQueriesContext(connection) as again:
        number_take(series=SERIES_EACH, owner=extra)

    # The floor: as many round trips to the database as the allocations send.
    statements = len(new)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _ in range(count * statements):
            cursor.execute("SELECT 1")
            cursor.fetchone()
    floor = time.perf_counter() - started
    load_after = os.getloadavg()

    clean = True
    expected_counts = [(SERIES_ONE, count), (SERIES_EACH, count + 1)]
    if general is not None:
        expected_counts.append((SERIES_GENERAL, count))
    for key, expected in expected_counts:
        findings, texts = audit(series=key)
        clean = clean and not texts and all(f.ok for f in findings)
        clean = clean and [f.highest for f in findings] == [expected]
    ok = batch <= TARGET_SECONDS or vendor != "postgresql"

    def mark(seconds):
        return "meets" if seconds <= TARGET_SECONDS else "MISSES"

    def loads(values):
        return " / ".join(f"{v:.1f}" for v in values)

    print(
        f"{vendor}: load average (1/5/15 min) before {loads(load_before)}, after "
        f"{loads(load_after)}, on {os.cpu_count()} cores"
    )
    print(
        f"{vendor}: (a) {count} allocations in one transaction: {batch:.3f} s "
        f"({batch / count * 1000:.2f} ms each; this process's CPU {batch_cpu:.3f} s)"
        f" — {mark(batch)} the goal (≤ {TARGET_SECONDS:g} s on PostgreSQL; the "
        f"figure the goal refers to)"
    )
    if general is not None:
        print(
            f"{vendor}:     the same through the general 4-statement path: "
            f"{general:.3f} s (CPU {general_cpu:.3f} s)"
        )
    print(
        f"{vendor}: (b) {count} allocations, each in its own transaction: "
        f"{each:.3f} s ({each / count * 1000:.2f} ms each; CPU {each_cpu:.3f} s)"
        f" — {mark(each)} "
        f"{TARGET_SECONDS:g} s (for information: includes {count} commits)"
    )
    print(
        f"{vendor}:     bare baseline, {count} one-row write transactions: "
        f"{bare:.3f} s: numbering adds {(each - bare) / count * 1000:.2f} ms per "
        f"transaction"
    )
    print(
        f"{vendor}:     the round-trip floor, {count * statements} × SELECT 1: "
        f"{floor:.3f} s"
    )
    print(
        f"{vendor}: statements for a new number {len(new)}, for a repeated ask "
        f"{len(again)}; audit: {'no gap, no duplicate' if clean else 'PROBLEMS'}"
    )
    return ok and clean


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    ok = run(args.count)
    if os.environ.get("DATABASE_URL") and not args.no_sqlite:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "SQLITE_PATH")
        }
        result = subprocess.run(
            [sys.executable, __file__, "--count", str(args.count)],
            env=env,
            check=False,
        )
        ok = ok and result.returncode == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
