"""ClerkAssignment now lives in bureau (bureau 0005_clerk_assignment_from_attendance):
attendance forgets it in its state only; the tables stay, owned by bureau's model."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0005_date_bounds_and_text_lengths"),
        ("bureau", "0005_clerk_assignment_from_attendance"),
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
