"""ClerkAssignment now lives in bureau (bureau 0002_clerk_assignment_from_attendance):
attendance forgets it in its state only; the tables stay, owned by bureau's model."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0004_clerk_assignment"),
        ("bureau", "0002_clerk_assignment_from_attendance"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalClerkAssignment"),
                migrations.DeleteModel(name="ClerkAssignment"),
            ],
            database_operations=[],
        ),
    ]
