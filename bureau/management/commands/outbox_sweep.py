import datetime

from django.core.management.base import BaseCommand

from bureau import outbox


class Command(BaseCommand):
    help = (
        "Send the outbox's pending e-mail and tasks (the beat task's sweep); "
        "dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true")
        parser.add_argument(
            "--release-stuck",
            type=int,
            metavar="MINUTES",
            help="First put back rows left 'sending' for longer than MINUTES by a "
            "process that died (a duplicate becomes possible; the key shows it).",
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="First put back the rows that failed after every attempt.",
        )

    def handle(self, *args, commit, release_stuck, retry_failed, **options):
        if release_stuck is not None:
            n = outbox.release_stuck(
                older_than=datetime.timedelta(minutes=release_stuck), commit=commit
            )
            self.stdout.write(
                f"Stuck in sending: {n}" + ("" if commit else " (dry run)")
            )
        if retry_failed:
            n = outbox.retry_failed(commit=commit)
            self.stdout.write(f"Failed: {n}" + ("" if commit else " (dry run)"))
        result = outbox.sweep(commit=commit)
        if not commit:
            self.stdout.write(
                f"Would send (use --commit): {result.due}; stuck: {result.stuck}."
            )
            return
        self.stdout.write(
            f"Sent: {result.sent}; to retry: {result.retry}; failed: {result.failed}; "
            f"stuck: {result.stuck}."
        )
