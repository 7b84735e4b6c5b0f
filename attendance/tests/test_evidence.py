"""Issue 16 leftover: the evidence attendance stores on a violation reads in Chinese,
whichever language judged the record, and rows stored in English are rewritten by
migration 0012."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.utils import translation

from attendance import services
from attendance.evidence import long_absence_evidence, study_absence_evidence
from attendance.models import LongAbsenceFlag
from attendance.tests.conftest import at
from attendance.tests.test_sheets import sign
from discipline.models import Violation

LATIN = re.compile(r"[A-Za-z]{2,}")
pytestmark = pytest.mark.django_db
migration = importlib.import_module("attendance.migrations.0012_evidence_in_chinese")


def test_att11_evidence_is_chinese_when_judged_in_english(org, monday):
    """A late and an early leave judged while English is active (a worker without
    the bureau's language) are stored with Chinese evidence, no English words."""
    sign(org.a1, at(monday, 8, 12), at(monday, 11, 50))
    with translation.override("en"):
        services.sheets_settle(day=monday, now=at(monday, 12, 30))
    late = Violation.objects.get(person=org.a1, kind="attendance.late").evidence
    early = Violation.objects.get(person=org.a1, kind="attendance.early_leave").evidence
    assert "08:12:00 签到" in late and "上午" in late
    assert "11:50:00 签退" in early
    assert not LATIN.search(late) and not LATIN.search(early)


def test_att10_absence_evidence_names_the_reason_in_chinese(org, monday):
    """A half-day absence says why in words, in Chinese."""
    with translation.override("en"):
        services.sheets_settle(day=monday, now=at(monday, 12, 30))
    evidence = Violation.objects.get(person=org.b1, kind="attendance.absence").evidence
    assert evidence.startswith(f"{monday.isoformat()} 上午：缺勤半天：")
    assert not LATIN.search(evidence)


def test_att12_long_absence_evidence_is_chinese():
    """ATT-12's flag: the kind by its label, the days and the dates, in Chinese."""
    with translation.override("en"):
        text = long_absence_evidence(
            kind_label=LongAbsenceFlag.Kind.CONSECUTIVE.label,
            days=16,
            start=datetime.date(2026, 6, 1),
            end=datetime.date(2026, 6, 22),
        )
    assert text == "连续缺勤：16 天（2026-06-01 至 2026-06-22）"


def test_att9_study_absence_evidence_is_chinese_without_rule_id():
    """ATT-9: absent from the study without approved leave, no rule ID in the text."""
    with translation.override("en"):
        text = study_absence_evidence("集体学习 19:30")
    assert text == "集体学习 19:30：未经批准请假而缺席"


def test_migration_maps_each_english_phrase():
    """Each phrase attendance stored in English before has its Chinese form; text
    typed by people or already Chinese is left alone (None)."""
    chinese = migration.chinese
    assert (
        chinese("consecutive: 16 day(s) 2026-06-01–2026-06-22")
        == "连续缺勤：16 天（2026-06-01 至 2026-06-22）"
    )
    assert (
        chinese("year: 30.5 day(s) 2026-01-05–2026-09-30")
        == "年度累计缺勤：30.5 天（2026-01-05 至 2026-09-30）"
    )
    assert (
        chinese("集体学习 19:30: absent without approved leave (ATT-9)")
        == "集体学习 19:30：未经批准请假而缺席"
    )
    assert (
        chinese(
            "2026-11-02 Morning: signed in 08:12:00 for the session starting 08:00:00"
        )
        == "2026-11-02 上午：08:12:00 签到（08:00:00 上班）"
    )
    assert (
        chinese(
            "2026-11-02 Afternoon: signed out 17:10:00 for the session ending 17:30:00"
        )
        == "2026-11-02 下午：17:10:00 签退（17:30:00 下班）"
    )
    assert (
        chinese("2026-11-02 Morning: half-day absence: no sign-out")
        == "2026-11-02 上午：缺勤半天：未签退"
    )
    assert chinese("2026-11-02 上午: 08:12:00 签到（08:00:00 上班）") is None
    assert chinese("群众反映上班时间打牌") is None


def test_migration_rewrites_stored_rows(org, monday):
    """A violation stored with English evidence reads in Chinese after the
    migration; a typed one is unchanged."""
    sign(org.a1, at(monday, 8, 12), at(monday, 11, 50))
    services.sheets_settle(day=monday, now=at(monday, 12, 30))
    late = Violation.objects.get(person=org.a1, kind="attendance.late")
    english = f"{monday} Morning: signed in 08:12:00 for the session starting 08:00:00"
    Violation.objects.filter(pk=late.pk).update(evidence=english)
    typed = Violation.objects.get(person=org.a1, kind="attendance.early_leave")
    Violation.objects.filter(pk=typed.pk).update(evidence="本人说明：堵车")
    migration.forwards(apps, None)
    late.refresh_from_db()
    typed.refresh_from_db()
    assert late.evidence == f"{monday} 上午：08:12:00 签到（08:00:00 上班）"
    assert typed.evidence == "本人说明：堵车"
