from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bureau.forms import BoundedDateField, LongTextField
from bureau.params import EVIDENCE_TEXT
from bureau.rulebook import plain_label
from discipline import registry
from discipline.models import Grade


class DateInput(forms.DateInput):
    input_type = "date"


class ViolationForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None, label=_("Person"))
    kind = forms.ChoiceField(label=_("Kind"))
    occurred_on = BoundedDateField(label=_("Occurred on"), widget=DateInput)
    evidence = LongTextField(label=_("Evidence"), max_length=EVIDENCE_TEXT)
    meeting_decision = forms.ModelChoiceField(
        # DIS-5 stays in the help text, not in the label.
        label=plain_label(_("Bureau affairs meeting decision (DIS-5)")),
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": _(
                "The meeting decision cited does not exist or is not yours to see: "
                "cite a decision from minutes you may read."
            )
        },
        help_text=format_lazy(
            "{} (DIS-5)", _("The decision of the minutes that decided the warning.")
        ),
    )
    days = forms.DecimalField(
        label=_("Days of absence"),
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=1,
    )
    needs_decision = forms.BooleanField(
        label=_("From a complaint: awaits the decision (upheld or dismissed)"),
        required=False,
    )

    def __init__(self, *args, people, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people.select_related("section", "unit")
        self.fields["meeting_decision"].queryset = decisions
        self.fields["meeting_decision"].label_from_instance = lambda d: (
            f"{d.citation} {d.item.title}"
        )
        self.fields["kind"].choices = [
            (k.code, registry.label_of(k.code)) for k in registry.all_kinds()
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("upheld", _("Uphold")), ("dismissed", _("Dismiss"))]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class ApologyForm(forms.Form):
    made_on = BoundedDateField(label=_("Apology made on"), widget=DateInput)
    note = forms.CharField(label=_("Apology"), max_length=300)


class OutcomeDecisionForm(forms.Form):
    decision = forms.CharField(label=_("Decision"), max_length=300)


class OutcomeRevisionForm(forms.Form):
    decision = forms.CharField(label=_("Decision"), max_length=300, required=False)
    withdraw = forms.BooleanField(label=_("Withdraw"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class AppraisalForm(forms.Form):
    grade = forms.ChoiceField(label=_("Final grade"), choices=Grade.choices)
    note = LongTextField(label=_("Committee note"), required=False, rows=2)

    def __init__(self, *args, scale=None, **kwargs):
        super().__init__(*args, **kwargs)
        if scale:
            self.fields["grade"].choices = [(k, v) for k, v in scale.items()]


class WindowAppraisalForm(forms.Form):
    """DIS-7: the composite appraisal inputs of a township window worker."""

    window = forms.CharField(
        label=_("Service window"), max_length=100, help_text=_("Township and window.")
    )
    duties = LongTextField(label=_("Role duties and yearly work"), required=False)
    attendance_note = LongTextField(label=_("Attendance"), required=False, rows=2)
    self_report = LongTextField(
        label=_("Self-report"), max_length=EVIDENCE_TEXT, rows=4
    )
    self_score = forms.DecimalField(
        label=_("Self-assessment score"),
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
    )
    democratic_score = forms.DecimalField(
        label=_("Democratic rating"),
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
    )
    peer_score = forms.DecimalField(
        label=_("Peer rating"),
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
    )
