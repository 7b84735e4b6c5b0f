"""The chapter's pure rules at their boundaries (no database)."""

import datetime
from decimal import Decimal

import pytest

from bureau.workdays import TZ
from vehicles import rules
from vehicles.models import Trip
from vehicles.policies import PURPOSE_CODES
from vehicles.rules import Candidate, Fill

T0 = datetime.datetime(2026, 3, 3, 9, 0, tzinfo=TZ)
H = datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (T0, T0, "order"),  # the end must be after the start
        (T0, T0 - H, "order"),
        (T0, T0 + H, None),
        (T0 - datetime.timedelta(minutes=60), T0 + H, None),  # 60 min late: tolerated
        (T0 - datetime.timedelta(minutes=61), T0 + H, "past"),
        (T0, T0 + datetime.timedelta(days=7), None),  # 7 days: the most
        (T0, T0 + datetime.timedelta(days=7, minutes=1), "long"),
    ],
)
def test_veh1_time_range_in_advance_within_the_policy(start, end, expected):
    """VEH-1: requests go in advance — a start more than the window ago is refused;
    end before start is refused; longer than max_days is refused."""
    assert (
        rules.time_problem(start, end, now=T0, past_window_minutes=60, max_days=7)
        == expected
    )


def test_veh1_ranges_are_half_open():
    """A trip ending at 12:00 and one starting at 12:00 do not overlap; one minute
    more does."""
    noon = T0 + 3 * H
    assert not rules.overlaps(T0, noon, noon, noon + H)
    assert rules.overlaps(T0, noon + datetime.timedelta(minutes=1), noon, noon + H)


def test_veh1_an_early_return_releases_the_rest_of_the_slot():
    assert rules.slot_end(T0 + 3 * H, T0 + H) == T0 + H
    assert rules.slot_end(T0 + 3 * H, T0 + 4 * H) == T0 + 3 * H  # late: not longer
    assert rules.slot_end(T0 + 3 * H, None) == T0 + 3 * H


LEVELS = {"leaders": 3, "organ": 2, "units": 1}


def test_veh2_leaders_first_then_the_organ_then_the_units():
    assert rules.priority_of(is_leader=True, in_organ=True, levels=LEVELS) == 3
    assert rules.priority_of(is_leader=False, in_organ=True, levels=LEVELS) == 2
    assert rules.priority_of(is_leader=False, in_organ=False, levels=LEVELS) == 1


@pytest.mark.parametrize(
    "bumped, winner, departed, expected",
    [
        (1, 2, False, True),
        (2, 2, False, False),
        (3, 2, False, False),
        (1, 3, True, False),
    ],
)
def test_veh2_only_a_strictly_lower_trip_not_yet_left_gives_way(
    bumped, winner, departed, expected
):
    assert (
        rules.may_bump(bumped_priority=bumped, for_priority=winner, departed=departed)
        is expected
    )


def test_veh3_ordinary_countryside_work_is_refused_by_the_policy_list():
    refused = ["ordinary_countryside"]
    assert rules.purpose_refused("ordinary_countryside", refused)
    for purpose in ("countryside", "urgent", "confidential", "liaison", "cash"):
        assert not rules.purpose_refused(purpose, refused)


def test_veh3_the_policy_validator_knows_every_purpose():
    assert set(Trip.Purpose.values) == PURPOSE_CODES


@pytest.mark.parametrize(
    "on, expected",
    [
        (datetime.date(2026, 3, 1), "valid"),  # 31 days before
        (datetime.date(2026, 3, 2), "expiring"),  # 30 days before: warned
        (datetime.date(2026, 4, 1), "expiring"),  # the expiry day itself
        (datetime.date(2026, 4, 2), "expired"),
    ],
)
def test_veh6_licence_warned_30_days_before_and_expired_after(on, expected):
    assert rules.licence_state(datetime.date(2026, 4, 1), on, 30) == expected


