from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from documents import policies  # noqa: F401  (registers the policies)
        from documents.setup import register_chapter

        register_chapter()
