from django.core.management.base import BaseCommand
from django.utils import timezone

from bureau.demo import clock_offset


class Command(BaseCommand):
    help = (
        "Print how many seconds the demo's clock runs ahead so that a work session "
        "is open (0: none needed). dev.py passes it on as BUREAU_DEMO_CLOCK."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(int(clock_offset(timezone.now()).total_seconds())))
