from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.forms import BoundedDateField, LongTextField
from bureau.models import Person, Unit
from finance.models import Claim, ClaimLine, CustodyEntry, Reception, Spending
from finance.rules import MONEY_MAX


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format or "%Y-%m-%d")


def _people():
    return Person.objects.active().order_by("name")


def money_field(label, **kwargs):
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MONEY_MAX,
        **kwargs,
    )


class ClaimForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    payee = forms.CharField(label=_("Payee"), max_length=100)
    expense_date = BoundedDateField(label=_("Date of the expense"), widget=DateInput)
    payment_method = forms.ChoiceField(
        label=_("Paid by"),
        choices=Claim.Payment.choices,
        help_text=_("FIN-3: 1,000 yuan and more by bank transfer or official card."),
    )
    handler = forms.ModelChoiceField(
        label=_("Handler"), queryset=Person.objects.none(), help_text=_("FIN-5")
    )
    witness = forms.ModelChoiceField(
        label=_("Witness"),
        queryset=Person.objects.none(),
        help_text=_("FIN-5: someone other than the claimant."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = _people()
        self.fields["witness"].queryset = _people()


class LineForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=100)
    unit = forms.CharField(label=_("Unit"), max_length=20)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    unit_price = money_field(_("Unit price"))
    # An empty first choice: an untouched extra row stays unchanged (not an error).
    voucher = forms.ChoiceField(
        label=_("Voucher"),
        choices=[("", "—")] + ClaimLine.Voucher.choices,
        help_text=_("FIN-3: 200 yuan and more needs a formal invoice."),
    )
    invoice_code = forms.CharField(
        label=_("Invoice code"), max_length=12, required=False
    )
    invoice_number = forms.CharField(
        label=_("Invoice number"), max_length=20, required=False
    )
    fixed_asset = forms.BooleanField(label=_("Fixed asset"), required=False)


def line_formset(data=None, initial=None, extra=3):
    formset_class = forms.formset_factory(
        LineForm,
        extra=extra,
        min_num=1,
        validate_min=True,
        max_num=50,
        validate_max=True,
    )
    return formset_class(data=data, initial=initial, prefix="lines")


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Agree / approve")), ("refuse", _("Refuse"))],
    )
    comment = LongTextField(label=_("Comment"), required=False, rows=2)


class CheckForm(forms.Form):
    """The finance officer's check of an approved claim (FIN-5)."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("send_back", _("Send back for correction (incomplete)")),
            ("reject", _("Reject as untrue or unlawful, and report to the director")),
        ],
    )
    reason = LongTextField(label=_("Reason (the claimant sees it)"), rows=3)


class SpendingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Spending.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    purpose = LongTextField(label=_("Purpose"), rows=3)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=Spending.Category.choices,
        help_text=_("FIN-2: valuable equipment needs a bureau affairs meeting."),
    )
    amount = money_field(
        _("Amount (yuan)"),
        help_text=_(
            "FIN-6: up to 5,000 the director; above, the bureau affairs meeting; "
            "above 10,000 the county leader in charge."
        ),
    )
    needed_on = BoundedDateField(label=_("Needed on"), widget=DateInput)


class AmountForm(forms.Form):
    amount = money_field(
        _("New amount (yuan)"),
        help_text=_("FIN-6: a new amount restarts the approval."),
    )


class RecordForm(forms.Form):
    """A recorded step: the meeting's decision (cited) or the county's consent."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Agreed")), ("refuse", _("Refused"))],
    )
    meeting_decision = forms.ModelChoiceField(
        label=_("Meeting decision"), queryset=None, required=False
    )
    reference = forms.CharField(
        label=_("County's reference"), max_length=100, required=False
    )
    decided_on = BoundedDateField(
        label=_("Decided on"), widget=DateInput, required=False
    )
    comment = LongTextField(label=_("Comment"), required=False, rows=2)

    def __init__(self, *args, decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_decision"].queryset = decisions


class ReceiveForm(forms.Form):
    place = forms.CharField(label=_("Place"), max_length=100)
    custodian = forms.ModelChoiceField(
        label=_("Custodian"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custodian"].queryset = _people()


class AssetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=Spending.Category.choices)
    value = money_field(_("Value (yuan)"))
    acquired_on = BoundedDateField(label=_("Acquired on"), widget=DateInput)
    custodian = forms.ModelChoiceField(
        label=_("Custodian"), queryset=Person.objects.none()
    )
    place = forms.CharField(label=_("Place"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custodian"].queryset = _people()


class CustodyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Entry"),
        choices=[
            (CustodyEntry.Kind.ISSUE, CustodyEntry.Kind.ISSUE.label),
            (CustodyEntry.Kind.TRANSFER, CustodyEntry.Kind.TRANSFER.label),
            (CustodyEntry.Kind.RETURN, CustodyEntry.Kind.RETURN.label),
        ],
    )
    custodian = forms.ModelChoiceField(
        label=_("Custodian"), queryset=Person.objects.none(), required=False
    )
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    on = BoundedDateField(label=_("Date"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custodian"].queryset = _people()


class HandoverForm(forms.Form):
    from_person = forms.ModelChoiceField(
        label=_("Handed over by"), queryset=Person.objects.none()
    )
    to_person = forms.ModelChoiceField(
        label=_("Received by"), queryset=Person.objects.none()
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("FIN-1: a change of post or leaving."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Who hands over may have left already (FIN-1); who receives is active.
        self.fields["from_person"].queryset = Person.objects.order_by("name")
        self.fields["to_person"].queryset = _people()


class ReceptionForm(forms.Form):
    """FIN-9: the reception approval form (公务接待审批单)."""

    kind = forms.ChoiceField(
        label=_("Kind of reception"), choices=Reception.Kind.choices
    )
    guest_unit = forms.CharField(label=_("Guests' unit"), max_length=100)
    guests = LongTextField(
        label=_("Guests' names and posts"),
        rows=3,
        help_text=_("One guest a line: name and post."),
    )
    guest_level = forms.ChoiceField(
        label=_("Guests' level"),
        choices=Reception.Level.choices,
        help_text=_("FIN-9: the standard per head follows the guests' level."),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    guest_count = forms.IntegerField(
        label=_("Number of guests"), min_value=1, max_value=500
    )
    companion_count = forms.IntegerField(
        label=_("Number of companions"),
        min_value=0,
        max_value=500,
        help_text=_("FIN-9: 10 guests or fewer, at most 3; more, at most a third."),
    )
    companions = forms.ModelMultipleChoiceField(
        label=_("Named companions"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Required for visitors from higher or peer levels."),
    )
    place = forms.CharField(label=_("Place"), max_length=100)
    on = BoundedDateField(label=_("Date of the reception"), widget=DateInput)
    estimated_cost = money_field(_("Estimated cost (yuan)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["companions"].queryset = _people()


class SettleItemForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=100, required=False)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MONEY_MAX,
        required=False,
    )
    approved = forms.BooleanField(
        label=_("On the approved form"), required=False, initial=True
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("item")) != (data.get("amount") is not None):
            raise forms.ValidationError(_("Give both the item and its amount."))
        return data


def settle_formset(data=None, extra=4):
    formset_class = forms.formset_factory(
        SettleItemForm, extra=extra, max_num=50, validate_max=True
    )
    return formset_class(data=data, prefix="items")


class IncomeForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    amount = forms.DecimalField(
        label=_("Income (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.00"),
        max_value=MONEY_MAX,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("order", "name")
