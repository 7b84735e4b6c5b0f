"""Rules are data: the value in force on a date, with history."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bureau.models import Policy
from bureau.policies import ORIGIN_DATE, policy_in_force, registry

KEY = "calendar.warn_missing_arrangement_from"
D = datetime.date


@pytest.mark.django_db
def test_defaults_are_loaded_with_the_schema():
    """Every registered key has its rulebook default stored after migrate."""
    stored = set(Policy.objects.values_list("key", flat=True))
    assert {d.key for d in registry.definitions()} <= stored
    version = policy_in_force(KEY, D(2026, 1, 1))
    assert version.value == "11-01"
    assert version.effective_from == ORIGIN_DATE
    assert version.id is not None


@pytest.mark.django_db
def test_policy_lookup_at_before_and_after_the_effective_date():
    """A new version applies from its effective date on; older dates keep the old."""
    Policy.objects.create(key=KEY, effective_from=D(2027, 1, 1), value="10-15")
    assert policy_in_force(KEY, D(2026, 12, 31)).value == "11-01"
    assert policy_in_force(KEY, D(2027, 1, 1)).value == "10-15"
    assert policy_in_force(KEY, D(2027, 6, 1)).value == "10-15"


@pytest.mark.django_db
def test_policy_before_the_first_version_uses_the_rulebook_default():
    """Dates before the rulebook revision fall back to the registered default."""
    Policy.objects.filter(key=KEY).update(value="12-01")
    registry.clear_cache()
    assert policy_in_force(KEY, D(2004, 1, 1)).value == "11-01"
    assert policy_in_force(KEY, D(2004, 1, 1)).id is None


@pytest.mark.django_db
def test_saving_a_version_clears_the_cache_and_keeps_history():
    """An edit is seen at once and the history records it."""
    assert policy_in_force(KEY, D(2026, 1, 1)).value == "11-01"
    policy = Policy.objects.get(key=KEY)
    policy.value = "10-01"
    policy.save()
    assert policy_in_force(KEY, D(2026, 1, 1)).value == "10-01"
    assert policy.history.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["13-40", 5, ["11-01"]])
def test_policy_value_is_validated(value):
    """A value of the wrong type or shape is refused with a message."""
    policy = Policy(key=KEY, effective_from=D(2027, 1, 1), value=value)
    with pytest.raises(ValidationError):
        policy.full_clean()


@pytest.mark.django_db
def test_unknown_policy_key_is_refused():
    with pytest.raises(ValidationError):
        Policy(key="no.such", effective_from=D(2027, 1, 1), value=1).full_clean()


def test_policy_lookup_takes_a_date_not_a_datetime(db):
    with pytest.raises(TypeError):
        policy_in_force(KEY, datetime.datetime(2026, 1, 1, 8, 0))


def test_policy_admin_shows_the_rule_default_and_the_version_in_force(org, client_for):
    """An administrator revising a rule sees its rule ID, default and which version
    applies today; a value of the wrong shape is refused and nothing is saved."""
    from django.urls import reverse

    client = client_for(org.admin)
    Policy.objects.create(key=KEY, effective_from=D(2099, 1, 1), value="10-01")
    listing = client.get(reverse("admin:bureau_policy_changelist") + f"?key={KEY}")
    assert listing.status_code == 200
    current = Policy.objects.get(key=KEY, effective_from=ORIGIN_DATE)
    page = client.get(reverse("admin:bureau_policy_change", args=[current.pk]))
    assert "CAL-1" in page.content.decode() and "11-01" in page.content.decode()
    before = Policy.objects.count()
    response = client.post(
        reverse("admin:bureau_policy_add"),
        {"key": KEY, "effective_from": "2027-01-01", "value": "5", "note": "x"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert Policy.objects.count() == before
