"""Reads of the register: a record's number, and who may see the register."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from numbering.models import Number


def number_of(owner, series: str) -> Number | None:
    """The live (not voided) number of `owner` in `series`, or None. One query."""
    if getattr(owner, "pk", None) is None:
        return None
    found = Number.objects.filter(
        series=series,
        content_type=ContentType.objects.get_for_model(owner),
        object_id=owner.pk,
        voided=False,
    ).order_by()[:1]
    return next(iter(found), None)


def numbers_of(owners, series: str) -> dict[int, Number]:
    """{owner pk: live number} for many records of one model, in one query (lists)."""
    owners = [o for o in owners if getattr(o, "pk", None) is not None]
    if not owners:
        return {}
    content_type = ContentType.objects.get_for_model(owners[0])
    return {
        number.object_id: number
        for number in Number.objects.filter(
            series=series,
            content_type=content_type,
            object_id__in=[o.pk for o in owners],
            voided=False,
        )
    }


def numbers_visible_to(user):
    """The register is kept by the comprehensive section (DOC-1): whoever holds the
    view permission sees all of it; nobody else any of it. It holds numbers, the
    type and id of their records, never the records' content."""
    if user is not None and user.has_perm("numbering.view_number"):
        return Number.objects.all()
    return Number.objects.none()
