from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "vehicles"
    verbose_name = _("Vehicles")

    def ready(self):
        from vehicles import policies  # noqa: F401  (registers the policies)
        from vehicles.setup import register_chapter

        register_chapter()
