"""A month of the demo bureau's cars: designated shops and stations, three drivers
and three vehicles, a month of dispatched trips with their trip sheets and fuel,
one use without dispatch; and for today's logins, work waiting at any hour:
requests for the dispatcher (head1), a trip on the road and one to drive for the
drivers (driver1, driver2), a lending request for deputy1, staff1's own request.

Everything goes through the services; past moments are passed to them (`now=`,
`at=`) rather than moved afterwards.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from approvals.services import approval_decide
from bureau import workdays
from bureau.models import Position, Role
from vehicles import services
from vehicles.models import Driver, Shop, Vehicle
from vehicles.roles import DISPATCHER

PLACES = [
    "城关镇计生办",
    "东岭乡计生站",
    "西河乡政府",
    "南山镇服务站",
    "北坪村",
    "县人民医院",
    "市计生委",
    "县财政局",
]
PURPOSES = ["countryside", "urgent", "confidential", "liaison", "countryside", "cash"]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=workdays.TZ
    )


def _dispatch_any(trip, pairs, *, by, now):
    """Dispatch to the first (vehicle, driver) that is free and not on leave (the
    leave demo may send a driver away on any day)."""
    for vehicle, driver in pairs:
        try:
            return services.trip_dispatch(
                trip=trip, vehicle=vehicle, driver=driver, by=by, now=now
            )
        except services.VehicleError:
            continue
    return trip


def load(ctx) -> None:
    # Notifications and notes are stored text: write them in Chinese.
    with translation.override("zh-hans"):
        _load(ctx)


def _load(ctx) -> None:
    people, rng, today = ctx.people, ctx.rng, ctx.today
    dispatcher = people["head1"]  # the comprehensive section's head dispatches
    dispatcher.user.groups.add(Group.objects.get_or_create(name=DISPATCHER)[0])
    dispatcher.save()
    # A fresh login object: the roles of the one in ctx may be remembered already.
    by = get_user_model().objects.get(pk=dispatcher.user_id)
    start = today - datetime.timedelta(days=35)
    since = _at(start, 8)

    repair = services.shop_save(
        shop=Shop(name="县汽车修理厂", kind=Shop.Kind.REPAIR, address="城南路 18 号"),
        by=by,
    )
    east = services.shop_save(
        shop=Shop(name="中石化城东加油站", kind=Shop.Kind.FUEL, address="东环路"), by=by
    )
    services.shop_save(
        shop=Shop(name="中石油城西加油站", kind=Shop.Kind.FUEL, address="西环路"), by=by
    )
    drivers = {}
    for i, username in enumerate(["driver1", "driver2", "driver3"], start=1):
        # driver2's licence runs out within the warning window (VEH-6).
        expires = (
            today + datetime.timedelta(days=20)
            if username == "driver2"
            else today.replace(year=today.year + 3)
        )
        drivers[username] = services.driver_save(
            driver=Driver(
                person=people[username],
                licence_no=f"36072219800{i}0{i}",
                licence_expires=expires,
            ),
            by=by,
        )
    fleet = [
        ("赣C·A0001", "大众帕萨特", 4, "organ", "driver1", Decimal("8.50"), 86420),
        ("赣C·A0002", "金杯海狮", 8, "organ", "driver2", Decimal("11.50"), 124310),
        ("赣C·B0001", "长安CS35", 4, "station", "driver3", Decimal("7.80"), 45210),
    ]
    vehicles = []
    for plate, model, seats, unit, driver, baseline, km in fleet:
        vehicles.append(
            services.vehicle_save(
                vehicle=Vehicle(
                    plate=plate,
                    model_name=model,
                    seats=seats,
                    unit=ctx.units[unit],
                    driver=drivers[driver],
                    repair_shop=repair,
                    fuel_station=east,
                    baseline_l_per_100km=baseline,
                    odometer_km=km,
                ),
                by=by,
                since=since,
            )
        )

    askers = [
        p
        for name, p in people.items()
        if p.position
        in (Position.SECTION_STAFF, Position.UNIT_STAFF, Position.SECTION_HEAD)
        and not p.user.groups.filter(name=Role.DRIVER).exists()
    ]
    askers += [people["deputy1"], people["deputy2"], people["director"]]
    since_fill = {v.pk: 0 for v in vehicles}

    # A month of trips: dispatched, driven, closed; fuel when the tank needs it.
    now = timezone.now()
    days = workdays.working_days_in(
        start + datetime.timedelta(days=2), today - datetime.timedelta(days=1)
    )
    for day in days:
        for slot in range(rng.randint(1, 3)):
            begin = _at(day, 8 + slot * 3, rng.choice([0, 30]))
            end = begin + datetime.timedelta(hours=rng.choice([2, 2.5]))
            if end >= now:
                continue
            person = rng.choice(askers)
            vehicle = vehicles[slot % len(vehicles)]
            driver = vehicle.driver
            try:
                trip = services.trip_request(
                    by=person.user,
                    purpose=rng.choice(PURPOSES),
                    destination=rng.choice(PLACES),
                    passengers=rng.randint(1, min(3, vehicle.seats)),
                    passenger_names=person.name,
                    starts_at=begin,
                    ends_at=end,
                    now=begin - datetime.timedelta(days=1),
                )
                trip = services.trip_dispatch(
                    trip=trip,
                    vehicle=vehicle,
                    driver=driver,
                    by=by,
                    now=begin - datetime.timedelta(hours=20),
                )
            except services.VehicleError:
                continue  # the driver is on leave that day: no trip
            vehicle.refresh_from_db()
            out = vehicle.odometer_km
            km = rng.randint(18, 140)
            services.trip_depart(
                trip=trip,
                by=driver.person.user,
                odometer=out,
                check_before="轮胎、机油、灯光、制动正常",
                at=begin,
            )
            services.trip_return(
                trip=trip,
                by=driver.person.user,
                odometer=out + km,
                maintenance_after="已清洗，停放局院内",
                other_cost=Decimal(rng.choice(["0", "0", "10", "15", "25"])),
                at=end - datetime.timedelta(minutes=rng.randint(0, 40)),
            )
            since_fill[vehicle.pk] += km
            if since_fill[vehicle.pk] > 350:
                litres = (
                    Decimal(since_fill[vehicle.pk]) * vehicle.baseline_l_per_100km / 100
                ) * Decimal(rng.choice(["0.95", "1.0", "1.05", "1.3"]))
                services.fuel_record(
                    vehicle=vehicle,
                    by=driver.person.user,
                    bought_at=end + datetime.timedelta(minutes=50),
                    litres=litres.quantize(Decimal("0.01")),
                    price=Decimal("7.92"),
                    station=east,
                    odometer=out + km,
                    full=rng.random() > 0.2,
                    card_no="9100 0001",
                    trip=None,
                )
                since_fill[vehicle.pk] = 0

    # VEH-5: a Saturday trip found in the log, recorded against driver3.
    saturday = today - datetime.timedelta(days=(today.weekday() + 2) % 7 or 7)
    services.misuse_record(
        vehicle=vehicles[2],
        driver=drivers["driver3"],
        kind="no_dispatch",
        occurred_on=saturday,
        km=46,
        evidence="周六行车记录显示出车 46 公里，无派车单，本人称办私事。",
        by=by,
    )

    # Today's work, whatever the hour the demo is opened.
    tomorrow = today + datetime.timedelta(days=1)
    ahead = now + datetime.timedelta(days=1)
    # driver2 is on the road now (left two hours ago): closes the trip on return.
    out_trip = services.trip_request(
        by=people["staff1"].user,
        purpose="confidential",
        destination="市计生委",
        passengers=1,
        starts_at=now - datetime.timedelta(hours=2),
        ends_at=now + datetime.timedelta(hours=4),
        now=now - datetime.timedelta(days=1),
    )
    out_trip = _dispatch_any(
        out_trip,
        [(vehicles[1], drivers["driver2"]), (vehicles[0], drivers["driver1"])],
        by=by,
        now=now - datetime.timedelta(hours=20),
    )
    if out_trip.status == out_trip.Status.DISPATCHED:
        services.trip_depart(
            trip=out_trip,
            by=out_trip.driver.person.user,
            odometer=out_trip.vehicle.odometer_km,
            check_before="轮胎、机油、灯光、制动正常",
            at=now - datetime.timedelta(hours=2),
        )
    # driver1 drives tomorrow (dispatched).
    _dispatch_any(
        services.trip_request(
            by=people["deputy1"].user,
            purpose="liaison",
            destination="县人民医院",
            passengers=2,
            starts_at=ahead,
            ends_at=ahead + datetime.timedelta(hours=3),
        ),
        [(vehicles[0], drivers["driver1"]), (vehicles[1], drivers["driver2"])],
        by=by,
        now=now,
    )
    # The dispatcher's waiting requests (one of a unit, one of the organ).
    for person, place, hours in [
        (people["unitstaff1"], "东岭乡计生站", 26),
        (people["staff1"], "县财政局", 28),
    ]:
        services.trip_request(
            by=person.user,
            purpose="countryside" if person == people["unitstaff1"] else "cash",
            destination=place,
            passengers=2,
            starts_at=now + datetime.timedelta(hours=hours),
            ends_at=now + datetime.timedelta(hours=hours + 3),
        )
    _bumped(people, vehicles, drivers, by=by, now=now)
    _repairs(ctx, vehicles, drivers, by)
    # VEH-11: last month's inspection; the van's fuel use was high: a warning.
    services.inspection_record(
        vehicle=vehicles[1],
        inspected_on=today - datetime.timedelta(days=3),
        condition=True,
        parking=True,
        trips=True,
        repairs=True,
        fuel=True,
        findings="车况良好，停放规范；本月油耗偏高，提醒驾驶员注意节油并说明原因。",
        measure="warning",
        driver=drivers["driver2"],
        by=by,
    )
    # VEH-4: a loan to the county health bureau waiting for deputy1.
    services.trip_request(
        by=people["staff1"].user,
        purpose="lending",
        borrower="县卫生局",
        destination="县卫生局",
        passengers=1,
        starts_at=_at(tomorrow + datetime.timedelta(days=1), 8),
        ends_at=_at(tomorrow + datetime.timedelta(days=1), 17),
    )


def _bumped(people, vehicles, drivers, *, by, now) -> None:
    """VEH-2: a unit's trip the day after tomorrow gave its car to the director's;
    its slip number is voided in the register with the reason, the unit's staff
    member was told, and the trip waits for head1 to dispatch it again."""
    starts = now + datetime.timedelta(hours=50)
    low = _dispatch_any(
        services.trip_request(
            by=people["unitstaff1"].user,
            purpose="countryside",
            destination="南山镇服务站",
            passengers=2,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=4),
        ),
        [(v, drivers[name]) for v in vehicles for name in ("driver3", "driver1")],
        by=by,
        now=now,
    )
    if low.vehicle_id is None:
        return
    high = services.trip_request(
        by=people["director"].user,
        purpose="urgent",
        destination="市计生委",
        passengers=1,
        starts_at=starts + datetime.timedelta(hours=1),
        ends_at=starts + datetime.timedelta(hours=3),
    )
    services.trip_bump(
        trip=low, for_trip=high, reason="局长赴市计生委紧急汇报", by=by, now=now
    )


def _repairs(ctx, vehicles, drivers, by) -> None:
    """One repair through every step (its bill with finance, on the clock), a
    fault waiting for the dispatcher, one waiting for the station's head."""
    people = ctx.people
    car, van, station_car = vehicles
    repair = services.repair_report(
        vehicle=car, fault="刹车时有异响", by=people["driver1"].user
    )
    repair = services.repair_verify(
        repair=repair,
        cause="前刹车片磨损到限",
        estimate=Decimal("480"),
        shop=car.repair_shop,
        by=by,
    )
    approval = repair.current_approval
    approver = approval.current_step().approver
    approval_decide(
        request=approval, by=approver.user, decision="approve", comment="同意维修"
    )
    car.refresh_from_db()
    repair = services.repair_done(
        repair=repair, by=people["driver1"].user, odometer=car.odometer_km
    )
    repair = services.repair_inspect_parts(
        repair=repair,
        note="旧刹车片两片，磨损到限，已拍照留存",
        photo=SimpleUploadedFile("旧刹车片.png", PARTS_PHOTO, content_type="image/png"),
        by=by,
    )
    services.repair_bill(repair=repair, amount=Decimal("460.00"), by=by)
    # Waiting for the dispatcher to verify (VEH-8).
    services.repair_report(vehicle=van, fault="空调不制冷", by=people["driver2"].user)
    # Waiting for the station's head (a unit's vehicle).
    waiting = services.repair_report(
        vehicle=station_car, fault="发动机故障灯亮", by=people["driver3"].user
    )
    services.repair_verify(
        repair=waiting,
        cause="氧传感器故障",
        estimate=Decimal("650"),
        shop=station_car.repair_shop,
        by=by,
    )


# A tiny PNG (the attachments check the signature).
PARTS_PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
