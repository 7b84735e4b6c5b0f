from django.core.management.base import BaseCommand
from django.utils import timezone

from leave.services import leave_remind_returns


class Command(BaseCommand):
    help = (
        "LV-9: remind people whose leave is ending to report back, through the "
        "deadline engine (dry run unless --commit; `deadlines_scan` does every kind)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true")

    def handle(self, *args, commit, **options):
        due = leave_remind_returns(on=timezone.localdate(), commit=commit)
        for leave in due:
            self.stdout.write(str(leave))
        verb = "Reminded" if commit else "Would remind (use --commit)"
        self.stdout.write(f"{verb}: {len(due)}.")
