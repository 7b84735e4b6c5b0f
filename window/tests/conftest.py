"""A township window with its A post (u1) and B post (u2) of the small
organisation's unit, and a catalogue service with two versions: from 2026-01-01
three materials, from 2026-11-16 a fourth (SVC-2)."""

import datetime

import pytest
import time_machine

from bureau.workdays import TZ
from window.models import Material, Service, ServiceVersion, Window

TUESDAY = datetime.date(2026, 11, 10)  # an ordinary working week (Mon 9 – Fri 13)
NOW = datetime.datetime(2026, 11, 10, 9, 30, tzinfo=TZ)
NEW_VERSION_FROM = datetime.date(2026, 11, 16)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def make_version(service, effective_from, materials, **kw):
    version = ServiceVersion.objects.create(
        service=service,
        effective_from=effective_from,
        legal_basis=kw.pop("legal_basis", "《人口与计划生育法》第二十条"),
        conditions=kw.pop("conditions", "本县户籍已婚育龄夫妇"),
        procedure=kw.pop("procedure", "窗口受理—审核—发证"),
        statutory_days=kw.pop("statutory_days", 20),
        committed_days=kw.pop("committed_days", 5),
        fee=kw.pop("fee", "免费"),
        contact=kw.pop("contact", "0000-1234567"),
        **kw,
    )
    for order, (name, form, copies, issuer) in enumerate(materials):
        Material.objects.create(
            version=version,
            name=name,
            form=form,
            copies=copies,
            issuer=issuer,
            order=order,
        )
    return version


BASE_MATERIALS = [
    ("居民身份证", "both", 1, "公安机关"),
    ("结婚证", "both", 1, "民政部门"),
    ("户口簿", "copy", 1, "公安机关"),
]


@pytest.fixture
def win(org):
    window = Window.objects.create(
        name="城关镇计生服务窗口",
        unit=org.unit,
        place="城关镇便民服务中心",
        phone="0000-7654321",
        post_a=org.u1,
        post_b=org.u2,
    )
    service = Service.objects.create(name="生育服务证")
    old = make_version(
        service, datetime.date(2026, 1, 1), BASE_MATERIALS, window=window
    )
    new = make_version(
        service,
        NEW_VERSION_FROM,
        BASE_MATERIALS + [("婚育情况证明", "original", 1, "村（居）委会")],
        window=window,
    )
    org.window = window
    org.service = service
    org.old_version = old
    org.new_version = new
    return org


def materials(version, *names):
    return list(version.materials.filter(name__in=names))
