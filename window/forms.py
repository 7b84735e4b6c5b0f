from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.forms import BoundedDateField, LongTextField
from bureau.models import Person
from bureau.params import SHORT_TEXT, validate_clean_text
from discipline import registry
from window import rules, selectors
from window.models import (
    Appointment,
    Commitment,
    Complaint,
    Contact,
    Handover,
    Material,
    Matter,
    Window,
)


class _Text(forms.CharField):
    default_validators = [validate_clean_text]


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        where = obj.section or obj.unit
        return f"{obj.name}（{where}）"


class ContactForm(forms.Form):
    """SVC-1: one visitor or call and its outcome. The materials offered are those
    of the catalogue version in force for the service chosen (SVC-2)."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=Contact.Channel.choices, initial="visit"
    )
    visitor = _Text(label=_("Visitor or caller"), max_length=50)
    phone = _Text(label=_("Phone"), max_length=30, required=False)
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=selectors.services_offered(), required=False
    )
    matter = forms.ModelChoiceField(
        label=_("Returning with the matter"),
        queryset=Matter.objects.none(),
        required=False,
    )
    summary = _Text(label=_("What was asked"), max_length=SHORT_TEXT)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Contact.Outcome.choices, widget=forms.RadioSelect
    )
    missing = forms.ModelMultipleChoiceField(
        label=_("Materials still missing (tick every one)"),
        queryset=Material.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    handed_to = PersonChoice(
        label=_("Handed to (who receives it)"),
        queryset=Person.objects.filter(is_active=True).select_related(
            "section", "unit"
        ),
        required=False,
    )
    leader = PersonChoice(
        label=_("Leader asked"),
        queryset=selectors.leaders().select_related("section", "unit"),
        required=False,
    )
    note = LongTextField(
        label=_("Explanation or reason of the refusal"), required=False
    )
    basis = _Text(
        label=_("Basis of the refusal"), max_length=SHORT_TEXT, required=False
    )

    def __init__(self, *args, window, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = Matter.objects.filter(
            window=window, status__in=selectors.OPEN
        ).select_related("service")
        if version is not None:
            self.fields["missing"].queryset = version.materials.order_by("order", "pk")

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["missing"] = list(data.get("missing") or [])
        return data


class AnswerForm(forms.Form):
    answer = LongTextField(label=_("Answer"))


class HandoverForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Handover.Reason.choices)
    note = _Text(label=_("Note"), max_length=SHORT_TEXT, required=False)


class AppointmentForm(forms.Form):
    day = BoundedDateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    part = forms.ChoiceField(label=_("Half day"), choices=Appointment.Part.choices)


class AppointmentCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What became of it"),
        choices=[
            (Appointment.Status.KEPT, _("Kept: handled")),
            (Appointment.Status.MISSED_BY_VISITOR, _("The visitor did not come")),
            (Appointment.Status.MISSED_BY_BUREAU, _("Missed by the bureau")),
        ],
    )
    note = _Text(label=_("Note"), max_length=SHORT_TEXT, required=False)


class PublicComplaintForm(forms.Form):
    """SVC-5: a citizen's complaint against a commitment or a person."""

    complainant = _Text(label=_("Your name"), max_length=50)
    contact = _Text(label=_("Phone or address (for the result)"), max_length=100)
    commitment = forms.ModelChoiceField(
        label=_("The commitment not kept"),
        queryset=Commitment.objects.none(),
        required=False,
    )
    window = forms.ModelChoiceField(
        label=_("Window"),
        queryset=Window.objects.filter(is_active=True),
        required=False,
    )
    person_named = _Text(
        label=_("Person complained about (if known)"), max_length=50, required=False
    )
    text = LongTextField(label=_("What happened"))

    def __init__(self, *args, on, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = selectors.published_commitments(on)


class StaffComplaintForm(PublicComplaintForm):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (Complaint.Channel.PHONE, _("Phone call")),
            (Complaint.Channel.VISIT, _("Visit")),
        ],
    )
    appointment = forms.ModelChoiceField(
        label=_("Appointment missed by the bureau"),
        queryset=selectors.missed_appointments(),
        required=False,
    )


def _kind_choices():
    return [
        (code, f"{registry.get_kind(code).label}（{registry.get_kind(code).rule}）")
        for code in rules.COMPLAINT_KINDS
    ]


class ComplaintDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Finding"),
        choices=[("1", _("Upheld")), ("0", _("Not upheld"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    person = PersonChoice(
        label=_("Person responsible"),
        queryset=Person.objects.filter(is_active=True).select_related(
            "section", "unit"
        ),
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Violation kind"), choices=_kind_choices, required=False
    )
    occurred_on = BoundedDateField(
        label=_("Occurred on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    finding = LongTextField(label=_("Finding of the investigation"))


class ComplaintReplyForm(forms.Form):
    reply = LongTextField(label=_("Result told to the complainant"))


class LookupForm(forms.Form):
    code = _Text(label=_("Query code"), max_length=12)
