from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.forms import BoundedDateTimeField, LongTextField
from bureau.workdays import TZ

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LocalDateTimeField(BoundedDateTimeField):
    """A datetime-local input read in Asia/Shanghai, within the date bounds."""

    widget = DT

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
        super().__init__(**kwargs)

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None:
            result = result.astimezone(TZ)
        return result


class GoingOutForm(forms.Form):
    destination = forms.CharField(label=_("Destination"), max_length=100)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    leaves_at = LocalDateTimeField(label=_("Leaves at"))
    expected_return = LocalDateTimeField(label=_("Expected return"))


class AwayForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None)
    left_at = LocalDateTimeField(label=_("Left at"))
    returned_at = LocalDateTimeField(label=_("Returned at"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class CorrectionForm(forms.Form):
    signed_in_at = LocalDateTimeField(label=_("Signed in at"), required=False)
    signed_out_at = LocalDateTimeField(label=_("Signed out at"), required=False)
    reason = LongTextField(label=_("Reason for the correction"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class StudyLeaveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class StudyNotesForm(forms.Form):
    notes = LongTextField(label=_("Notes / minutes"), rows=5, required=False)
    discussion = LongTextField(label=_("Discussion record"), rows=4, required=False)
