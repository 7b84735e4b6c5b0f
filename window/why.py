""" "Why" page of a window matter's committed date (bureau.why, deadlines.why): the
date promised on the acceptance receipt (SVC-1), the time limit it was counted by
(SVC-2), whether it is overdue. Seen by whoever may see the matter
(`matters_visible_to`); anyone else gets 404."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from bureau.why import register_why
from deadlines.why import deadline_why
from window.models import Matter
from window.selectors import matters_visible_to

DEADLINE = "window.deadline"


def register() -> None:
    register_why(
        DEADLINE,
        gettext_lazy("committed date of a window matter"),
        deadline_why(
            Matter,
            matters_visible_to,
            url=lambda matter: reverse("window:matter", args=[matter.pk]),
            extra_rules=("SVC-2",),
        ),
    )
