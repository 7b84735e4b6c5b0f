"""Strings of installed packages that have no Simplified Chinese translation.

Marked here so that `makemessages` keeps them in bureau's catalogue, where they are
translated; never imported at run time.
"""

from django.utils.translation import gettext_noop

STRINGS = [
    # django-axes (the login lockout's records in the admin)
    gettext_noop("Axes"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt"),
    gettext_noop("access failures"),
    gettext_noop("access failure"),
    gettext_noop("access logs"),
    gettext_noop("access log"),
    # Django's admin and django-simple-history's history pages
    gettext_noop("Model name"),
    gettext_noop("Changes"),
    gettext_noop("None"),
    gettext_noop("Change or view list link"),
    gettext_noop("Add link"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
]
