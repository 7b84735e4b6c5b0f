from django import forms
from django.utils.translation import gettext_lazy as _

from attachments.forms import AttachmentField
from bureau.forms import LongTextField
from bureau.params import SHORT_TEXT
from documents.models import DocumentType, OutgoingDocument, Secrecy, Urgency


class OutgoingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Issued as"),
        choices=OutgoingDocument.Level.choices,
        help_text=_(
            "In the bureau's name: checked by the deputy in charge, signed off by the "
            "director, numbered by the comprehensive section. Section-level: signed "
            "off by the deputy in charge. For the county: through the director to "
            "the county's signatories (DOC-1)."
        ),
    )
    doc_type = forms.ModelChoiceField(
        label=_("Type of document"), queryset=DocumentType.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=SHORT_TEXT)
    main_recipients = forms.CharField(label=_("Main recipients"), max_length=SHORT_TEXT)
    copy_to = forms.CharField(label=_("Copy to"), max_length=SHORT_TEXT, required=False)
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=Urgency.choices, coerce=int
    )
    secrecy = forms.TypedChoiceField(
        label=_("Secrecy"), choices=Secrecy.choices, coerce=int
    )
    upload = AttachmentField(
        label=_("Draft file"),
        required=False,
        help_text=_("A new file is a new version: every earlier version is kept."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].queryset = DocumentType.objects.filter(is_active=True)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Agree / sign off")),
            ("return", _("Return to the drafter")),
        ],
    )
    comment = LongTextField(label=_("Comment"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("comment"):
            self.add_error("comment", _("Say why the draft is returned."))
        return cleaned


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm"), required=True)
