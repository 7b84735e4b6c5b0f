"""ClerkAssignment moves from attendance to bureau (state only): leave scopes clerks
to their units too, and a chapter never imports another, so the vocabulary lives on
the ground floor. The tables keep their names (attendance_clerkassignment and its
history table): no row is copied or lost. Runs after attendance 0004 created them;
attendance 0005 then forgets the model in its own state."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ("clerkassignment", "historicalclerkassignment")


def _relabel(apps, old, new):
    """Existing content types (and so the permissions on them) follow the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "attendance", "bureau")


def backwards(apps, schema_editor):
    _relabel(apps, "bureau", "attendance")


class Migration(migrations.Migration):

    dependencies = [
        ("bureau", "0004_date_bounds_and_text_lengths"),
        ("attendance", "0004_clerk_assignment"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalClerkAssignment",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        ("history_type", models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1)),
                        ("history_user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("person", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="bureau.person", verbose_name="attendance clerk")),
                        ("unit", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="bureau.unit", verbose_name="unit")),
                    ],
                    options={
                        "verbose_name": "historical clerk's unit",
                        "verbose_name_plural": "historical clerks' units",
                        "db_table": "attendance_historicalclerkassignment",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="ClerkAssignment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("person", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="clerk_assignments", to="bureau.person", verbose_name="attendance clerk")),
                        ("unit", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="bureau.unit", verbose_name="unit")),
                    ],
                    options={
                        "verbose_name": "clerk's unit",
                        "verbose_name_plural": "clerks' units",
                        "db_table": "attendance_clerkassignment",
                        "ordering": ["person_id", "unit_id"],
                        "constraints": [models.UniqueConstraint(fields=("person", "unit"), name="one_clerk_assignment_per_unit")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
