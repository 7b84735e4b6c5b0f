from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RefusalForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason for the refusal"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ExternalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("County decision"),
        choices=[("approve", _("Agreed / approved")), ("refuse", _("Refused"))],
    )
    reference = forms.CharField(
        label=_("Document reference"),
        max_length=100,
        help_text=_("The reference of the county's document, e.g. 示委办〔2026〕8号."),
    )
    decided_on = forms.DateField(
        label=_("Date of the county decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeetingDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Meeting decision"),
        choices=[("approve", _("Agreed / approved")), ("refuse", _("Refused"))],
    )
    meeting_decision = forms.CharField(
        label=_("Decision cited"),
        max_length=300,
        help_text=_("The minutes and item, or a link to the decision."),
    )
    held_on = forms.DateField(
        label=_("Date of the meeting"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
