from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.forms import LongTextField


class DispatchForm(forms.Form):
    """The decision on a trip's current step; the dispatcher names the car."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Agree / dispatch")), ("refuse", _("Refuse"))],
    )
    car = forms.CharField(label=_("Car"), max_length=20, required=False)
    comment = LongTextField(label=_("Comment"), required=False, rows=2)
