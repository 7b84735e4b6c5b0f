from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from bureau.forms import BoundedDateField, BoundedDateTimeField, LongTextField
from bureau.params import SHORT_TEXT
from duty.models import LogEntry, Roster


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


ORDER_HELP = _("1 for the first on duty, 2 for the next… Leave empty: not on it.")


class RosterForm(forms.Form):
    """A new roster: its kind, title and period, and the rotation's order (one
    number field per person of the unit, added by the view)."""

    kind = forms.ChoiceField(label=_("Kind of roster"), choices=Roster.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=SHORT_TEXT)
    starts_on = BoundedDateField(label=_("First day"), widget=DateInput)
    ends_on = BoundedDateField(label=_("Last day"), widget=DateInput)
    confirm = forms.BooleanField(
        label=_("I have seen the warnings above: save anyway"), required=False
    )

    def __init__(self, *args, people=(), leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        self.leaders = list(leaders)
        for person in self.people:
            self.fields[f"order_{person.pk}"] = forms.IntegerField(
                label=person.name, required=False, min_value=1, max_value=999
            )
        for leader in self.leaders:
            self.fields[f"lead_{leader.pk}"] = forms.IntegerField(
                label=leader.name, required=False, min_value=1, max_value=999
            )

    def rotation_fields(self):
        return [self[f"order_{p.pk}"] for p in self.people]

    def leader_fields(self):
        return [self[f"lead_{p.pk}"] for p in self.leaders]

    def main_fields(self):
        return [self[name] for name in ("kind", "title", "starts_on", "ends_on")]

    def _ordered(self, prefix, people):
        chosen = [
            (self.cleaned_data.get(f"{prefix}_{p.pk}"), p.pk)
            for p in people
            if self.cleaned_data.get(f"{prefix}_{p.pk}") is not None
        ]
        return [pk for _order, pk in sorted(chosen)]

    def rotation(self) -> list[int]:
        return self._ordered("order", self.people)

    def leader_rotation(self) -> list[int]:
        return self._ordered("lead", self.leaders)


class _Pick(forms.IntegerField):
    """An id picked from a select the template renders (checked in `clean`)."""

    def __init__(self, label):
        super().__init__(label=label, required=False, min_value=1)


class DaysForm(forms.Form):
    """The days of a roster (one month of it at a time): up to `slots` people and,
    where the roster has one, the leader on duty per day."""

    confirm = forms.BooleanField(
        label=_("I have seen the warnings above: save anyway"), required=False
    )

    def __init__(self, *args, dates, people, leaders, slots, with_leader, **kwargs):
        super().__init__(*args, **kwargs)
        self.dates = list(dates)
        self.slots = slots
        self.with_leader = with_leader
        # The <option>s are escaped once here: a month of selects rendered by
        # Django's widgets or the template language costs most of a second.
        self.person_choices = [("", "—")] + [(str(p.pk), p.name) for p in people]
        self.leader_choices = [("", "—")] + [(str(p.pk), p.name) for p in leaders]
        self._people_ids = {p.pk for p in people}
        self._leader_ids = {p.pk for p in leaders}
        self._person_options = self._escaped(self.person_choices)
        self._leader_options = self._escaped(self.leader_choices)
        for day in self.dates:
            for slot in range(1, slots + 1):
                self.fields[self.key(day, slot)] = _Pick(_("On duty"))
            if with_leader:
                self.fields[self.key(day, "leader")] = _Pick(_("Leader on duty"))

    @staticmethod
    def key(day, slot) -> str:
        return f"d{day:%Y%m%d}_{slot}"

    @staticmethod
    def _escaped(choices):
        return [(value, conditional_escape(label)) for value, label in choices]

    @staticmethod
    def _options(escaped, value: str):
        return mark_safe(
            "".join(
                f'<option value="{v}"{" selected" if v == value else ""}>{label}'
                "</option>"
                for v, label in escaped
            )
        )

    def clean(self):
        cleaned = super().clean()
        for day in self.dates:
            for slot in range(1, self.slots + 1):
                name = self.key(day, slot)
                if cleaned.get(name) not in (None, *self._people_ids):
                    self.add_error(name, _("Choose someone of the list."))
            name = self.key(day, "leader")
            if self.with_leader and cleaned.get(name) not in (
                None,
                *self._leader_ids,
            ):
                self.add_error(name, _("Choose someone of the list."))
        return cleaned

    def _cell(self, name, escaped):
        value = self[name].value()
        value = "" if value is None else str(value)
        return {
            "name": name,
            "options": self._options(escaped, value),
            "errors": self.errors.get(name) if self.is_bound else None,
        }

    def rows(self):
        for day in self.dates:
            yield {
                "date": day,
                "people": [
                    self._cell(self.key(day, s), self._person_options)
                    for s in range(1, self.slots + 1)
                ],
                "leader": (
                    self._cell(self.key(day, "leader"), self._leader_options)
                    if self.with_leader
                    else None
                ),
            }

    def plan(self):
        plan = {}
        for day in self.dates:
            chosen = []
            for slot in range(1, self.slots + 1):
                value = self.cleaned_data.get(self.key(day, slot))
                if value is not None:
                    chosen.append(value)
            leader = (
                self.cleaned_data.get(self.key(day, "leader"))
                if self.with_leader
                else None
            )
            plan[day] = (tuple(chosen), leader)
        return plan


class SwapForm(forms.Form):
    giver = forms.TypedChoiceField(
        label=_("Who gives the duty"), choices=(), coerce=int, required=False
    )
    given_date = BoundedDateField(label=_("Day given"), widget=DateInput)
    taker = forms.TypedChoiceField(label=_("Who takes it"), choices=(), coerce=int)
    returned_date = BoundedDateField(
        label=_("Day taken in exchange"),
        widget=DateInput,
        required=False,
        help_text=_("Empty: the colleague only takes the day, nothing in exchange."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=SHORT_TEXT, required=False)
    confirm = forms.BooleanField(
        label=_("I have seen the warnings above: swap anyway"), required=False
    )

    def __init__(self, *args, people, arranger, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(p.pk), p.name) for p in people]
        self.fields["taker"].choices = choices
        if arranger:
            self.fields["giver"].choices = choices
            self.fields["giver"].required = True
        else:
            del self.fields["giver"]
            # A colleague's swap onto a day away is refused, not confirmed.
            del self.fields["confirm"]


class SwapDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("agree", _("Agree")),
            ("decline", _("Decline")),
            ("withdraw", _("Withdraw")),
        ]
    )


class LogForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LogEntry.Kind.choices)
    occurred_at = BoundedDateTimeField(label=_("Time"), widget=DateTimeInput)
    caller = forms.CharField(
        label=_("Caller or visitor"), max_length=100, required=False
    )
    content = LongTextField(label=_("What was said or happened"))
    handling = LongTextField(label=_("How it was handled"), required=False)
