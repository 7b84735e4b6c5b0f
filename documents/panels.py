"""The document clerk's desk on the home page: what waits to be numbered or filed.
Nothing (and no query) for anyone else."""

from django.db.models import Count, Q

from documents import selectors
from documents.models import OutgoingDocument

Status = OutgoingDocument.Status


def clerk_desk(request, person, today):
    if person is None or not selectors.is_document_clerk(request.user):
        return None
    return OutgoingDocument.objects.aggregate(
        to_number=Count("pk", filter=Q(status=Status.PROOFREAD, level="bureau")),
        to_file=Count(
            "pk",
            filter=Q(status=Status.NUMBERED)
            | Q(status=Status.PROOFREAD, level="county"),
        ),
    )
