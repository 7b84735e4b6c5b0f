import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meetings.services import remind_monthly_meetings


class Command(BaseCommand):
    help = (
        "MTG-1: remind the comprehensive section of a monthly meeting not held or "
        "planned by its reminder day (dry run unless --commit; sent once a month)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true")
        parser.add_argument("--date", help="the day to judge (YYYY-MM-DD); today")

    def handle(self, *args, commit, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError("--date takes YYYY-MM-DD") from None
        due = remind_monthly_meetings(today=today, commit=commit)
        for kind, recipients in due:
            names = ", ".join(p.name for p in recipients) or "-"
            self.stdout.write(f"{kind.code} {today:%Y-%m}: {names}")
        verb = "Reminded" if commit else "Would remind (use --commit)"
        self.stdout.write(f"{verb}: {len(due)}.")
