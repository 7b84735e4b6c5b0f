from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")

    def ready(self):
        from handovers.registry import register_open_matters_provider
        from petitions import policies  # noqa: F401  (registers the policies)
        from petitions import why as petitions_why
        from petitions.handover import petitions_open_matters
        from petitions.setup import register_chapter

        register_chapter()
        petitions_why.register()
        # DOC-6: a handover before leave lists the cases the person handles.
        register_open_matters_provider("petitions", petitions_open_matters)
