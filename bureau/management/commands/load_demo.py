import importlib

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from bureau.demo import DEMO_LOGINS, DEMO_PASSWORD, load_organisation
from bureau.models import Organisation

# Leave before attendance: the month's sign-ins leave out the people on leave.
LOCAL_APPS = [
    "bureau",
    "approvals",
    "leave",
    "attendance",
    "meetings",
    "discipline",
    "vehicles",
    "finance",
    "petitions",
    "documents",
    "duty",
    "window",
    # After the chapters whose matters a handover lists (DOC-6).
    "handovers",
]


class Command(BaseCommand):
    help = "Load the demo bureau (organisation, people, a month of history)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--commit",
            action="store_true",
            help="Write the data (without it: a dry run).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when an organisation exists already.",
        )

    def handle(self, *args, commit, if_empty, **options):
        if Organisation.objects.exists():
            if if_empty:
                self.stdout.write("The demo bureau is loaded already.")
                return
            raise CommandError(
                "The database holds an organisation already: "
                "use a fresh database for the demo."
            )
        # The demo's month of history is not mailed to anyone.
        dummy_mail = "django.core.mail.backends.dummy.EmailBackend"
        with override_settings(EMAIL_BACKEND=dummy_mail), transaction.atomic():
            ctx = load_organisation(timezone.localdate())
            for label in LOCAL_APPS:
                if label == "bureau" or not apps.is_installed(label):
                    continue
                try:
                    module = importlib.import_module(f"{label}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{label}.demo":
                        raise
                    continue
                module.load(ctx)
            if not commit:
                transaction.set_rollback(True)
        verb = "Loaded" if commit else "Dry run (use --commit to write):"
        self.stdout.write(f"{verb} {len(ctx.people)} people.")
        if commit:
            self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
            for username, label in DEMO_LOGINS:
                self.stdout.write(f"  {username:<12} {label}")
