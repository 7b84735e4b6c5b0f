from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from discipline.services import discipline_rebuild_year


class Command(BaseCommand):
    help = (
        "Judge a year's violations again with the policies in force (after a policy "
        "version was added) and bring the outcomes in line. Dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--commit", action="store_true")

    def handle(self, *args, year, commit, **options):
        with transaction.atomic():
            result = discipline_rebuild_year(
                year=year, reason=f"discipline_recompute --year {year}"
            )
            if not commit:
                transaction.set_rollback(True)
        verb = "Changed" if commit else "Would change (dry run, use --commit)"
        self.stdout.write(
            f"{verb}: {result.created} outcomes created, {result.withdrawn} "
            f"withdrawn, {result.steps_changed} counts moved ({year})."
        )
