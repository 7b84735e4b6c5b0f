from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from attachments.forms import AttachmentField
from bureau.forms import BoundedDateField, BoundedDateTimeField, LongTextField
from bureau.params import SHORT_TEXT
from vehicles.models import Driver, Inspection, Misuse, Shop, Trip, Vehicle

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


class FaultForm(forms.Form):
    """VEH-8: a fault; VEH-9: or a repair already made on the road."""

    vehicle = forms.ModelChoiceField(
        label=_("Vehicle"), queryset=Vehicle.objects.none()
    )
    fault = forms.CharField(label=_("Fault"), max_length=SHORT_TEXT)
    on_road = forms.BooleanField(
        label=_("Already repaired on the road"),
        required=False,
        help_text=_(
            "VEH-9: only when it could not wait; give the reason and a witness."
        ),
    )
    road_reason = forms.CharField(
        label=_("Why on the road"), max_length=SHORT_TEXT, required=False
    )
    witness = forms.CharField(label=_("Witness"), max_length=100, required=False)
    road_shop = forms.CharField(
        label=_("Repair shop on the road"), max_length=100, required=False
    )
    odometer = forms.IntegerField(
        label=_("Odometer (km)"), min_value=0, max_value=9_999_999, required=False
    )

    def __init__(self, *args, vehicles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if vehicles is not None:
            self.fields["vehicle"].queryset = vehicles


REPAIR_ACTIONS = [
    ("verify", _("Verify the cause")),
    ("done", _("Repaired")),
    ("inspect", _("Parts inspected")),
    ("bill", _("Bill to finance")),
    ("settle", _("Settled")),
]


class RepairActionForm(forms.Form):
    """One step of a repair; the fields the step needs are checked by the
    service."""

    action = forms.ChoiceField(choices=REPAIR_ACTIONS, widget=forms.HiddenInput)
    cause = forms.CharField(
        label=_("Verified cause"), max_length=SHORT_TEXT, required=False
    )
    estimate = forms.DecimalField(
        label=_("Estimate (yuan)"),
        min_value=0,
        max_value=9_999_999,
        decimal_places=2,
        required=False,
    )
    shop = forms.ModelChoiceField(
        label=_("Designated repair shop"),
        queryset=Shop.objects.filter(kind=Shop.Kind.REPAIR, active=True),
        required=False,
    )
    odometer = forms.IntegerField(
        label=_("Odometer (km)"), min_value=0, max_value=9_999_999, required=False
    )
    note = forms.CharField(
        label=_("Replaced parts inspected"), max_length=SHORT_TEXT, required=False
    )
    photo = AttachmentField(label=_("Photo of the replaced parts"), required=False)
    amount = forms.DecimalField(
        label=_("Bill (yuan)"),
        min_value=0,
        max_value=9_999_999,
        decimal_places=2,
        required=False,
    )
    settled_on = BoundedDateField(
        label=_("Settled on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AccidentForm(forms.Form):
    vehicle = forms.ModelChoiceField(
        label=_("Vehicle"), queryset=Vehicle.objects.none()
    )
    driver = forms.ModelChoiceField(
        label=_("Driver"), queryset=Driver.objects.select_related("person")
    )
    occurred_at = BoundedDateTimeField(
        label=_("When"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    place = forms.CharField(label=_("Place"), max_length=100)
    description = LongTextField(label=_("What happened"))
    injuries = forms.BooleanField(label=_("People injured"), required=False)

    def __init__(self, *args, vehicles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if vehicles is not None:
            self.fields["vehicle"].queryset = vehicles


class FineForm(forms.Form):
    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.all())
    driver = forms.ModelChoiceField(
        label=_("Driver"), queryset=Driver.objects.select_related("person")
    )
    occurred_on = BoundedDateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    offence = forms.CharField(label=_("Offence"), max_length=SHORT_TEXT)
    amount = forms.DecimalField(
        label=_("Fine (yuan)"), min_value=0, max_value=9_999_999, decimal_places=2
    )
    points = forms.IntegerField(label=_("Penalty points"), min_value=0, max_value=12)
    driver_at_fault = forms.BooleanField(
        label=_("The driver's fault"), required=False, initial=True
    )


class InspectionForm(forms.Form):
    """VEH-11: an inspection and its finding's measure."""

    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.all())
    inspected_on = BoundedDateField(
        label=_("Inspected on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    condition = forms.BooleanField(label=_("Condition"), required=False)
    parking = forms.BooleanField(label=_("Parking"), required=False)
    trips = forms.BooleanField(label=_("Trips"), required=False)
    repairs = forms.BooleanField(label=_("Repairs"), required=False)
    fuel = forms.BooleanField(label=_("Fuel"), required=False)
    findings = LongTextField(label=_("Findings"))
    measure = forms.ChoiceField(label=_("Measure"), choices=Inspection.Measure.choices)
    driver = forms.ModelChoiceField(
        label=_("Driver concerned"),
        queryset=Driver.objects.select_related("person"),
        required=False,
    )
    amount = forms.DecimalField(
        label=_("Economic measure (yuan)"),
        min_value=0,
        max_value=9_999_999,
        decimal_places=2,
        required=False,
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
