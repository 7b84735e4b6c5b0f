from django import forms
from django.utils.translation import gettext_lazy as _

from attachments.forms import AttachmentField
from bureau.forms import BoundedDateField, LongTextField
from bureau.models import Person, Section
from bureau.params import SHORT_TEXT
from documents.models import (
    DocumentType,
    Instruction,
    OutgoingDocument,
    PrintJob,
    Secrecy,
    SupervisionTask,
    Urgency,
)


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
        label=_("Your decision"),
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


class DateInput(forms.DateInput):
    input_type = "date"


def _people():
    return Person.objects.filter(is_active=True).select_related("section", "unit")


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.section or obj.unit}）"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.section or obj.unit}）"


class IncomingForm(forms.Form):
    sender = forms.CharField(label=_("Sender"), max_length=SHORT_TEXT)
    their_number = forms.CharField(
        label=_("Their number"), max_length=60, required=False
    )
    dated = BoundedDateField(label=_("Dated"), widget=DateInput, required=False)
    received_on = BoundedDateField(label=_("Received on"), widget=DateInput)
    title = forms.CharField(label=_("Title"), max_length=SHORT_TEXT)
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=Urgency.choices, coerce=int
    )
    secrecy = forms.TypedChoiceField(
        label=_("Secrecy"),
        choices=Secrecy.choices,
        coerce=int,
        help_text=_(
            "A secret document is seen only by those it is sent to and the clerk; "
            "every view is logged (DOC-2)."
        ),
    )
    return_required = forms.BooleanField(label=_("To be returned"), required=False)
    upload = AttachmentField(label=_("Scan"), required=False)


class ProposeForm(forms.Form):
    proposal = LongTextField(label=_("Proposed handling (拟办)"))


class SendForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Send"),
        choices=[
            ("instruct", _("To leaders for instructions (阅批)")),
            ("read", _("Round to read (传阅)")),
        ],
    )
    people = PersonChoices(label=_("Send to"), queryset=Person.objects.none())
    note = forms.CharField(
        label=_("Purpose note"), max_length=SHORT_TEXT, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = _people()


class InstructForm(forms.Form):
    text = LongTextField(label=_("Instruction"))
    handlers = PersonChoices(
        label=_("Handlers"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("They are notified at once and get it to handle."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handlers"].queryset = _people()


class HandleForm(forms.Form):
    result = LongTextField(label=_("What was done"))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Leaves the register as"),
        choices=[("filed", _("File it")), ("returned", _("Return to the sender"))],
    )
    confirm = forms.BooleanField(label=_("I confirm"), required=True)


class TaskForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Source"), choices=SupervisionTask.Source.choices
    )
    source_reference = forms.CharField(
        label=_("Source reference"), max_length=SHORT_TEXT, required=False
    )
    instruction = forms.ModelChoiceField(
        label=_("Leader's instruction"),
        queryset=Instruction.objects.none(),
        required=False,
    )
    meeting_decision = forms.ModelChoiceField(
        label=_("Meeting decision"), queryset=None, required=False
    )
    title = forms.CharField(label=_("Task"), max_length=SHORT_TEXT)
    requirements = LongTextField(label=_("Requirements"), required=False)
    section = forms.ModelChoiceField(
        label=_("Assigned to"), queryset=Section.objects.none()
    )
    supervisor = forms.ModelChoiceField(
        label=_("Supervising leader"), queryset=Person.objects.none()
    )
    due_on = BoundedDateField(label=_("Due on"), widget=DateInput)

    def __init__(self, *args, instructions=None, decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instructions is not None:
            self.fields["instruction"].queryset = instructions
        self.fields["meeting_decision"].queryset = decisions
        self.fields["section"].queryset = Section.objects.filter(unit__kind="organ")
        self.fields["supervisor"].queryset = Person.objects.filter(
            is_active=True, position__in=["director", "deputy"]
        )


class NoteForm(forms.Form):
    text = LongTextField(label=_("Progress"))


class ReportForm(forms.Form):
    text = LongTextField(label=_("How it was done"))


class CheckForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Check"),
        choices=[
            ("close", _("Close the task (销号)")),
            ("send_back", _("Send it back")),
        ],
    )
    comment = LongTextField(label=_("Comment"), required=False)


class MonthlyForm(forms.Form):
    summary = LongTextField(label=_("This month's work"))
    plan = LongTextField(label=_("Next month's plan"))


class LoanForm(forms.Form):
    entry = forms.ModelChoiceField(label=_("Archived file"), queryset=None)
    borrower = forms.ModelChoiceField(
        label=_("Borrower"), queryset=Person.objects.none()
    )
    purpose = forms.CharField(label=_("Purpose of the loan"), max_length=SHORT_TEXT)
    lent_on = BoundedDateField(label=_("Lent on"), widget=DateInput)
    due_on = BoundedDateField(label=_("To return by"), widget=DateInput)

    def __init__(self, *args, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["borrower"].queryset = _people()


class ReturnForm(forms.Form):
    returned_on = BoundedDateField(label=_("Returned on"), widget=DateInput)


class PrintJobForm(forms.Form):
    kind = forms.ChoiceField(label=_("Print or copy"), choices=PrintJob.Kind.choices)
    what = forms.CharField(label=_("What is printed"), max_length=SHORT_TEXT)
    doc_number = forms.CharField(
        label=_("Document number"), max_length=60, required=False
    )
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=10_000)
    secrecy = forms.TypedChoiceField(
        label=_("Secrecy"), choices=Secrecy.choices, coerce=int
    )
    copy_numbers = forms.CharField(
        label=_("Copy numbers"),
        max_length=SHORT_TEXT,
        required=False,
        help_text=_("For a secret document: one number per copy, e.g. 1-20."),
    )
    reason = forms.CharField(
        label=_("Work reason"),
        max_length=SHORT_TEXT,
        help_text=_("Required: no private printing (DOC-4)."),
    )
    requested_by = PersonChoice(
        label=_("Asked by"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("The print room logs for whoever asked; empty: yourself."),
    )
    done_on = BoundedDateField(label=_("Day of the job"), widget=DateInput)

    def __init__(self, *args, clerk=False, **kwargs):
        super().__init__(*args, **kwargs)
        if clerk:
            self.fields["requested_by"].queryset = _people()
        else:
            del self.fields["requested_by"]
