from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")

    def ready(self):
        from petitions import policies  # noqa: F401  (registers the policies)
        from petitions.setup import register_chapter

        register_chapter()
