from django.core.management.base import BaseCommand
from django.utils import timezone

from documents.services import monthly_reminders


class Command(BaseCommand):
    help = (
        "DOC-5: remind section heads who have not sent last month's summary and "
        "plan (a dry run unless --commit)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="Send the reminders.")

    def handle(self, *args, commit, **options):
        sections = monthly_reminders(today=timezone.localdate(), commit=commit)
        verb = "Reminded" if commit else "Would remind"
        for section in sections:
            self.stdout.write(f"{verb}: {section.name}")
        self.stdout.write(f"{verb} {len(sections)} section(s).")
