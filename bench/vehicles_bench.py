"""Benchmark of the vehicles chapter: 100 vehicles with years of trips.

    .venv/bin/python bench/vehicles_bench.py               # SQLite at /tmp/vehicles_bench.sqlite3
    DATABASE_URL=postgres://root@localhost/bureau_vehicles_bench .venv/bin/python bench/vehicles_bench.py
    options: --n 500000 (trips to seed), --reseed

Seeds the demo organisation, 100 vehicles and 100 drivers, then N finished trips in
bulk (no history rows: the benchmark measures reads and one write), each vehicle
with its own driver, one slot after the other back to the past, plus a fill-up every
fifth trip. Prints the median of 7 warm runs of: a dispatch with its clash check
(through the service, rolled back), the dispatcher's week board (HTTP, with its
query count) and the monthly consumption report (HTTP). Targets (issue 11): dispatch
≤ 20 ms, board ≤ 150 ms at a constant query count, report ≤ 1 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", "/tmp/vehicles_bench.sqlite3")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bureau.demo import load_organisation  # noqa: E402
from bureau.models import Organisation, Person, Position, Unit  # noqa: E402
from vehicles import services  # noqa: E402
from vehicles.models import Driver, FuelPurchase, Shop, Trip, Vehicle  # noqa: E402
from vehicles.roles import DISPATCHER  # noqa: E402

BATCH = 10_000
VEHICLES = 100


def _median(fn, runs=7) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def seed_fleet(today) -> tuple[list[Vehicle], Shop]:
    if not Organisation.objects.exists():
        with transaction.atomic():
            load_organisation(today)
    head = Person.objects.get(user__username="head1")
    head.user.groups.add(Group.objects.get_or_create(name=DISPATCHER)[0])
    head.save()
    station, _ = Shop.objects.get_or_create(name="加油站", kind=Shop.Kind.FUEL)
    if Vehicle.objects.count() >= VEHICLES:
        return list(Vehicle.objects.order_by("pk")), station
    organ = Unit.objects.get(code="organ")
    people = list(Person.objects.order_by("pk"))
    for i in range(VEHICLES):
        person = people[i % len(people)]
        driver, _ = Driver.objects.get_or_create(
            person=person,
            defaults={
                "licence_no": str(i),
                "licence_expires": today.replace(year=today.year + 5),
            },
        )
        Vehicle.objects.create(
            plate=f"赣C·B{i:04d}",
            model_name="桑塔纳",
            seats=5,
            unit=organ,
            driver=driver,
            baseline_l_per_100km=Decimal("8.00"),
            odometer_km=0,
        )
    return list(Vehicle.objects.order_by("pk")), station


def seed_trips(n: int, vehicles, station) -> None:
    """Finished trips back from yesterday, one 3-hour slot every 9 hours per
    vehicle (100 vehicles × 5 years ≈ 500,000), a full fill every fifth trip."""
    requester = Person.objects.filter(position=Position.SECTION_STAFF).first()
    user = Person.objects.get(user__username="head1").user
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    per_vehicle = n // len(vehicles)
    trips, fills, done = [], [], 0
    sharing = max(Driver.objects.count(), 1)
    for i, v in enumerate(vehicles):
        km = 60 * per_vehicle + 1_000  # back in time, 60 km a trip: never below 0
        # Fewer people than vehicles: vehicles sharing a driver run 3 hours apart
        # (PostgreSQL's exclusion constraint holds the bench to no double booking).
        phase = datetime.timedelta(hours=3 * (i // sharing))
        for k in range(per_vehicle):
            start = now - datetime.timedelta(hours=9 * (k + 1) + 24) - phase
            end = start + datetime.timedelta(hours=3)
            trips.append(
                Trip(
                    requester=requester,
                    purpose="urgent",
                    destination="乡镇",
                    passengers=2,
                    starts_at=start,
                    ends_at=end,
                    slot_ends_at=end,
                    status=Trip.Status.DONE,
                    vehicle=v,
                    driver_id=v.driver_id,
                    departed_at=start,
                    returned_at=end,
                    odometer_out=km - 60,
                    odometer_in=km,
                )
            )
            if k % 5 == 0:
                fills.append(
                    FuelPurchase(
                        vehicle=v,
                        bought_at=end,
                        litres=Decimal("24.00"),
                        price=Decimal("7.90"),
                        amount=Decimal("189.60"),
                        station=station,
                        odometer=km,
                        full=True,
                        recorded_by=user,
                    )
                )
            km -= 60
            if len(trips) >= BATCH:
                Trip.objects.bulk_create(trips)
                FuelPurchase.objects.bulk_create(fills)
                done += len(trips)
                trips, fills = [], []
                print(f"  seeded {done:,} trips", flush=True)
    Trip.objects.bulk_create(trips)
    FuelPurchase.objects.bulk_create(fills)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500_000)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    vehicles, station = seed_fleet(today)
    if args.reseed:
        FuelPurchase.objects.all().delete()
        Trip.objects.all().delete()
    existing = Trip.objects.count()
    if existing < args.n:
        print(f"seeding {args.n - existing:,} trips …")
        seed_trips(args.n - existing, vehicles, station)
    print(
        f"rows: trips {Trip.objects.count():,}, fuel {FuelPurchase.objects.count():,}"
    )

    dispatcher = Person.objects.get(user__username="head1").user
    start = timezone.now() + datetime.timedelta(days=1)

    def dispatch_once():
        """A request, then its dispatch with the clash check (timed alone: the
        dispatcher's click; the request is the staff member's), rolled back."""
        with transaction.atomic():
            trip = services.trip_request(
                by=dispatcher,
                purpose="urgent",
                destination="县城",
                passengers=1,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
            )
            begin = time.perf_counter()
            services.trip_dispatch(
                trip=trip, vehicle=vehicles[7], driver=vehicles[7].driver, by=dispatcher
            )
            dispatched = time.perf_counter() - begin
            transaction.set_rollback(True)
        return dispatched

    dispatch_once()
    both, alone = [], []
    for _i in range(15):
        begin = time.perf_counter()
        alone.append(dispatch_once() * 1000)
        both.append((time.perf_counter() - begin) * 1000)
    print(
        f"dispatch with its clash check: {statistics.median(alone):.1f} ms "
        f"(the request and its dispatch together: {statistics.median(both):.1f} ms; "
        "medians of 15)"
    )
    client = Client()
    client.force_login(dispatcher)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper, not CaptureQueriesContext: the request's start resets the log.
    # This week (the seeded trips end yesterday: mostly empty) and a full past
    # week (every vehicle and driver busy about 2.7 times a day).
    full_week = (today - datetime.timedelta(days=7)).isoformat()
    # The baseline beside the pages, as the other chapters' benches print it:
    # the same client and session on the healthz endpoint (no template, no query
    # of the chapter's).
    ms = _median(lambda: client.get("/healthz"))
    print(f"bare baseline (/healthz, same client): {ms:.1f} ms")
    for label, params in (
        ("this week", {}),
        ("a full week", {"date": full_week}),
        ("a full day", {"span": "day", "date": full_week}),
    ):
        queries.clear()
        with connection.execute_wrapper(count):
            response = client.get("/vehicles/board/", params)
            assert response.status_code == 200
        ms = _median(lambda params=params: client.get("/vehicles/board/", params))
        print(
            f"board, {label}: {ms:.1f} ms, {len(queries)} queries, "
            f"{len(response.content) // 1024} KiB"
        )
    month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    ms = _median(lambda: client.get("/vehicles/fuel/report/", {"month": month}), runs=3)
    print(f"monthly consumption report ({month}): {ms:.1f} ms")


if __name__ == "__main__":
    main()
