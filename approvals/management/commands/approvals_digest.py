from django.core.management.base import BaseCommand
from django.utils import timezone

from approvals.mail import digest_send


class Command(BaseCommand):
    help = "Send each approver the daily digest of pending decisions (dry run unless --commit)."

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true")

    def handle(self, *args, commit, **options):
        sent = digest_send(on=timezone.localdate(), commit=commit)
        for person, count in sent:
            self.stdout.write(f"{person.name}: {count}")
        verb = "Sent" if commit else "Would send (use --commit)"
        self.stdout.write(f"{verb}: {len(sent)} digests.")
