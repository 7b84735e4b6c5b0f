from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NumberingConfig(AppConfig):
    name = "numbering"
    verbose_name = _("Numbering")

    def ready(self):
        from bureau.models import Role
        from bureau.roles import grant

        # The comprehensive section gives and keeps the numbers (DOC-1): the document
        # clerk sees the register and voids; leaders and the administrator read it.
        grant(Role.DOCUMENT_CLERK, ["numbering.view_number", "numbering.void_number"])
        for role in (Role.DIRECTOR, Role.ADMINISTRATOR):
            grant(role, ["numbering.view_number"])
