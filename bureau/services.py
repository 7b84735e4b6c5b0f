"""Changes a person makes to their own account (the profile page)."""

from __future__ import annotations

from django.db import transaction

from bureau.access import person_of
from bureau.models import Person


class ProfileError(Exception):
    pass


def person_notifications_set(*, by, email: bool) -> bool:
    """Turn e-mail copies of one's notifications on or off. Returns whether it
    changed; the history keeps who did it."""
    person = person_of(by)
    if person is None:
        raise ProfileError("no person")
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.email_notifications == email:
            return False
        locked.email_notifications = email
        locked._history_user = by
        locked.save(update_fields=["email_notifications"])
    return True
