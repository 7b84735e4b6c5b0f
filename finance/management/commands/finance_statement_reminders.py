from django.core.management.base import BaseCommand
from django.utils import timezone

from finance.services import statement_reminders


class Command(BaseCommand):
    help = (
        "FIN-7: remind the finance officer when last month's statements have not "
        "all gone out by the due day (a dry run unless --commit)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="Send the reminder.")

    def handle(self, *args, commit, **options):
        units = statement_reminders(today=timezone.localdate(), commit=commit)
        verb = "Reminded about" if commit else "Would remind about"
        for unit in units:
            self.stdout.write(f"{verb}: {unit.name}")
        self.stdout.write(f"{verb} {len(units)} unit(s).")
