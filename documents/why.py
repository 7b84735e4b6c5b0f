""" "Why" page of an outgoing document (bureau.why): the check and sign-off chain it
was routed by (DOC-1), with the policy version stored on it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bureau.why import chain_why, register_why
from documents.selectors import outgoing_visible_to


def register() -> None:
    register_why(
        "documents.outgoing",
        _("outgoing document"),
        chain_why(
            outgoing_visible_to,
            person="drafter",
            url=lambda doc: reverse("documents:outgoing", args=[doc.pk]),
        ),
    )
