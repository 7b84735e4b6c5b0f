import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from deadlines.services import deadlines_scan


class Command(BaseCommand):
    help = (
        "Send the deadline reminders and escalations due today, each once "
        "(dry run unless --commit)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true")
        parser.add_argument("--kind", action="append", dest="kinds")
        parser.add_argument("--date", help="scan as of this day (YYYY-MM-DD)")

    def handle(self, *args, commit, kinds, date, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date (YYYY-MM-DD)") from None
        result = deadlines_scan(
            today=today or timezone.localdate(), commit=commit, kinds=kinds
        )
        for which, rows in (
            ("remind", result.reminders),
            ("escalate", result.escalations),
        ):
            for row in rows:
                self.stdout.write(
                    f"{which} {row['kind']} #{row['object_id']} due {row['due_date']}"
                )
        verb = "Sent" if commit else "Would send (use --commit)"
        self.stdout.write(
            f"{verb}: {len(result.reminders)} reminders, "
            f"{len(result.escalations)} escalations."
        )
