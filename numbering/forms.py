from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.forms import LongTextField


class VoidForm(forms.Form):
    reason = LongTextField(label=_("Reason for voiding"))
