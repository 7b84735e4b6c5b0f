"""The login backend: Django's, except that the signed-in user of every request is
read with their person in the same query (one query less wherever a page asks
`person_of(user)` — nearly every page, and sign-in at 08:00)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("person").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
