import datetime

import pytest

from deadlines.registry import register_deadline_kind, unregister_deadline_kind

TOY = "test.toy"
TOY_POLICY = "deadlines.test_toy"
TOY_DEFAULT = {
    "length": 15,
    "day_type": "calendar",
    "remind_days": 3,
    "escalate_to": "section_head",
}
MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture
def toy_kind():
    """A kind of deadline on a Person record (the person answers for it): the
    engine tested without any chapter."""
    kind = register_deadline_kind(
        TOY,
        rule="PET-2",
        legal_basis="信访条例第二十二条",
        label="受理告知",
        policy_key=TOY_POLICY,
        default=TOY_DEFAULT,
        responsible=lambda person: person,
        url=lambda object_id: f"/toy/{object_id}/",
        describe=lambda person: f"{person.name}的来信",
    )
    yield kind
    unregister_deadline_kind(TOY)


@pytest.fixture
def open_toy(toy_kind):
    from deadlines.services import deadline_open

    def _open(person, start=MONDAY, **kwargs):
        return deadline_open(kind=TOY, record=person, start=start, **kwargs)

    return _open
