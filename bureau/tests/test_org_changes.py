"""bureau.org_changes: a change of unit, section or post, or leaving, is announced
to the registered callbacks after commit — once, and not for other edits."""

import pytest

from bureau import org_changes
from bureau.models import Person, Position


@pytest.fixture
def heard():
    changes = []
    org_changes.register_post_change("test.heard", changes.append)
    yield changes
    org_changes.unregister_post_change("test.heard")


def test_org_change_of_section_is_announced_after_commit(
    org, heard, django_capture_on_commit_callbacks
):
    person = Person.objects.get(pk=org.a1.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        person.section = org.section_b
        person.save()
    assert heard == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert len(heard) == 1
    change = heard[0]
    assert change.person_id == org.a1.pk and change.moved and not change.left
    assert change.before.section_id == org.section_a.pk
    assert change.after.section_id == org.section_b.pk


def test_org_leaving_is_announced_and_other_edits_are_not(
    org, heard, django_capture_on_commit_callbacks
):
    person = Person.objects.get(pk=org.b1.pk)
    with django_capture_on_commit_callbacks(execute=True):
        person.phone = "123"
        person.save()
    assert heard == []
    with django_capture_on_commit_callbacks(execute=True):
        person.is_active = False
        person.save()
    assert len(heard) == 1 and heard[0].left
    with django_capture_on_commit_callbacks(execute=True):
        person.position = Position.SECTION_HEAD
        person.save()  # an inactive person's later edits announce nothing
    assert len(heard) == 1


def test_org_a_failing_callback_does_not_undo_the_move(
    org, heard, django_capture_on_commit_callbacks
):
    def boom(change):
        raise RuntimeError("chapter failed")

    org_changes.register_post_change("test.boom", boom)
    try:
        person = Person.objects.get(pk=org.a2.pk)
        with django_capture_on_commit_callbacks(execute=True):
            person.section = org.section_b
            person.save()
    finally:
        org_changes.unregister_post_change("test.boom")
    assert Person.objects.get(pk=org.a2.pk).section == org.section_b
    assert len(heard) == 1


def test_org_registering_another_callback_under_a_key_is_refused(heard):
    org_changes.register_post_change("test.heard", heard.append)  # same: fine
    with pytest.raises(ValueError):
        org_changes.register_post_change("test.heard", print)
