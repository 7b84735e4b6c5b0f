"""Benchmark: 1,000 number allocations in a row (issue 10: at most 2 s on
PostgreSQL).

    .venv/bin/python bench/numbering_bench.py [--count 1000] [--no-sqlite]

Three timings, each of `--count` allocations for as many new records:
  * in one transaction (a batch registered at once): numbering's own cost — the
    figure held against the target;
  * each in a transaction of its own, as a chapter's service takes them;
  * beside it, the bare baseline: as many one-row write transactions without
    numbering, i.e. what the commits alone cost on this machine (fsync).
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
    from numbering.audit import audit
    from numbering.models import Counter, Number
    from numbering.registry import register_series
    from numbering.services import number_take

    series = [SERIES_ONE, SERIES_EACH]
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

    started = time.perf_counter()
    with transaction.atomic():
        for owner in owners:
            number_take(series=SERIES_ONE, owner=owner)
    batch = time.perf_counter() - started

    started = time.perf_counter()
    for owner in owners:
        with transaction.atomic():
            number_take(series=SERIES_EACH, owner=owner)
    each = time.perf_counter() - started

    # The baseline: the same number of one-row write transactions, no numbering.
    started = time.perf_counter()
    for owner in owners:
        with transaction.atomic():
            User.objects.filter(pk=owner.pk).update(first_name="基")
    bare = time.perf_counter() - started

    # The floor: as many round trips to the database as the allocations send.
    statements = 4
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _ in range(count * statements):
            cursor.execute("SELECT 1")
            cursor.fetchone()
    floor = time.perf_counter() - started

    extra = User.objects.create(username=f"{PREFIX}x")
    with transaction.atomic(), CaptureQueriesContext(connection) as new:
        number_take(series=SERIES_EACH, owner=extra)
    with transaction.atomic(), CaptureQueriesContext(connection) as again:
        number_take(series=SERIES_EACH, owner=extra)

    clean = True
    for key, expected in ((SERIES_ONE, count), (SERIES_EACH, count + 1)):
        findings, texts = audit(series=key)
        clean = clean and not texts and all(f.ok for f in findings)
        clean = clean and [f.highest for f in findings] == [expected]
    ok = batch <= TARGET_SECONDS or vendor != "postgresql"
    print(
        f"{vendor}: {count} allocations in one transaction: {batch:.3f} s "
        f"({batch / count * 1000:.2f} ms each; target ≤ {TARGET_SECONDS:g} s on "
        f"PostgreSQL){'' if ok else '  MISSED'}"
    )
    print(
        f"{vendor}: {count} allocations, each in its own transaction: {each:.3f} s; "
        f"bare baseline, {count} one-row write transactions: {bare:.3f} s "
        f"(numbering adds {(each - bare) / count * 1000:.2f} ms per transaction)"
    )
    print(
        f"{vendor}: the round-trip floor, {count * statements} × SELECT 1: "
        f"{floor:.3f} s (load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores)"
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
