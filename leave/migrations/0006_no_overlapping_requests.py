"""No two pending or approved leave requests of one person share a half day, kept by
the database on PostgreSQL (an exclusion constraint over the person and the leave's
half-day range); SQLite has no exclusion constraints and keeps the same guarantee by
the check under a lock in leave.services.leave_submit.

The constraint is added here and not declared in LeaveRequest.Meta: a Meta
constraint would be part of the migration state on every database, and SQLite
cannot build it (table rebuilds there would fail). Outside the state,
`makemigrations --check` stays clean on both.

The range: a morning is [date 00:00, date 12:00), an afternoon [date 12:00, date+1
00:00); a leave runs from its first session to its last one, shortened by an early
return (LV-9: actual_end_date/half). So a morning and an afternoon of one date do
not overlap; any shared half day does. Refused and withdrawn requests hold no time.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import Q
from django.db.models.expressions import RawSQL

NAME = "leave_no_overlapping_requests"

SESSION_RANGE = """tsrange(
    start_date + CASE WHEN start_half = 'pm'
        THEN interval '12 hours' ELSE interval '0 hours' END,
    CASE WHEN actual_end_date IS NULL
        THEN end_date + CASE WHEN end_half = 'am'
            THEN interval '12 hours' ELSE interval '24 hours' END
        ELSE actual_end_date + CASE WHEN actual_end_half = 'am'
            THEN interval '12 hours' ELSE interval '24 hours' END
    END,
    '[)'
)"""


def _constraint():
    return ExclusionConstraint(
        name=NAME,
        expressions=[
            ("person", RangeOperators.EQUAL),
            (RawSQL(SESSION_RANGE, []), RangeOperators.OVERLAPS),
        ],
        condition=Q(status__in=["pending", "approved"]),
    )


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_constraint(apps.get_model("leave", "LeaveRequest"), _constraint())


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_constraint(
        apps.get_model("leave", "LeaveRequest"), _constraint()
    )


class Migration(migrations.Migration):

    dependencies = [
        ("leave", "0005_date_bounds_and_text_lengths"),
    ]

    operations = [
        # Does nothing on SQLite.
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, remove_constraint),
    ]
