"""Celery entry points: thin, idempotent, calling one service each."""

from celery import shared_task
from django.utils import timezone

from bureau.models import Person
from discipline.services import discipline_rebuild_year, discipline_recompute


@shared_task
def rebuild_year(year: int | None = None):
    """Nightly (beat): judge the year again with the policies in force, so a policy
    version entered with a past effective date reaches the outcomes. Unchanged
    outcomes stay as they are: a second run changes nothing."""
    result = discipline_rebuild_year(year=year or timezone.localdate().year)
    return {
        "created": result.created,
        "withdrawn": result.withdrawn,
        "steps_changed": result.steps_changed,
    }


@shared_task
def recompute_person(person_id: int, year: int):
    """For a chapter that records in bulk and judges afterwards: one person-year."""
    if not Person.objects.filter(pk=person_id).exists():
        return None
    return discipline_recompute(person_id=person_id, year=year).changed
