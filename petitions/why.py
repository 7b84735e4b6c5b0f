""" "Why" page of a petition case's clocks (bureau.why, deadlines.why): the time limit
it runs by (PET-2, an extension's PET-4, a higher level's date), its due date, whether
it is overdue, and the escalation ladder that applies when it is (PET-5). Seen by
whoever may see the case (`cases_visible_to`); anyone else gets 404."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from bureau.why import register_why
from deadlines.why import deadline_why
from petitions.models import Case
from petitions.selectors import cases_visible_to

DEADLINE = "petitions.deadline"


def register() -> None:
    register_why(
        DEADLINE,
        gettext_lazy("time limit of a petition case"),
        deadline_why(
            Case,
            cases_visible_to,
            url=lambda case: reverse("petitions:detail", args=[case.pk]),
            extra_rules=("PET-5",),
        ),
    )
