"""PET-8: the petition work meeting as a kind of meeting (meetings/), as data."""

from django.db import migrations

from petitions.kinds import ensure_meeting_kind


def add_kind(apps, schema_editor):
    ensure_meeting_kind(apps.get_model("meetings", "MeetingKind"))


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0001_initial"),
        ("meetings", "0003_minutes_on_numbering_series"),
    ]

    operations = [migrations.RunPython(add_kind, migrations.RunPython.noop)]
