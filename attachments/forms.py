"""A file field any chapter's form can use, and the upload form of the shared panel.

    from attachments.forms import AttachmentField

    class ClaimForm(forms.Form):
        invoice = AttachmentField(label=_("Invoice"))

The field refuses, next to itself and in the bureau's language, what
attachments.services.attachment_add would refuse (name, size, type by extension and
content, by the policy in force); the view then calls attachment_add with the
cleaned file inside the transaction that saves the record.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from attachments import rules
from attachments.services import AttachmentError, attachment_check, limits_in_force


class AttachmentWidget(forms.ClearableFileInput):
    """A file input that offers the allowed extensions (a hint to the browser's
    file picker; the server checks the content anyway)."""

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        attrs.setdefault(
            "accept",
            ",".join(
                f".{ext}"
                for ext in rules.allowed_extensions(limits_in_force()["types"])
            ),
        )
        return super().get_context(name, value, attrs)


class AttachmentField(forms.FileField):
    widget = AttachmentWidget
    default_error_messages = {
        "required": _("Choose a file to attach."),
        "empty": _("The file is empty: nothing was saved."),
        "invalid": _("No file was sent: choose the file again."),
    }

    def __init__(self, **kwargs):
        # The display name is cleaned and shortened by the rules, not refused here.
        kwargs.setdefault("allow_empty_file", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file:
            try:
                attachment_check(file)
            except AttachmentError as exc:
                raise forms.ValidationError(str(exc), code="refused") from None
        return file


class UploadForm(forms.Form):
    file = AttachmentField(label=_("File"))
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, choices=())

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        purposes = list(owner.purposes) if owner else []
        if purposes:
            self.fields["purpose"].choices = purposes
            self.fields["purpose"].required = True
        else:
            del self.fields["purpose"]
