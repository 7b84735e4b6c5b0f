"""Benchmark: checking a 50,000-row roster file (issue 8, hole 9: at most 60 s).

    .venv/bin/python bench/roster_import_bench.py [--rows 50000] [--existing 5000]
        [--import]

Builds a throwaway database (SQLite in a temp file unless DATABASE_URL is set, in
which case that database is used and must be empty or disposable), bulk-loads
`--existing` people with logins, writes an xlsx roster of `--rows` rows (every
existing person again, one in ten changed, the rest new people, some with new
logins) and times what the Celery task does with it: read the file and check every
row in memory (`bureau.resources.check_roster`), counting the queries. With
`--import` it also times the confirmed import of the same file (one transaction).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--existing", type=int, default=5_000)
    parser.add_argument("--import", dest="do_import", action="store_true")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        handle, path = tempfile.mkstemp(suffix=".sqlite3")
        os.close(handle)
        os.environ["SQLITE_PATH"] = path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    os.environ.setdefault("AXES_ENABLED", "false")
    import django

    django.setup()
    import tablib
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from bureau.exports import SafeXLSX
    from bureau.imports import read_dataset
    from bureau.models import Organisation, Person, Position, Section, Unit
    from bureau.resources import PersonResource, check_roster
    from bureau.roster_rules import columns

    User = get_user_model()
    org = Organisation.objects.create(name="基准县局", short_name="基准局")
    organ = Unit.objects.create(
        organisation=org, name="局机关", code="b-organ", kind=Unit.Kind.ORGAN
    )
    sections = [
        Section.objects.create(unit=organ, name=f"第{i}股", code=f"b-s{i}")
        for i in range(20)
    ]
    users = User.objects.bulk_create(
        [User(username=f"old{i}", password="!") for i in range(args.existing)],
        batch_size=2000,
    )
    users = {u.username: u for u in User.objects.filter(username__startswith="old")}
    Person.objects.bulk_create(
        [
            Person(
                employee_no=f"E{i:06d}",
                name=f"旧人{i}",
                unit=organ,
                section=sections[i % 20],
                position=Position.SECTION_STAFF,
                user=users[f"old{i}"],
            )
            for i in range(args.existing)
        ],
        batch_size=2000,
    )

    rows = []
    for i in range(args.rows):
        existing = i < args.existing
        name = f"旧人{i}" if existing and i % 10 else f"新人{i}"
        username = f"old{i}" if existing else (f"new{i}" if i % 3 == 0 else "")
        rows.append(
            [
                f"E{i:06d}",
                name,
                "b-organ",
                f"b-s{i % 20}",
                "股室工作人员" if i % 2 else "section_staff",
                "科员" if not existing else "",
                "",
                "" if existing else f"139{i:08d}",
                username,
                "1",
            ]
        )
    headers = [str(c.label) for c in columns()]
    content = SafeXLSX().export_data(tablib.Dataset(*rows, headers=headers))
    print(f"{connection.vendor}: {args.rows} rows, {args.existing} people already")
    print(f"file: {len(content) / 1e6:.1f} MB xlsx")

    # Wall time and this process's CPU time: on a shared machine the wall time
    # also counts other processes' turns.
    started, cpu = time.perf_counter(), time.process_time()
    dataset = read_dataset(content, "xlsx")
    read = time.perf_counter() - started, time.process_time() - cpu
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = check_roster(dataset, progress=lambda n: None)
        checked = time.perf_counter() - started, time.process_time() - cpu
    print(f"read the file: {read[0]:.1f} s (CPU {read[1]:.1f} s)")
    print(
        f"check every row: {checked[0]:.1f} s (CPU {checked[1]:.1f} s), "
        f"{len(queries)} queries, {len(result.errors)} rows with errors, "
        f"totals {result.totals}"
    )
    print(
        f"read + check: {read[0] + checked[0]:.1f} s "
        f"(CPU {read[1] + checked[1]:.1f} s; budget 60 s)"
    )
    if args.do_import:
        started, cpu = time.perf_counter(), time.process_time()
        imported = PersonResource(checked=True).import_data(
            read_dataset(content, "xlsx"), dry_run=False
        )
        took = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"import: {took[0]:.1f} s (CPU {took[1]:.1f} s), totals {dict(imported.totals)}, "
            f"errors {imported.has_errors() or imported.has_validation_errors()}"
        )


if __name__ == "__main__":
    main()
