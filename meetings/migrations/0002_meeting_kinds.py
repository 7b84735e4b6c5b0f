"""MTG-1's three kinds of meeting, as data (the administrator may adjust them)."""

from django.db import migrations

from meetings.kinds import ensure_default_kinds


def add_kinds(apps, schema_editor):
    ensure_default_kinds(apps.get_model("meetings", "MeetingKind"))


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
