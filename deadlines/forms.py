from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.forms import BoundedDateField


class DateInput(forms.DateInput):
    input_type = "date"


class HoldForm(forms.Form):
    """A pause or resumption by hand: from which day, and why (recorded)."""

    on = BoundedDateField(label=_("From"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=200)
