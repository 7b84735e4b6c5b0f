"""The subject's attachments beside an approval on the deciders' pages (approvals
admin change view and inbox): registered with approvals.hooks.register_subject_panel."""

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string

from attachments.selectors import attachments_for_records


def approval_attachments(request, approvals) -> dict[int, str]:
    pairs = {}
    for approval in approvals:
        model = ContentType.objects.get_for_id(approval.content_type_id).model_class()
        if model is not None:
            pairs[approval.pk] = (model, approval.object_id)
    found = attachments_for_records(request.user, pairs.values())
    panels = {}
    for approval in approvals:
        if approval.pk not in pairs:
            continue
        items = found.get((approval.content_type_id, approval.object_id))
        if items:
            # No request: the shell's context processors would query per panel.
            panels[approval.pk] = render_to_string(
                "attachments/_approval_panel.html", {"items": items}
            )
    return panels
