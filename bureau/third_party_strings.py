"""Strings of installed packages that have no Simplified Chinese translation.

Marked here so that `makemessages` keeps them in bureau's catalogue, where they are
translated; never imported at run time.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

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
    gettext_noop("rulebook default"),
    gettext_noop("Model name"),
    gettext_noop("Changes"),
    gettext_noop("None"),
    gettext_noop("Change or view list link"),
    gettext_noop("Add link"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    # issue 16: every string of the admin screens of django-axes, django-celery-beat,
    # django-simple-history and django-import-export that has no zh_Hans translation
    # in its package (tests/test_translations.py extracts them and fails on a gap).
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Cleaned up {count} expired access attempts."),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop(
        "Account locked: too many login attempts. Contact an admin to unlock your account."
    ),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Schedule"),
    gettext_noop("Arguments"),
    gettext_noop("Execution Options"),
    gettext_noop('task "{not_found_task_name}" not found'),
    gettext_noop("Periodic Tasks Using This Schedule"),
    gettext_noop(
        'Cron Months (1-12) Of The Year to Run. Use "*" for "all". (Example: "1,12")'
    ),
    gettext_noop(
        'Cron Days Of The Week to Run. Use "*" for "all", Sunday is 0 or 7, Monday is 1. (Example: "0,5")'
    ),
    gettext_noop("Task Name"),
    gettext_noop("Deleted %(type_name)s"),
    gettext_noop(
        "%(exc_name)s encountered while trying to read file. Ensure you have chosen the correct format for the file."
    ),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or data for import."
    ),
    gettext_noop("export failed due to IllegalCharacterError"),
    gettext_noop("Resource"),
    gettext_noop("Form is not validated, call `is_valid` first"),
    gettext_noop('Select at least 1 field for "%(resource_name)s" to export'),
    gettext_noop(
        "The following fields are declared in 'import_id_fields' but are not present in the resource fields: %s"
    ),
    gettext_noop(
        "The following fields are declared in 'import_id_fields' but are not present in the file headers: %s"
    ),
    gettext_noop("call to force_str() on instance failed: %s"),
    gettext_noop("Select all"),
    gettext_noop("Value could not be parsed."),
    gettext_noop("use_natural_foreign_keys and key_is_id cannot both be True"),
    gettext_noop("ident"),
    gettext_noop("last update"),
    ngettext_lazy(
        "{0} task was successfully enabled", "{0} tasks were successfully enabled", 1
    ),
    ngettext_lazy(
        "{0} task was successfully disabled", "{0} tasks were successfully disabled", 1
    ),
    ngettext_lazy(
        "{0} task was successfully toggled", "{0} tasks were successfully toggled", 1
    ),
    ngettext_lazy("Export %(len)s selected item.", "Export %(len)s selected items.", 1),
]
