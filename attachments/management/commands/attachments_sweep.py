"""List (or, with --commit, delete) stored files that no attachment row names."""

import datetime

from django.core.management.base import BaseCommand

from attachments import storage
from attachments.tasks import GRACE


class Command(BaseCommand):
    help = "Files under MEDIA_ROOT/attachments/ without an attachment row (dry run)."

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="Delete them.")
        parser.add_argument(
            "--hours",
            type=int,
            default=int(GRACE.total_seconds() // 3600),
            help="Only files older than this many hours (default: 24).",
        )

    def handle(self, *args, commit=False, hours=24, **options):
        found = storage.sweep_orphans(
            older_than=datetime.timedelta(hours=hours), commit=commit
        )
        for name in found:
            self.stdout.write(name)
        verb = "deleted" if commit else "would delete (dry run; --commit to delete)"
        self.stdout.write(f"{len(found)} orphan files {verb}.")
