"""{% load attachments %}{% attachments_panel record %}: the record's attachments,
with downloads, the upload form for who may attach and remove buttons for who may
remove. The record's visibility is asked again (the chapter's selector)."""

from django import template
from django.urls import reverse

from attachments import selectors
from attachments.forms import UploadForm
from attachments.registry import label_of, owner_for
from attachments.services import allowed_description, limits_in_force

register = template.Library()


@register.inclusion_tag("attachments/_panel.html", takes_context=True)
def attachments_panel(context, record, title=None):
    request = context["request"]
    user = request.user
    seen = selectors.may_see(user, record)
    if not seen:
        return {"visible": False}
    owner = owner_for(record)
    items = list(selectors.attachments_of(record))
    can_add = selectors.may_attach(user, record, seen=True)
    for item in items:
        item.can_remove = selectors.may_remove(user, item, record, seen=True)
        item.purpose_label = owner.purpose_label(item.purpose) if owner else ""
    limits = limits_in_force()
    return {
        "visible": True,
        "title": title,
        "record": record,
        "items": items,
        "can_add": can_add,
        "form": UploadForm(owner=owner) if can_add else None,
        "upload_url": reverse("attachments:upload", args=[label_of(record), record.pk]),
        "next": request.get_full_path(),
        "allowed": allowed_description(limits),
        "max_bytes": limits["max_bytes"],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("attachments/_list.html")
def attachments_list(items):
    """A read-only list (e.g. on a decision page): items already scoped."""
    return {"items": items}
