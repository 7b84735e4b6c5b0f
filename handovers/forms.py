from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.forms import BoundedDateField, LongTextField
from bureau.models import Person
from handovers.models import Handover


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format or "%Y-%m-%d")


class ColleagueChoice(forms.ModelChoiceField):
    """An active colleague, named with their section (the applicant excluded)."""

    def __init__(self, *, person=None, **kwargs):
        queryset = Person.objects.active().select_related("section", "unit")
        if person is not None:
            queryset = queryset.exclude(pk=person.pk)
        kwargs.setdefault("label", _("Hand over to"))
        super().__init__(
            queryset=queryset.order_by("unit_id", "section_id", "name"), **kwargs
        )

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.section or obj.unit}）"


class HandoverForm(forms.Form):
    """DOC-6 started by hand: a business trip or another absence."""

    kind = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (Handover.Kind.TRIP, Handover.Kind.TRIP.label),
            (Handover.Kind.OTHER, Handover.Kind.OTHER.label),
        ],
    )
    start_date = BoundedDateField(label=_("From"), widget=DateInput)
    end_date = BoundedDateField(label=_("Until"), widget=DateInput)
    note = LongTextField(
        label=_("Handover note"),
        required=False,
        help_text=_("What the colleague should know about the matters listed below."),
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"] = ColleagueChoice(
            person=person,
            help_text=_("The colleague is told and acknowledges the handover (DOC-6)."),
        )
        self.order_fields(["colleague", "kind", "start_date", "end_date", "note"])

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The handover ends before it starts."))
        return data