@pytest.mark.parametrize(
    "km, before, after, expected",
    [
        (100, None, None, None),
        (100, 100, None, None),  # the car did not move
        (99, 100, None, "backwards"),
        (150, 100, 200, None),  # a back-dated entry between its neighbours
        (201, 100, 200, "ahead"),
        (200, 100, 200, None),
    ],
)
def test_veh5_the_odometer_only_goes_forward_on_one_timeline(
    km, before, after, expected
):
    assert rules.odometer_problem(km, before, after) == expected


def test_veh10_amount_is_litres_times_price_in_decimal():
    assert rules.fuel_amount(Decimal("45.67"), Decimal("7.89")) == Decimal("360.34")
    assert rules.fuel_amount(Decimal("0.01"), Decimal("0.50")) == Decimal("0.01")


def test_veh10_consumption_full_to_full_with_partial_fills_carried():
    """Full at 1000; partial 20 L at 1200; full 30 L at 1500: 50 L over 500 km."""
    fills = [
        Fill(1000, Decimal("40"), True),
        Fill(1200, Decimal("20"), False),
        Fill(1500, Decimal("30"), True),
    ]
    (segment,) = rules.consumption_segments(fills)
    assert (segment.start_km, segment.end_km, segment.litres) == (1000, 1500, 50)
    assert segment.per_100km == Decimal("10.00")


def test_veh10_a_missed_fill_breaks_the_chain_instead_of_a_wrong_figure():
    """The segment with an unlogged fill is dropped; a new chain starts at the next
    full fill."""
    fills = [
        Fill(1000, Decimal("40"), True),
        Fill(1400, Decimal("30"), True, missed_before=True),  # chain broken here
        Fill(1800, Decimal("32"), True),
    ]
    segments = rules.consumption_segments(fills)
    assert [(s.start_km, s.end_km, s.litres) for s in segments] == [(1400, 1800, 32)]
    # Before the first full fill nothing is counted.
    assert rules.consumption_segments([Fill(10, Decimal("5"), False)]) == []


def test_veh10_over_baseline_is_more_than_the_percentage():
    """超過: 15 % over an 8.00 baseline is 9.20 — exactly that is not flagged."""
    assert not rules.over_baseline(Decimal("9.20"), Decimal("8.00"), Decimal("15"))
    assert rules.over_baseline(Decimal("9.21"), Decimal("8.00"), Decimal("15"))
    assert not rules.over_baseline(None, Decimal("8.00"), Decimal("15"))


def test_veh1_suggests_the_vehicles_own_driver_first_and_skips_the_busy_and_away():
    vehicles = [Candidate(1, 4, 10), Candidate(2, 7, 20), Candidate(3, 4, None)]
    drivers = [10, 20, 30]
    assert rules.suggest(
        vehicles,
        drivers,
        passengers=2,
        busy_vehicles=set(),
        busy_drivers=set(),
        away=set(),
    ) == (1, 10)
    # Car 1 busy: car 2 with its own driver.
    assert rules.suggest(
        vehicles,
        drivers,
        passengers=2,
        busy_vehicles={1},
        busy_drivers=set(),
        away=set(),
    ) == (2, 20)
    # Drivers 10 away, 20 busy: car 1 with the first free driver.
    assert rules.suggest(
        vehicles,
        drivers,
        passengers=2,
        busy_vehicles=set(),
        busy_drivers={20},
        away={10},
    ) == (1, 30)
    # Five passengers: only car 2 fits.
    assert rules.suggest(
        vehicles,
        drivers,
        passengers=5,
        busy_vehicles=set(),
        busy_drivers=set(),
        away=set(),
    ) == (2, 20)
    assert rules.suggest(
        vehicles,
        drivers,
        passengers=8,
        busy_vehicles=set(),
        busy_drivers=set(),
        away=set(),
    ) == (None, 10)


@pytest.mark.django_db
def test_veh_default_policies_pass_their_own_validators():
    from bureau.policies import registry

    for key in (
        "vehicles.requests",
        "vehicles.purposes",
        "vehicles.priority",
        "vehicles.lending_chain",
        "vehicles.licence_warning",
        "vehicles.repair_chain",
        "vehicles.fuel",
    ):
        definition = registry.get(key)
        registry.validate(key, definition.default)
