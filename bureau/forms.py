"""Form fields every chapter uses for what people type: dates within the bureau's
date bounds (policy `bureau.date_bounds`) and text of a bounded length."""

from django import forms

from bureau.params import (
    LONG_TEXT,
    validate_clean_text,
    validate_date_in_bounds,
)


class BoundedDateField(forms.DateField):
    """A date within the date bounds (no violation dated 1900, no leave in 9999)."""

    default_validators = [validate_date_in_bounds]


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time whose local date is within the date bounds."""

    default_validators = [validate_date_in_bounds]


class LongTextField(forms.CharField):
    """A multi-line text (a reason, evidence, a note) of at most `max_length`
    characters, without control characters other than tab and line breaks."""

    default_validators = [validate_clean_text]

    def __init__(self, *, max_length=LONG_TEXT, rows=3, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, **kwargs)
