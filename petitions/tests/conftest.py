import datetime
from types import SimpleNamespace

import pytest
import time_machine

from bureau.models import Position, Role
from bureau.testing import make_person
from bureau.workdays import TZ
from petitions import services
from petitions.models import Category, Route, Township

# A Monday of 2026 without holidays around it.
DAY0 = datetime.date(2026, 6, 1)


def at(day: datetime.date, hour: int = 10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


@pytest.fixture
def pet(org):
    """The small organisation with a petition officer (in section b), two
    categories, two townships and a routing catalogue."""
    ns = SimpleNamespace(org=org)
    ns.officer = make_person(
        "officer",
        unit=org.organ,
        section=org.section_b,
        position=Position.SECTION_STAFF,
        duties=[Role.PETITION_OFFICER],
    )
    ns.policy = Category.objects.create(name="计划生育政策", order=1)
    ns.land = Category.objects.create(name="宅基地与村务", order=2)
    ns.east = Township.objects.create(name="东关镇", order=1)
    ns.west = Township.objects.create(name="西河乡", order=2)
    Route.objects.create(category=ns.policy, section=org.section_b)
    Route.objects.create(category=ns.land, to_township=True)
    return ns


def register(pet, *, on=DAY0, channel="letter", name="张三", phone="13812345678", **kw):
    with time_machine.travel(at(on), tick=False):
        return services.case_register(
            by=pet.officer.user,
            channel=channel,
            received_on=on,
            summary=kw.pop("summary", "反映独生子女奖励费未兑现"),
            category=kw.pop("category", pet.policy),
            township=kw.pop("township", pet.east),
            anonymous=kw.pop("anonymous", False),
            petitioner=services.Petitioner(
                name=name,
                phone=phone,
                id_number=kw.pop("id_number", ""),
                subject=kw.pop("subject", None),
                report=kw.pop("report", "详细举报内容"),
            ),
            **kw,
        )


def route(pet, case, *, on=DAY0, handler=None, section=None):
    with time_machine.travel(at(on), tick=False):
        return services.case_route(
            case=case,
            by=pet.officer.user,
            section=section or pet.org.section_b,
            handler=handler or pet.org.b1,
            on=on,
        )


def decide(pet, case, *, on, by=None, decision="accepted"):
    with time_machine.travel(at(on), tick=False):
        return services.case_decide(
            case=case,
            by=(by or pet.org.b1).user,
            decision=decision,
            text="经审查，予以受理" if decision == "accepted" else "不属于本机关职责",
            on=on,
        )


def conclude(pet, case, *, on, outcome="support"):
    with time_machine.travel(at(on), tick=False):
        return services.case_conclude(
            case=case, by=pet.org.b1.user, outcome=outcome, text="处理意见：……", on=on
        )


def deliver(pet, case, *, on, method="post"):
    with time_machine.travel(at(on), tick=False):
        return services.reply_deliver(
            case=case,
            by=pet.officer.user,
            method=method,
            delivered_on=on,
            note="挂号信",
        )
