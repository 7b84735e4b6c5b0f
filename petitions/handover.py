"""DOC-6: the petition cases a person handles, for a handover (registered in
handovers.registry from PetitionsConfig.ready()). One query. The case is named by
its number and category only, never the petitioner (PET-7)."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from handovers.registry import Matter
from petitions.models import Case

DONE = [Case.Status.CLOSED, Case.Status.MERGED]


def petitions_open_matters(person_ids) -> dict:
    found: dict[int, list[Matter]] = defaultdict(list)
    statuses = dict(Case.Status.choices)
    rows = (
        Case.objects.filter(handler_id__in=list(person_ids))
        .exclude(status__in=DONE)
        .order_by("received_on", "pk")
        .values_list("pk", "handler_id", "number", "category__name", "status")
    )
    for pk, handler, number, category, status in rows:
        found[handler].append(
            Matter(
                kind=_("Petition case"),
                label=f"{number or f'#{pk}'} {category}",
                url=reverse("petitions:detail", args=[pk]),
                state=statuses[status],
            )
        )
    return dict(found)
