import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from bureau.demo import clock_offset


class Command(BaseCommand):
    help = (
        "Print how many seconds the demo's clock runs ahead so that a work session "
        "is open (0: none needed). dev.py passes it on as BUREAU_DEMO_CLOCK."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="start",
            type=int,
            default=0,
            help="The offset in use (seconds): the demo's clock goes on from it, "
            "never back.",
        )

    def handle(self, *args, start, **options):
        kept = datetime.timedelta(seconds=max(start, 0))
        offset = kept + clock_offset(timezone.now() + kept)
        self.stdout.write(str(int(offset.total_seconds())))
