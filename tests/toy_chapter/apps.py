from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToyCarsConfig(AppConfig):
    """A chapter plugs in from its ready(): nothing in bureau, approvals or
    discipline names it."""

    name = "tests.toy_chapter"
    label = "toy_cars"
    verbose_name = _("Car use (worked example)")

    def ready(self):
        from tests.toy_chapter import policies  # noqa: F401  (registers the policies)
        from tests.toy_chapter.setup import register_chapter

        register_chapter()
