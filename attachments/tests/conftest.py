import pytest
from django.db.models import Q

from attachments.registry import register_owner, unregister_owner
from bureau.access import person_of
from bureau.models import Section


def _sections_visible_to(user):
    person = person_of(user)
    if person is None:
        return Section.objects.none()
    return Section.objects.filter(Q(pk=person.section_id) | Q(head=person))


def _may_attach(user, section):
    person = person_of(user)
    return person is not None and section.head_id == person.pk


@pytest.fixture
def sections_own_files():
    """For these tests: a section's files are seen by its members and added by its
    head (bureau.section registered as an attachment owner)."""
    register_owner(
        "bureau.section",
        visible_to=_sections_visible_to,
        may_attach=_may_attach,
        purposes=[("invoice", "发票")],
    )
    yield
    unregister_owner("bureau.section")
