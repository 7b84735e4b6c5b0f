from django import forms
from django.utils.translation import gettext_lazy as _

from attachments.forms import AttachmentField
from bureau.forms import BoundedDateField, LongTextField
from bureau.models import Person
from bureau.models.org import LEADER_POSITIONS
from meetings.models import Meeting, MeetingKind


class DateInput(forms.DateInput):
    input_type = "date"


def _kinds():
    return MeetingKind.objects.filter(is_active=True)


def _leaders():
    return Person.objects.filter(
        is_active=True, position__in=sorted(LEADER_POSITIONS)
    ).order_by("position", "employee_no")


class ItemForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("For the meeting"), queryset=MeetingKind.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = LongTextField(label=_("What is asked"), required=False)
    materials = AttachmentField(
        label=_("Materials"),
        help_text=_(
            "One file now; more can be added on the item's page while it is with "
            "the deputy in charge."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = _kinds()


class MeetingForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("Kind of meeting"), queryset=MeetingKind.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    planned_on = BoundedDateField(label=_("Date"), widget=DateInput)
    part = forms.ChoiceField(label=_("Time of day"), choices=Meeting.Part.choices)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=Person.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = _kinds()
        self.fields["chair"].queryset = _leaders()


class AgendaForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=_("Items on the agenda"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = candidates


class RecordForm(forms.Form):
    """A held meeting: date, chair, who attended, and per item the decision."""

    held_on = BoundedDateField(label=_("Held on"), widget=DateInput)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=Person.objects.none())
    attended = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Those expected and not present are recorded as excused when a leave "
            "is approved for the day, otherwise as absent."
        ),
    )
    notes = LongTextField(label=_("Proceedings"), required=False, rows=4)

    def __init__(self, *args, agenda=(), people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = _leaders()
        self.fields["attended"].queryset = (
            people
            if people is not None
            else Person.objects.filter(is_active=True).select_related("section", "unit")
        )
        self.agenda = list(agenda)
        for item in self.agenda:
            self.fields[f"decision_{item.pk}"] = LongTextField(
                label=_("Decision on “%(title)s”") % {"title": item.title},
                required=False,
                help_text=_("Leave empty to take the item to a later meeting."),
            )

    def main_fields(self):
        return [field for field in self if not field.name.startswith("decision_")]

    def decision_fields(self):
        return [self[f"decision_{item.pk}"] for item in self.agenda]

    def decisions(self) -> dict:
        return {
            item.pk: self.cleaned_data.get(f"decision_{item.pk}", "")
            for item in self.agenda
        }


class ReasonForm(forms.Form):
    """The reason recorded with a withdrawal or a cancellation."""

    reason = forms.CharField(label=_("Reason"), max_length=200)
