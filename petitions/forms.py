"""The petition pages' forms. Every choice is one of the named values (anything
else is a 400 that changes nothing); texts are bounded; dates within the bureau's
date bounds."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from attachments.forms import AttachmentField
from bureau.forms import BoundedDateField, LongTextField
from bureau.models import Person, Position, Section
from bureau.params import EVIDENCE_TEXT, SHORT_TEXT
from meetings.models import Meeting
from petitions import rules
from petitions.models import (
    Case,
    Category,
    Channel,
    Reply,
    Review,
    Township,
    WorkRecord,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format or "%Y-%m-%d")


def _phone(value):
    if value and not rules.valid_phone(value):
        raise forms.ValidationError(
            _(
                "This is not a phone number (a mobile, or a landline with its area code)."
            )
        )


def _id_number(value):
    if value and not rules.valid_id_number(value):
        raise forms.ValidationError(_("This is not a valid ID card number."))


class PetitionerFields(forms.Form):
    name = forms.CharField(label=_("Petitioner"), max_length=60, required=False)
    id_number = forms.CharField(
        label=_("ID card number"),
        max_length=18,
        required=False,
        validators=[_id_number],
        help_text=_("Optional."),
    )
    phone = forms.CharField(
        label=_("Contact number"),
        max_length=20,
        required=False,
        validators=[_phone],
        help_text=_("Required for visits and calls (PET-4)."),
    )
    address = forms.CharField(label=_("Address"), max_length=SHORT_TEXT, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class RegisterForm(PetitionerFields):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_on = BoundedDateField(label=_("Received on"), widget=DateInput)
    anonymous = forms.BooleanField(
        label=_("Anonymous letter"), required=False, help_text=_("Letters only.")
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.filter(is_active=True),
        required=False,
        help_text=_("The township the matter concerns (empty: county level)."),
    )
    summary = LongTextField(
        label=_("Matter"),
        help_text=_("What the petition asks, without naming the petitioner (PET-7)."),
    )
    report = LongTextField(
        label=_("The report in full (confidential)"),
        max_length=EVIDENCE_TEXT,
        required=False,
        rows=5,
    )
    subject = forms.ModelChoiceField(
        label=_("Member of staff the petition is about"),
        queryset=Person.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_("They will never see the case (PET-7)."),
    )
    higher_organ = forms.CharField(
        label=_("Assigned by a higher level"),
        max_length=100,
        required=False,
        help_text=_("Empty for our own cases."),
    )
    higher_due = BoundedDateField(
        label=_("Higher level's due date"), widget=DateInput, required=False
    )
    report_due = BoundedDateField(
        label=_("Closing report due"), widget=DateInput, required=False
    )
    scan = AttachmentField(label=_("Scan of the letter"), required=False)

    field_order = [
        "channel",
        "received_on",
        "anonymous",
        "name",
        "id_number",
        "phone",
        "address",
        "email",
        "category",
        "township",
        "summary",
        "report",
        "subject",
        "higher_organ",
        "higher_due",
        "report_due",
        "scan",
    ]


class RouteForm(forms.Form):
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Section.objects.order_by("order", "pk"),
        required=False,
    )
    handler = forms.ModelChoiceField(
        label=_("Handler"),
        queryset=Person.objects.filter(is_active=True, section__isnull=False).order_by(
            "section__order", "name"
        ),
        required=False,
        help_text=_("Empty: the section head decides who handles it."),
    )
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.filter(is_active=True),
        required=False,
    )
    note = forms.CharField(
        label=_("Reason for routing again"), max_length=SHORT_TEXT, required=False
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("section")) == bool(data.get("township")):
            raise forms.ValidationError(
                _("Route the case to a section or to a township.")
            )
        return data


class ObjectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the objection"), max_length=SHORT_TEXT)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Case.Decision.choices)
    text = LongTextField(
        label=_("Written decision"), help_text=_("For a refusal, give its reason.")
    )
    on = BoundedDateField(label=_("Decided on"), widget=DateInput)


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Case.Outcome.choices)
    text = LongTextField(label=_("Reply to the petitioner"), rows=8)
    on = BoundedDateField(label=_("Concluded on"), widget=DateInput)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=365)
    reason = LongTextField(label=_("Why the matter needs more time"))


class DeliverForm(forms.Form):
    method = forms.ChoiceField(label=_("Delivered"), choices=Reply.Method.choices)
    delivered_on = BoundedDateField(label=_("Delivered on"), widget=DateInput)
    note = forms.CharField(
        label=_("Delivery record"),
        max_length=SHORT_TEXT,
        required=False,
        help_text=_("Registered-mail number, who signed for it, or what was said."),
    )


class ReviewForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Review.Level.choices)
    organ = forms.CharField(label=_("Organ"), max_length=100)
    requested_on = BoundedDateField(label=_("Requested on"), widget=DateInput)


class ReviewOutcomeForm(forms.Form):
    outcome = LongTextField(label=_("Outcome"))
    on = BoundedDateField(label=_("Outcome received on"), widget=DateInput)


class CloseForm(forms.Form):
    confirm = forms.BooleanField(label=_("Close the case"), required=True)


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Merge into case"), min_value=1)


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owning leader"),
        queryset=Person.objects.filter(
            is_active=True, position__in=[Position.DIRECTOR, Position.DEPUTY]
        ),
        required=False,
    )
    major = forms.BooleanField(label=_("Major case"), required=False)


class StatementForm(forms.Form):
    witness = forms.CharField(label=_("Witness"), max_length=60)
    text = LongTextField(
        label=pgettext_lazy("witness statement", "Statement"),
        max_length=EVIDENCE_TEXT,
        rows=5,
    )
    taken_on = BoundedDateField(label=_("Taken on"), widget=DateInput)


class ReportForm(forms.Form):
    on = BoundedDateField(label=_("Closing report sent on"), widget=DateInput)


class OnlineForm(PetitionerFields):
    """The public form: what a citizen gives (name and phone required)."""

    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.filter(is_active=True),
        required=False,
    )
    summary = LongTextField(label=_("Your petition"), rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["phone"].required = True
        self.fields["phone"].help_text = ""


class QueryForm(forms.Form):
    code = forms.CharField(label=_("Query code"), max_length=40)


class SummaryForm(forms.Form):
    summary = LongTextField(
        label=_("Matter"),
        help_text=_("What the petition asks, without naming the petitioner (PET-7)."),
    )


class RotaPlanForm(forms.Form):
    start = BoundedDateField(label=_("From"), widget=DateInput)
    end = BoundedDateField(label=_("Until"), widget=DateInput)


class RotaSwapForm(forms.Form):
    leader = forms.ModelChoiceField(
        label=_("Receiving leader"),
        queryset=Person.objects.filter(
            is_active=True, position__in=[Position.DIRECTOR, Position.DEPUTY]
        ),
    )
    reason = forms.CharField(label=_("Reason for the swap"), max_length=SHORT_TEXT)


class ReceptionForm(forms.Form):
    visitor = forms.CharField(label=_("Who came"), max_length=60)
    phone = forms.CharField(
        label=_("Contact number"), max_length=20, required=False, validators=[_phone]
    )
    matter = LongTextField(label=_("What about"))
    promised = LongTextField(label=_("What was promised"), required=False)
    category = forms.ModelChoiceField(
        label=_("Open a case in category"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        help_text=_("Empty: recorded without opening a case."),
    )
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.filter(is_active=True),
        required=False,
    )


class WorkRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=WorkRecord.Kind.choices)
    held_on = BoundedDateField(label=_("Held on"), widget=DateInput)
    title = forms.CharField(label=_("Title"), max_length=SHORT_TEXT)
    notes = LongTextField(label=_("Notes"), required=False)
    meeting = forms.ModelChoiceField(
        label=_("Meeting held (meetings)"),
        queryset=Meeting.objects.filter(status=Meeting.Status.HELD).order_by(
            "-held_on"
        ),
        required=False,
    )
