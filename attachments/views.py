"""The only way to a file: download asks the record's chapter whether the user sees
the record; upload and remove go through the services. A record or attachment out of
the user's scope is 404, as on every chapter's pages."""

import logging

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attachments import selectors, services
from attachments.forms import UploadForm
from attachments.registry import owner_for
from attachments.storage import storage
from bureau.params import next_param, text_param

logger = logging.getLogger(__name__)


@require_GET
def download(request, pk):
    attachment = selectors.attachment_for_download(request.user, pk)
    if attachment is None:
        raise Http404
    try:
        handle = storage().open(attachment.stored_as, "rb")
    except FileNotFoundError:
        logger.error("attachment %s: file %s is missing", pk, attachment.stored_as)
        raise Http404 from None
    model = attachment.content_type.model_class()
    owner = owner_for(model) if model is not None else None
    if owner is not None and owner.on_download is not None:
        owner.on_download(request, attachment)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name,
        # The type judged when the file was stored, never what the upload claimed.
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _record_or_404(request, label, object_id):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    owner = owner_for(model)
    if owner is None:
        if not request.user.is_superuser:
            raise Http404
        queryset = model._default_manager.all()
    else:
        queryset = owner.visible_to(request.user)
    obj = queryset.filter(pk=object_id).first()
    if obj is None:
        raise Http404
    return owner, obj


def _back(request, obj):
    target = next_param(request)
    if target:
        return HttpResponseRedirect(target)
    url = getattr(obj, "get_absolute_url", None)
    return HttpResponseRedirect(url() if url else "/")


@require_POST
def upload(request, label, object_id):
    owner, obj = _record_or_404(request, label, object_id)
    if not selectors.may_attach(request.user, obj, seen=True):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES, owner=owner)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, obj)
    try:
        attachment = services.attachment_add(
            by=request.user,
            obj=obj,
            file=form.cleaned_data["file"],
            purpose=form.cleaned_data.get("purpose", ""),
        )
    except services.AttachmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Attached: %(name)s.") % {"name": attachment.name})
    return _back(request, obj)


@require_POST
def remove(request, pk):
    attachment = selectors.attachment_for_download(request.user, pk)
    if attachment is None:
        raise Http404
    obj = attachment.owner
    try:
        services.attachment_remove(
            attachment=attachment,
            by=request.user,
            reason=text_param(request.POST, "reason", max_length=200),
        )
    except services.AttachmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Removed: %(name)s (kept for audit).") % {"name": attachment.name},
        )
    return _back(request, obj)
