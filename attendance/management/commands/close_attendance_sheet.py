import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from attendance.services import sheets_close, sheets_process_due, sheets_settle


class Command(BaseCommand):
    help = (
        "Close the due sign-in sheets (ATT-6) and settle ended sessions, as the beat "
        "task does. A dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="Write the changes.")
        parser.add_argument(
            "--date",
            help="Close and settle every session of this day (YYYY-MM-DD) at once.",
        )

    def handle(self, *args, commit, date, **options):
        with transaction.atomic():
            if date:
                try:
                    day = datetime.date.fromisoformat(date)
                except ValueError as exc:
                    raise CommandError(f"not a date: {date}") from exc
                if day > timezone.localdate():
                    raise CommandError("a day in the future cannot be closed")
                closed = sheets_close(day=day, commit=commit, force=True)
                settled = (
                    sheets_settle(
                        day=day, commit=commit, force=day < timezone.localdate()
                    )
                    if commit
                    else None
                )
                runs = [closed] + ([settled] if settled else [])
            else:
                runs = sheets_process_due(commit=commit)
            if not commit:
                transaction.set_rollback(True)
        prefix = "" if commit else "Dry run (use --commit to write): "
        for run in runs:
            self.stdout.write(prefix + str(run))
