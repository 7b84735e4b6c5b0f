"""VEH-7..9: accidents, fines, faults and repairs through the approval engine,
the attachments and the deadline engine."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from approvals.models import Notification
from approvals.services import approval_decide
from attachments.selectors import attachments_of
from attachments.testing import upload
from deadlines.models import Deadline
from vehicles import services
from vehicles.models import OdometerReading, Repair, TrafficFine
from vehicles.services import VehicleError
from vehicles.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _approved(fleet, car=None, reporter=None):
    car = car or fleet.car1
    reporter = reporter or fleet.d1
    repair = services.repair_report(vehicle=car, fault="刹车异响", by=reporter.user)
    repair = services.repair_verify(
        repair=repair,
        cause="刹车片磨损",
        estimate="480",
        shop=fleet.shop,
        by=fleet.dispatcher.user,
    )
    step = repair.current_approval.current_step()
    approval_decide(
        request=repair.current_approval, by=step.approver.user, decision="approve"
    )
    repair.refresh_from_db()
    return repair


def test_veh8_a_fault_goes_to_the_section_and_the_units_head(fleet):
    services.repair_report(vehicle=fleet.car3, fault="发动机故障灯亮", by=fleet.d2.user)
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert {fleet.dispatcher.pk, fleet.unit_head.pk} <= told
    # Someone who neither drives the car nor dispatches cannot report it.
    with pytest.raises(VehicleError):
        services.repair_report(vehicle=fleet.car3, fault="x", by=fleet.d1.user)


def test_veh8_the_unit_leader_approves_on_the_engine(fleet):
    """A unit's vehicle: the unit head approves; a bureau vehicle: the deputy in
    charge of its driver."""
    repair = services.repair_report(vehicle=fleet.car3, fault="异响", by=fleet.d2.user)
    repair = services.repair_verify(
        repair=repair,
        cause="减震器损坏",
        estimate="900",
        shop=fleet.shop,
        by=fleet.dispatcher.user,
    )
    assert repair.status == Repair.Status.AWAITING_APPROVAL
    assert repair.current_approval.current_step().approver == fleet.unit_head
    organ = services.repair_report(vehicle=fleet.car1, fault="异响", by=fleet.d1.user)
    organ = services.repair_verify(
        repair=organ,
        cause="轮胎",
        estimate="600",
        shop=fleet.shop,
        by=fleet.dispatcher.user,
    )
    assert organ.current_approval.current_step().approver == fleet.dep_a


def test_veh8_repair_first_ask_later_is_refused(fleet):
    repair = services.repair_report(vehicle=fleet.car1, fault="异响", by=fleet.d1.user)
    with pytest.raises(VehicleError, match="repair first"):
        services.repair_done(repair=repair, by=fleet.d1.user, odometer=10010)
    repair = services.repair_verify(
        repair=repair,
        cause="x",
        estimate="100",
        shop=fleet.shop,
        by=fleet.dispatcher.user,
    )
    with pytest.raises(VehicleError, match="repair first"):
        services.repair_done(repair=repair, by=fleet.d1.user, odometer=10010)
    repair.refresh_from_db()
    assert repair.status == Repair.Status.AWAITING_APPROVAL
    assert not OdometerReading.objects.filter(source="repair").exists()


def test_veh8_only_a_designated_shop(fleet):
    from vehicles.models import Shop

    repair = services.repair_report(vehicle=fleet.car1, fault="异响", by=fleet.d1.user)
    fleet.shop.active = False
    fleet.shop.save()
    with pytest.raises(VehicleError, match="designated"):
        services.repair_verify(
            repair=repair,
            cause="x",
            estimate="1",
            shop=fleet.shop,
            by=fleet.dispatcher.user,
        )
    with pytest.raises(VehicleError, match="designated"):
        services.repair_verify(
            repair=repair,
            cause="x",
            estimate="1",
            shop=Shop.objects.get(kind="fuel"),
            by=fleet.dispatcher.user,
        )


def test_veh8_parts_inspected_with_a_photo_before_the_bill_goes_to_finance(
    fleet, frozen
):
    repair = _approved(fleet)
    frozen.move_to(at(0, 15))
    repair = services.repair_done(repair=repair, by=fleet.d1.user, odometer=10012)
    assert repair.driver_present == fleet.driver1  # under the driver's eye
    with pytest.raises(VehicleError, match="inspected before the bill"):
        services.repair_bill(repair=repair, amount="480", by=fleet.dispatcher.user)
    with pytest.raises(VehicleError, match="photo"):
        services.repair_inspect_parts(
            repair=repair, note="旧刹车片已查看", photo=None, by=fleet.dispatcher.user
        )
    with pytest.raises(VehicleError):  # the driver does not inspect their own repair
        services.repair_inspect_parts(
            repair=repair,
            note="旧刹车片",
            photo=upload("parts.pdf"),
            by=fleet.d1.user,
        )
    repair = services.repair_inspect_parts(
        repair=repair,
        note="旧刹车片已查看",
        photo=upload("parts.pdf"),
        by=fleet.dispatcher.user,
    )
    assert repair.status == Repair.Status.INSPECTED
    assert [a.purpose for a in attachments_of(repair)] == ["parts_photo"]
    repair = services.repair_bill(
        repair=repair, amount="480.00", by=fleet.dispatcher.user
    )
    assert repair.status == Repair.Status.BILLED and repair.bill_amount == Decimal(
        "480.00"
    )


def test_veh9_the_bill_is_settled_within_a_month_on_the_deadline_engine(fleet, frozen):
    repair = _approved(fleet)
    frozen.move_to(at(0, 15))
    repair = services.repair_done(repair=repair, by=fleet.d1.user, odometer=10012)
    repair = services.repair_inspect_parts(
        repair=repair,
        note="已查看",
        photo=upload("parts.pdf"),
        by=fleet.dispatcher.user,
    )
    repair = services.repair_bill(repair=repair, amount="480", by=fleet.dispatcher.user)
    deadline = Deadline.objects.get(kind=services.BILL_DEADLINE)
    assert deadline.rule == "VEH-9"
    assert deadline.due_date == datetime.date(2026, 4, 1)  # 30 calendar days
    assert deadline.responsible == fleet.dispatcher
    frozen.move_to(at(10, 10))
    with pytest.raises(VehicleError):
        services.repair_settle(repair=repair, by=fleet.a1.user)
    services.repair_settle(repair=repair, by=fleet.dispatcher.user)
    deadline.refresh_from_db()
    assert deadline.state == "met"


def test_veh9_a_road_repair_needs_a_reason_and_a_witness(fleet, frozen):
    kwargs = dict(
        vehicle=fleet.car1,
        fault="爆胎",
        by=fleet.d1.user,
        on_road=True,
        road_shop="沿途补胎店",
        odometer=10030,
    )
    with pytest.raises(VehicleError, match="VEH-9"):
        services.repair_report(road_reason="", witness="张三", **kwargs)
    with pytest.raises(VehicleError, match="VEH-9"):
        services.repair_report(road_reason="高速上爆胎", witness=" ", **kwargs)
    assert not Repair.objects.exists()
    repair = services.repair_report(
        road_reason="高速上爆胎", witness="同车人张三", **kwargs
    )
    assert repair.status == Repair.Status.REPAIRED and repair.witness == "同车人张三"
    assert OdometerReading.objects.filter(source="repair", km=10030).exists()


def test_veh7_an_accident_notifies_the_section_head_and_the_deputy_in_charge(
    fleet, frozen
):
    services.accident_report(
        vehicle=fleet.car1,
        driver=fleet.driver1,
        occurred_at=at(0, 7, 30),
        place="城关镇路口",
        description="追尾，车头受损",
        injuries=False,
        by=fleet.d1.user,
    )
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert {fleet.head_a.pk, fleet.dep_a.pk} <= told
    with pytest.raises(VehicleError):
        services.accident_report(
            vehicle=fleet.car1,
            driver=fleet.driver1,
            occurred_at=at(1, 7),  # tomorrow
            place="x",
            description="y",
            by=fleet.d1.user,
        )


def test_veh7_a_fine_from_the_drivers_fault_is_the_drivers(fleet):
    fine = services.fine_record(
        vehicle=fleet.car1,
        driver=fleet.driver1,
        occurred_on=datetime.date(2026, 2, 20),
        offence="超速 20%",
        amount="200",
        points=3,
        driver_at_fault=True,
        by=fleet.dispatcher.user,
    )
    assert fine.payer == "司机甲"
    assert Notification.objects.filter(recipient=fleet.d1).exists()
    other = services.fine_record(
        vehicle=fleet.car1,
        driver=fleet.driver1,
        occurred_on=datetime.date(2026, 2, 21),
        offence="违停（执行公务）",
        amount="50",
        driver_at_fault=False,
        by=fleet.dispatcher.user,
    )
    assert other.payer != "司机甲"
    with pytest.raises(VehicleError):
        services.fine_record(
            vehicle=fleet.car1,
            driver=fleet.driver1,
            occurred_on=datetime.date(2026, 2, 21),
            offence="x",
            amount="-5",
            by=fleet.dispatcher.user,
        )
    with pytest.raises(VehicleError):
        services.fine_record(
            vehicle=fleet.car1,
            driver=fleet.driver1,
            occurred_on=datetime.date(2026, 2, 21),
            offence="x",
            amount="5",
            by=fleet.d1.user,
        )
    assert TrafficFine.objects.count() == 2


def test_veh8_repair_pages_by_url_and_scope(fleet, client_for, frozen):
    repair = services.repair_report(vehicle=fleet.car3, fault="异响", by=fleet.d2.user)
    url = reverse("vehicles:repair", args=[repair.pk])
    for person in (fleet.d2, fleet.dispatcher, fleet.unit_head, fleet.director):
        assert client_for(person).get(url).status_code == 200, person
    for person in (fleet.d1, fleet.a1, fleet.head_b):
        assert client_for(person).get(url).status_code == 404, person
    for person in (fleet.d1, fleet.a1, fleet.dispatcher):
        assert client_for(person).get(reverse("vehicles:repairs")).status_code == 200
        assert client_for(person).get(reverse("vehicles:accidents")).status_code == 200
    # The driver cannot verify (the service refuses in words; nothing changes).
    act = reverse("vehicles:repair_act", args=[repair.pk])
    client_for(fleet.d2).post(
        act, {"action": "verify", "cause": "x", "estimate": "1", "shop": fleet.shop.pk}
    )
    repair.refresh_from_db()
    assert repair.status == Repair.Status.REPORTED
    client_for(fleet.dispatcher).post(
        act,
        {"action": "verify", "cause": "减震", "estimate": "900", "shop": fleet.shop.pk},
    )
    repair.refresh_from_db()
    assert repair.status == Repair.Status.AWAITING_APPROVAL
    # An unknown action is refused, nothing changed.
    client_for(fleet.dispatcher).post(act, {"action": "explode"})
    repair.refresh_from_db()
    assert repair.status == Repair.Status.AWAITING_APPROVAL
    # The fine form is the dispatcher's.
    response = client_for(fleet.a1).post(reverse("vehicles:fine"), {})
    assert response.status_code == 403
