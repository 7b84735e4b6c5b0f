from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attachments.forms import AttachmentField
from bureau.forms import BoundedDateField, LongTextField
from handovers.forms import ColleagueChoice
from leave.models import Half, LeaveType


class DateInput(forms.DateInput):
    """An HTML date picker: it only accepts ISO dates as its value (a localised
    "2026/11/26" would leave the field empty in the browser)."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format or "%Y-%m-%d")


class LeaveForm(forms.Form):
    leave_type = forms.ChoiceField(label=_("Leave type"), choices=LeaveType.choices)
    start_date = BoundedDateField(label=_("From"), widget=DateInput)
    start_half = forms.ChoiceField(
        label=_("From (half)"),
        choices=[(Half.AM, _("morning")), (Half.PM, _("afternoon"))],
        initial=Half.AM,
    )
    end_date = BoundedDateField(label=_("Until"), widget=DateInput)
    end_half = forms.ChoiceField(
        label=_("Until (half)"),
        choices=[(Half.AM, _("noon (morning only)")), (Half.PM, _("end of day"))],
        initial=Half.PM,
    )
    reason = LongTextField(label=_("Reason"))
    handover_note = LongTextField(
        label=_("Handover"),
        help_text=_(
            "Matters in progress and who takes them over while you are away (DOC-6)."
        ),
    )
    handover_to = ColleagueChoice(
        label=_("Hand over to"),
        required=False,
        help_text=_(
            "The colleague who takes over your matters in progress: they are told "
            "and acknowledge the handover (DOC-6)."
        ),
    )
    leader_consent = forms.CharField(
        label=_("Leader's consent (only for leave asked afterwards)"),
        help_text=_(
            "LV-8: who agreed beforehand and when, e.g. 张股长 3月2日电话同意."
        ),
        required=False,
        max_length=200,
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None:
            field = self.fields["handover_to"]
            field.queryset = field.queryset.exclude(pk=person.pk)


class ReturnForm(forms.Form):
    back_date = BoundedDateField(label=_("Back at work on"), widget=DateInput)
    back_half = forms.ChoiceField(
        label=_("From the"),
        choices=[(Half.AM, _("morning")), (Half.PM, _("afternoon"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        self.fields["back_date"].initial = now.date()
        self.fields["back_half"].initial = Half.AM if now.hour < 12 else Half.PM


class LeaveAttachmentForm(forms.Form):
    """On the preview: a file sent with the request (e.g. a sick note)."""

    attachment = AttachmentField(
        label=_("Attach a file (optional)"),
        help_text=_("For example the doctor's note for sick leave."),
        required=False,
    )
