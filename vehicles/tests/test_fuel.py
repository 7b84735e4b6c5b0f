"""VEH-10 through the services and the pages: purchases logged, consumption full
fill to full fill with partial and missed fills, the month flagged over the
baseline; the per-vehicle cost and its export."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau.workdays import TZ
from vehicles import selectors, services
from vehicles.tests.conftest import at

pytestmark = pytest.mark.django_db

MARCH, APRIL = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)


def _fill(fleet, when, km, litres, full=True, missed=False, car=None, by=None):
    return services.fuel_record(
        vehicle=car or fleet.car1,
        by=(by or fleet.d1).user,
        bought_at=when,
        litres=litres,
        price="8.00",
        station=fleet.station,
        odometer=km,
        full=full,
        missed_before=missed,
    )


@pytest.fixture
def later(frozen):
    frozen.move_to(datetime.datetime(2026, 3, 31, 20, 0, tzinfo=TZ))


def test_veh10_consumption_with_partial_fills_and_the_month_flagged(fleet, later):
    """car1 (baseline 8.00): full at 10100; partial 20 L at 10300; full 30 L at
    10600 → 50 L / 500 km = 10.00, more than 15 % over → flagged."""
    _fill(fleet, at(1, 10), 10100, "40")
    _fill(fleet, at(3, 10), 10300, "20", full=False)
    _fill(fleet, at(5, 10), 10600, "30")
    report = {
        r["vehicle"].plate: r for r in selectors.consumption_report(MARCH, APRIL, 15)
    }
    row = report["赣C·10001"]
    assert (row["km"], row["litres"], row["per_100km"]) == (
        500,
        Decimal("90") - 40,
        Decimal("10.00"),
    )
    assert row["over"] is True
    assert row["bought_amount"] == Decimal("720.00")
    assert report["赣C·10002"]["per_100km"] is None and not report["赣C·10002"]["over"]


def test_veh10_exactly_the_percentage_is_not_flagged(fleet, later):
    """9.20 L/100 km on an 8.00 baseline is exactly 15 % over: not flagged."""
    _fill(fleet, at(1, 10), 10100, "40")
    _fill(fleet, at(5, 10), 10600, "46")
    (row,) = [
        r
        for r in selectors.consumption_report(MARCH, APRIL, 15)
        if r["vehicle"] == fleet.car1
    ]
    assert row["per_100km"] == Decimal("9.20") and not row["over"]


def test_veh10_a_missed_fill_breaks_the_chain(fleet, later):
    _fill(fleet, at(1, 10), 10100, "40")
    _fill(fleet, at(3, 10), 10400, "30", missed=True)  # a fill before it was not logged
    _fill(fleet, at(5, 10), 10700, "24")
    (row,) = [
        r
        for r in selectors.consumption_report(MARCH, APRIL, 15)
        if r["vehicle"] == fleet.car1
    ]
    assert (row["km"], row["litres"], row["per_100km"]) == (
        300,
        Decimal("24"),
        Decimal("8.00"),
    )
    assert row["broken"] and not row["over"]


def test_veh10_the_report_page_and_its_cost(fleet, later, client_for):
    _fill(fleet, at(1, 10), 10100, "40")
    _fill(fleet, at(5, 10), 10600, "60")
    client = client_for(fleet.dispatcher)
    url = reverse("vehicles:fuel_report")
    page = client.get(url, {"month": "2026-03"}).content.decode()
    assert 'data-over="赣C·10001"' in page
    for person in (fleet.a1, fleet.d1, fleet.unit_head):
        assert client_for(person).get(url).status_code == 403
    client = client_for(fleet.dispatcher)
    client.get(url, {"month": "2026-03"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"month": "2026-03"})
    for i in range(6):
        _fill(fleet, at(5, 11 + i), 10700 + 100 * i, "8", car=fleet.car1)
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"month": "2026-03"})
    assert len(few) == len(many)


def test_veh_cost_per_vehicle_month_and_year_exportable(
    fleet, ask, dispatch, later, client_for
):
    _fill(fleet, at(1, 10), 10100, "40")  # 320.00
    services.fine_record(
        vehicle=fleet.car1,
        driver=fleet.driver1,
        occurred_on=datetime.date(2026, 3, 3),
        offence="违停（公务）",
        amount="50",
        driver_at_fault=False,
        by=fleet.dispatcher.user,
    )
    services.fine_record(
        vehicle=fleet.car1,
        driver=fleet.driver1,
        occurred_on=datetime.date(2026, 3, 3),
        offence="超速",
        amount="200",
        driver_at_fault=True,  # the driver's: not the bureau's cost
        by=fleet.dispatcher.user,
    )
    rows = {r["vehicle"].plate: r for r in selectors.costs(MARCH, APRIL)}
    assert rows["赣C·10001"]["fuel"] == Decimal("320.00")
    assert rows["赣C·10001"]["other"] == Decimal("50")
    assert rows["赣C·10001"]["total"] == Decimal("370.00")
    client = client_for(fleet.dispatcher)
    url = reverse("vehicles:costs")
    page = client.get(url, {"month": "2026-03"}).content.decode()
    assert "370.00" in page
    assert "370.00" in client.get(url, {"year": "2026"}).content.decode()
    body = client.get(url, {"year": "2026", "format": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert "赣C·10001" in body and "370.00" in body
    assert client.get(url, {"format": "xlsx"}).status_code == 200
    assert client.get(url, {"year": "abc"}).status_code == 400
    assert client_for(fleet.a1).get(url).status_code == 403


def test_veh11_inspection_findings_lead_to_measures_disciplinary_through_discipline(
    fleet, client_for
):
    from discipline.models import Violation
    from vehicles.models import Inspection

    base = dict(
        vehicle=fleet.car1,
        inspected_on=datetime.date(2026, 3, 1),
        findings="油耗超定额 25%，无合理说明",
        fuel=True,
        by=fleet.dispatcher.user,
    )
    with pytest.raises(services.VehicleError):
        services.inspection_record(**{**base, "fuel": False})  # nothing inspected
    with pytest.raises(services.VehicleError):
        services.inspection_record(**base, measure="warning")  # nobody concerned
    with pytest.raises(services.VehicleError):
        services.inspection_record(**base, measure="economic", driver=fleet.driver1)
    with pytest.raises(services.VehicleError):
        services.inspection_record(**{**base, "by": fleet.a1.user})
    assert not Inspection.objects.exists()
    services.inspection_record(**base, measure="self_examination", driver=fleet.driver1)
    services.inspection_record(
        **base, measure="economic", driver=fleet.driver1, amount="100"
    )
    assert not Violation.objects.exists()  # not disciplinary: no violation
    services.inspection_record(**base, measure="disciplinary", driver=fleet.driver1)
    violation = Violation.objects.get()
    assert (
        violation.kind == "vehicles.inspection_finding" and violation.person == fleet.d1
    )
    # The page: a disciplinary measure is confirmed first.
    client = client_for(fleet.dispatcher)
    data = {
        "vehicle": fleet.car1.pk,
        "inspected_on": "2026-03-01",
        "parking": "on",
        "findings": "私自停放在家中",
        "measure": "disciplinary",
        "driver": fleet.driver1.pk,
    }
    response = client.post(reverse("vehicles:inspections"), data)
    assert "confirm-inspection" in response.content.decode()
    assert Inspection.objects.count() == 3
    client.post(reverse("vehicles:inspections"), {**data, "confirm": "1"})
    assert Inspection.objects.count() == 4 and Violation.objects.count() == 2
    page = client_for(fleet.d1).get(reverse("vehicles:inspections")).content.decode()
    assert "私自停放在家中" in page
    assert client_for(fleet.d2).get(reverse("vehicles:inspections")).status_code == 200
    assert (
        "私自停放在家中"
        not in client_for(fleet.d2)
        .get(reverse("vehicles:inspections"))
        .content.decode()
    )
    assert (
        client_for(fleet.a1).post(reverse("vehicles:inspections"), data).status_code
        == 403
    )


def test_veh10_the_chart_shows_each_full_fill_over_the_months_with_the_baseline(
    fleet, later, client_for
):
    """The report's chart is server-drawn SVG: one dot per full-to-full segment at
    its closing fill's date over the month and the five before, the baseline
    (dashed) and the flag line; a dot over the flag line is red; a January segment
    shows on March's chart, a segment before the six months does not."""

    def day(y, m, d):
        return datetime.datetime(y, m, d, 10, tzinfo=TZ)

    _fill(fleet, day(2025, 8, 1), 9000, "5")  # the chain starts
    _fill(fleet, day(2025, 9, 1), 9030, "3")  # 10.00, before the six months
    _fill(fleet, day(2026, 1, 10), 9080, "5")  # 10.00: over 9.20
    _fill(fleet, day(2026, 1, 15), 9480, "32")  # 8.00: on the baseline
    _fill(fleet, at(1, 10), 10080, "48")  # 8.00
    _fill(fleet, at(5, 10), 10180, "12")  # 12.00: over
    row = {
        r["vehicle"].plate: r for r in selectors.consumption_report(MARCH, APRIL, 15)
    }["赣C·10001"]
    chart = row["chart"]
    assert [(d.on, d.value, d.over, d.in_month) for d in chart.dots] == [
        (datetime.date(2026, 1, 10), Decimal("10.00"), True, False),
        (datetime.date(2026, 1, 15), Decimal("8.00"), False, False),
        (datetime.date(2026, 3, 3), Decimal("8.00"), False, True),
        (datetime.date(2026, 3, 7), Decimal("12.00"), True, True),
    ]
    # On the baseline: the same height as the dashed line; over it: higher up.
    assert chart.dots[1].y == chart.baseline_y
    assert chart.dots[3].y < chart.limit_y < chart.baseline_y
    assert [label for _, label in chart.months] == ["10", "11", "12", "01", "02", "03"]
    page = client_for(fleet.dispatcher).get(
        reverse("vehicles:fuel_report"), {"month": "2026-03"}
    )
    body = page.content.decode()
    assert '<svg class="fuel-chart"' in body and "<meter" not in body
    assert 'data-chart="赣C·10001"' in body and "<polyline" in body
    svg = body[body.index('<svg class="fuel-chart"') : body.index("</svg>")]
    assert 'class="baseline"' in svg and "<script" not in svg and "style=" not in svg
