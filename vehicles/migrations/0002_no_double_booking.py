"""No vehicle and no driver is dispatched twice at once (VEH-1), kept by the
database on PostgreSQL: exclusion constraints over (vehicle, time range) and
(driver, time range) of the trips that hold a slot (dispatched, on the road,
returned). The range is [starts_at, slot_ends_at): a return before the end asked
for shortens it (the rest is released); cancelled, withdrawn and bumped trips hold
none. SQLite has no exclusion constraints and keeps the same guarantee by the check
under the rows' locks in vehicles.services.trip_dispatch.

Added here and not in Trip.Meta (as leave's leave_no_overlapping_requests): a Meta
constraint would be part of the migration state on every database, and SQLite
cannot build it.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import Q
from django.db.models.expressions import RawSQL

SLOT = "tstzrange(starts_at, slot_ends_at, '[)')"
HOLDS_SLOT = ["dispatched", "out", "done"]


def _constraints():
    return [
        ExclusionConstraint(
            name=f"vehicles_no_{field}_double_booking",
            expressions=[
                (field, RangeOperators.EQUAL),
                (RawSQL(SLOT, []), RangeOperators.OVERLAPS),
            ],
            condition=Q(status__in=HOLDS_SLOT),
        )
        for field in ("vehicle", "driver")
    ]


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("vehicles", "Trip")
    for constraint in _constraints():
        schema_editor.add_constraint(model, constraint)


def remove_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("vehicles", "Trip")
    for constraint in _constraints():
        schema_editor.remove_constraint(model, constraint)


class Migration(migrations.Migration):

    dependencies = [
        ("vehicles", "0001_initial"),
    ]

    operations = [
        # Does nothing on SQLite.
        BtreeGistExtension(),
        migrations.RunPython(add_constraints, remove_constraints),
    ]
