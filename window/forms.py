from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.forms import BoundedDateField, LongTextField
from bureau.models import Person
from bureau.params import SHORT_TEXT, validate_clean_text
from window import selectors
from window.models import Appointment, Contact, Handover, Material, Matter


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
