"""DOC-6: a draft's history row records the colleague who made the change for
the drafter (`HistoricalOutgoingDocument.done_by`), from the transient
`document._done_by` the services set, as `_history_user` gives the user."""

from __future__ import annotations

from simple_history.signals import pre_create_historical_record

from documents.models import OutgoingDocument


def _copy_done_by(sender, instance, history_instance, **kwargs) -> None:
    if isinstance(instance, OutgoingDocument):
        history_instance.done_by = getattr(instance, "_done_by", None)


def register() -> None:
    pre_create_historical_record.connect(
        _copy_done_by,
        sender=OutgoingDocument.history.model,
        dispatch_uid="documents_outgoing_done_by",
    )
