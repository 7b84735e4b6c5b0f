from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.hooks import meeting_decisions_visible_to
from bureau.forms import BoundedDateField, LongTextField


class DecisionForm(forms.Form):
    comment = LongTextField(label=_("Comment"), required=False)


class RefusalForm(forms.Form):
    comment = LongTextField(label=_("Reason for the refusal"))


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
    decided_on = BoundedDateField(
        label=_("Date of the county decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    comment = LongTextField(label=_("Comment"), required=False, rows=2)


class MeetingDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Meeting decision"),
        choices=[("approve", _("Agreed / approved")), ("refuse", _("Refused"))],
    )
    decision_ref = forms.TypedChoiceField(
        label=_("Decision in the minutes"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("A decision from minutes you may read (the meetings' records)."),
    )
    meeting_decision = forms.CharField(
        label=_("Decision cited"),
        max_length=300,
        required=False,
        help_text=_(
            "The minutes and item, or a link to the decision; empty: the reference "
            "of the decision chosen above."
        ),
    )
    held_on = BoundedDateField(
        label=_("Date of the meeting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: the date of the decision's meeting."),
    )
    comment = LongTextField(label=_("Comment"), required=False, rows=2)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        decisions = meeting_decisions_visible_to(user) if user is not None else None
        if decisions is None:
            del self.fields["decision_ref"]
            return
        self.fields["decision_ref"].choices = [("", "—")] + [
            (d.pk, f"{d.citation} {d.item.title if d.item_id else ''}".strip())
            for d in decisions.select_related("meeting__kind", "item").order_by(
                "-meeting__held_on", "-meeting_id", "number"
            )[:500]
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("decision_ref") and not cleaned.get("meeting_decision"):
            raise forms.ValidationError(
                _("Choose the decision in the minutes, or cite it.")
            )
        return cleaned
