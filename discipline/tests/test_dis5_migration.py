"""DIS-5: the data migration that moves typed meeting references onto the link
keeps every typed text readable, and links only a reference naming recorded minutes
and one decision of them."""

import datetime
import importlib

import pytest
from django.apps import apps

from discipline.models import Violation
from discipline.services import violation_record
from meetings.testing import held_meeting

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "discipline.migrations.0005_violation_reference_to_decision"
)


def _legacy(person, reference):
    """A warning as recorded before decisions were records: typed text only."""
    violation = violation_record(
        person=person,
        occurred_on=datetime.date(2026, 6, 1),
        kind="discipline.efficiency.idle",
        evidence="旧记录",
    )
    Violation.objects.filter(pk=violation.pk).update(reference=reference)
    return violation.pk


def test_dis5_migration_links_named_decisions_and_keeps_the_text(org):
    meeting, decisions = held_meeting(org, texts=("一", "二"))
    year = meeting.held_on.year
    named = _legacy(org.b1, f"局务会纪要〔{year}〕1号 · 决定2")
    ambiguous = _legacy(org.a1, f"局务会纪要〔{year}〕1号")  # two decisions
    unknown = _legacy(org.u1, "局务会纪要〔2019〕9号")
    migration.link_references(apps, None)
    rows = {v.pk: v for v in Violation.objects.all()}
    assert rows[named].meeting_decision == decisions[1]
    assert rows[ambiguous].meeting_decision is None
    assert rows[unknown].meeting_decision is None
    assert rows[named].reference == f"局务会纪要〔{year}〕1号 · 决定2"
    assert rows[unknown].reference == "局务会纪要〔2019〕9号"
