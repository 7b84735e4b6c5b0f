from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.forms import BoundedDateField, BoundedDateTimeField, LongTextField
from bureau.params import SHORT_TEXT
from vehicles.models import Driver, Misuse, Shop, Trip, Vehicle

DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class RequestForm(forms.Form):
    """Ask for a car (VEH-1..4)."""

    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=Trip.Purpose.choices,
        help_text=_(
            "VEH-3: ordinary countryside work gets no dedicated car; its travel "
            "costs are reimbursed."
        ),
    )
    destination = forms.CharField(label=_("Destination"), max_length=100)
    passengers = forms.IntegerField(label=_("Passengers"), min_value=1, max_value=60)
    passenger_names = forms.CharField(
        label=_("Who travels"), max_length=SHORT_TEXT, required=False
    )
    starts_at = BoundedDateTimeField(
        label=_("From"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    ends_at = BoundedDateTimeField(
        label=_("Until"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    borrower = forms.CharField(
        label=_("Borrowing organisation"),
        max_length=100,
        required=False,
        help_text=_(
            "VEH-4: only when the car is lent; a bureau leader approves first."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=SHORT_TEXT, required=False)


class DispatchForm(forms.Form):
    vehicle = forms.ModelChoiceField(
        label=_("Vehicle"), queryset=Vehicle.objects.filter(active=True)
    )
    driver = forms.ModelChoiceField(
        label=_("Driver"),
        queryset=Driver.objects.filter(active=True).select_related("person"),
    )


class BumpForm(forms.Form):
    """VEH-2: the dispatched trip of lower priority that gives its car."""

    bumped = forms.ModelChoiceField(
        label=_("Trip that gives way"),
        queryset=Trip.objects.filter(status=Trip.Status.DISPATCHED),
    )
    reason = forms.CharField(label=_("Reason"), max_length=SHORT_TEXT)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=SHORT_TEXT)


class DepartForm(forms.Form):
    odometer = forms.IntegerField(
        label=_("Odometer at departure (km)"), min_value=0, max_value=9_999_999
    )
    check_before = forms.CharField(
        label=_("Check before the trip"),
        max_length=SHORT_TEXT,
        initial=_("Tyres, oil, water, lights, brakes checked"),
    )


class ReturnForm(forms.Form):
    odometer = forms.IntegerField(
        label=_("Odometer on return (km)"), min_value=0, max_value=9_999_999
    )
    maintenance_after = forms.CharField(
        label=_("Maintenance after the trip"),
        max_length=SHORT_TEXT,
        initial=_("Cleaned, parked in the bureau's yard"),
    )
    other_cost = forms.DecimalField(
        label=_("Tolls and parking (yuan)"),
        min_value=0,
        max_value=9_999_999,
        decimal_places=2,
        required=False,
    )


class MisuseForm(forms.Form):
    """VEH-5: what the dispatcher found, recorded against the driver."""

    kind = forms.ChoiceField(label=_("What was found"), choices=Misuse.Kind.choices)
    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.all())
    driver = forms.ModelChoiceField(
        label=_("Driver"), queryset=Driver.objects.select_related("person")
    )
    occurred_on = BoundedDateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    km = forms.IntegerField(
        label=_("Distance (km)"), min_value=0, max_value=100_000, required=False
    )
    evidence = LongTextField(label=_("Evidence"))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class FuelForm(forms.Form):
    """VEH-10: a fuel purchase."""

    vehicle = forms.ModelChoiceField(
        label=_("Vehicle"), queryset=Vehicle.objects.none()
    )
    bought_at = BoundedDateTimeField(
        label=_("Bought at"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    litres = forms.DecimalField(
        label=_("Litres"), min_value=Decimal("0.01"), max_value=9999, decimal_places=2
    )
    price = forms.DecimalField(
        label=_("Price per litre (yuan)"),
        min_value=Decimal("0.01"),
        max_value=999,
        decimal_places=2,
    )
    station = forms.ModelChoiceField(
        label=_("Station"),
        queryset=Shop.objects.filter(kind=Shop.Kind.FUEL, active=True),
    )
    card_no = forms.CharField(label=_("Fuel card"), max_length=30, required=False)
    odometer = forms.IntegerField(
        label=_("Odometer (km)"), min_value=0, max_value=9_999_999
    )
    full = forms.BooleanField(label=_("Filled up"), required=False, initial=True)
    missed_before = forms.BooleanField(
        label=_("A fill before this one was not logged"), required=False
    )

    def __init__(self, *args, vehicles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if vehicles is not None:
            self.fields["vehicle"].queryset = vehicles
