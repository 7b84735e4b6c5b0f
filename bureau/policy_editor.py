"""An editor per rule shape: a policy value edited as fields and rows, never as JSON.

The shape of a policy is read from its registered default (and the version being
edited): a number, a yes/no, a time ("19:30"), a date, a month-day ("11-01"), an
amount ("200.00"), a choice among known words (a relation of bureau.resolver, an
action of a chain, a grade, an outcome), a list of words, a group of named fields,
or a table of rows (a chain's steps, a ladder's steps, a band table, tiers by
amount). A table whose rows hold tables (tiers holding steps) is shown as one block
per row. Each word and field is labelled in Chinese through bureau.readable.

`PolicyDefinition.shape` may name the shape where the value alone does not tell
("chain", "ladder", "bands", "tiers"…: see SHAPES): the page says which kind of rule
it edits. A value the editor cannot read (nobody registered its shape, and it is not
made of the pieces above) falls back to a JSON box marked "高级".

Bad input never reaches the database: every field is checked (numbers zero or more,
known words only), rows of a band table may not overlap (the default's order — each
row above or below the previous one — is kept), and then the policy's own validator.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.policies import PolicyDefinition, registry
from bureau.readable import term
from bureau.resolver import relation_keys, relation_label

# What people read about the kind of rule they edit (the registered shape hint).
SHAPES = {
    "number": gettext_lazy("a number"),
    "duration": gettext_lazy("a duration"),
    "switch": gettext_lazy("yes or no"),
    "date": gettext_lazy("a date"),
    "time": gettext_lazy("a time"),
    "record": gettext_lazy("a group of values"),
    "chain": gettext_lazy("an approval chain: steps of action and who"),
    "chains": gettext_lazy("approval chains by tier: up to an amount, steps"),
    "ladder": gettext_lazy("a ladder: per count, outcomes and a grade cap"),
    "bands": gettext_lazy("a band table: one row per band"),
    "tiers": gettext_lazy("a tier table: one row per tier"),
    "deadline": gettext_lazy("a deadline: length, days counted, reminder"),
    "texts": gettext_lazy("texts"),
}

# Fields whose words are chosen from a list. The relations come from
# bureau.resolver; every other list is the words the registered defaults use under
# that name, plus what a chapter adds with `register_vocabulary`.
RELATION_FIELDS = {"who", "escalate_to", "to"}
_VOCABULARIES: dict[str, list[str]] = {
    "action": ["agree", "approve", "inform", "external", "meeting"],
    "top": ["county", "director", "acknowledged"],
    "cap": ["excellent", "competent", "basic", "unfit"],
    "day_type": ["working", "calendar"],
    "boundary": ["over", "at_least"],
}
# Kept as they are and not shown: a rule ID (help text) and a hook's internal name.
HIDDEN_FIELDS = {"rule", "hook"}

MAX_ROWS = 60
SLUG = re.compile(r"^[a-z][a-z0-9_.]*$")
TIME = re.compile(r"^\d{2}:\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
AMOUNT = re.compile(r"^\d+\.\d{2}$")


def register_vocabulary(name: str, words) -> None:
    """The words a field `name` may take (a chapter's outcomes, kinds…)."""
    known = _VOCABULARIES.setdefault(name, [])
    for word in words:
        if word not in known:
            known.append(str(word))


# --- the shape of a value ---------------------------------------------------------


@dataclass
class Leaf:
    kind: str  # int float amount bool text longtext time date monthday choice
    # words hidden raw
    name: str
    choices: list[str] = field(default_factory=list)
    nullable: bool = False
    blank: bool = False  # "" is a value (no escalation)
    free_words: bool = False


@dataclass
class Group:
    name: str
    items: list[tuple[str, Any]]
    optional: set[str] = field(default_factory=set)


@dataclass
class Rows:
    name: str
    columns: list[tuple[str, Any]]
    pair: bool = False
    optional: set[str] = field(default_factory=set)
    # column -> +1 (each row above the previous) or -1, from the default's order
    order: dict[str, int] = field(default_factory=dict)

    @property
    def flat(self) -> bool:
        return all(isinstance(node, Leaf) for _name, node in self.columns)


_SEEN: dict[str, list[str]] = {}
_SEEN_VALUES: dict[str, list] = {}


def _walk_values(value, name, seen):
    if isinstance(value, dict):
        for key, item in value.items():
            _walk_values(item, key, seen)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                _walk_values(item, name, seen)
    else:
        seen.setdefault(name, []).append(value)


def seen_values() -> dict[str, list]:
    """Every single value the registered defaults hold, by field name."""
    if not _SEEN_VALUES:
        for definition in registry.definitions():
            _walk_values(definition.default, "", _SEEN_VALUES)
    return _SEEN_VALUES


def _walk_words(value, name, seen):
    if isinstance(value, dict):
        for key, item in value.items():
            _walk_words(item, key, seen)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                seen.setdefault(name, [])
                if item not in seen[name]:
                    seen[name].append(item)
            elif isinstance(item, list):  # pairs: columns named name#0, name#1
                for column, cell in enumerate(item):
                    _walk_words([cell], f"{name}#{column}", seen)
            else:
                _walk_words(item, name if not isinstance(item, dict) else index, seen)
    elif isinstance(value, str):
        seen.setdefault(str(name), [])
        if value not in seen[str(name)]:
            seen[str(name)].append(value)


def seen_words() -> dict[str, list[str]]:
    """Every word the registered defaults use, by field name (computed once)."""
    if not _SEEN:
        for definition in registry.definitions():
            _walk_words(definition.default, "", _SEEN)
    return _SEEN


def _choices_for(name: str, samples: list[str]) -> list[str] | None:
    if name in RELATION_FIELDS:
        words = [*relation_keys(), *seen_words().get(name, [])]
    elif name in _VOCABULARIES:
        words = [*_VOCABULARIES[name], *seen_words().get(name, [])]
    else:
        words = list(seen_words().get(name, []))
        if not words or not all(
            isinstance(w, str) and SLUG.match(w) and term(w) != w for w in words
        ):
            return None
    words = [*words, *(s for s in samples if s not in words)]
    return list(dict.fromkeys(w for w in words if w != ""))


def _order_of_lists(lists) -> list[str]:
    """The words of several lists in an order that keeps each list's own order."""
    order: list[str] = []
    for items in lists:
        position = 0
        for item in items:
            if item in order:
                position = order.index(item) + 1
            else:
                order.insert(position, item)
                position += 1
    return order


def infer(samples: list, name: str = "") -> Any:
    """The shape of the values `samples` (observed at one place of the value)."""
    present = [s for s in samples if s is not None]
    nullable = len(present) < len(samples)
    if not present:
        # Empty here (a cap nowhere set): the same field elsewhere tells its kind.
        elsewhere = [v for v in seen_values().get(name, []) if v is not None]
        if not elsewhere:
            return Leaf("raw", name)
        node = infer(elsewhere, name)
        if isinstance(node, Leaf):
            node.nullable = True
        return node
    if name in HIDDEN_FIELDS and all(isinstance(s, str) for s in present):
        return Leaf("hidden", name, nullable=nullable)
    if all(isinstance(s, bool) for s in present):
        return Leaf("bool", name, nullable=nullable)
    if all(isinstance(s, int | float) and not isinstance(s, bool) for s in present):
        kind = "int" if all(isinstance(s, int) for s in present) else "float"
        return Leaf(kind, name, nullable=nullable)
    if all(isinstance(s, str) for s in present):
        blank = "" in present
        words = [s for s in present if s != ""]
        choices = _choices_for(name, words)
        if choices is not None:
            return Leaf("choice", name, choices, nullable=nullable, blank=blank)
        for kind, pattern in (
            ("time", TIME),
            ("date", DATE),
            ("monthday", MONTH_DAY),
            ("amount", AMOUNT),
        ):
            if words and all(pattern.match(s) for s in words):
                return Leaf(kind, name, nullable=nullable, blank=blank)
        long = any(len(s) > 60 or "\n" in s for s in present)
        return Leaf(
            "longtext" if long else "text", name, nullable=nullable, blank=blank
        )
    if all(isinstance(s, dict) for s in present):
        keys = list(dict.fromkeys(k for s in present for k in s))
        optional = {k for k in keys if any(k not in s for s in present)}
        return Group(
            name,
            [(k, infer([s[k] for s in present if k in s], k)) for k in keys],
            optional,
        )
    if all(isinstance(s, list) for s in present):
        items = [item for s in present for item in s]
        if not items:
            return Leaf("raw", name)
        if all(isinstance(i, str) for i in items):
            choices = _choices_for(name, items)
            order = _order_of_lists(present)
            if choices is None:
                return Leaf("words", name, order, free_words=True)
            return Leaf(
                "words", name, [*order, *(c for c in choices if c not in order)]
            )
        if all(isinstance(i, dict) for i in items):
            keys = list(dict.fromkeys(k for i in items for k in i))
            optional = {k for k in keys if any(k not in i for i in items)}
            columns = [(k, infer([i[k] for i in items if k in i], k)) for k in keys]
            rows = Rows(name, columns, optional=optional)
        elif (
            all(isinstance(i, list) for i in items)
            and len({len(i) for i in items}) == 1
        ):
            width = len(items[0])
            columns = [
                (f"{name}#{c}", infer([i[c] for i in items], f"{name}#{c}"))
                for c in range(width)
            ]
            rows = Rows(name, columns, pair=True)
        else:
            return Leaf("raw", name)
        rows.order = _orders(rows, present)
        return rows
    return Leaf("raw", name)


def _orders(rows: Rows, lists) -> dict[str, int]:
    """Columns whose numbers rise (or fall) from row to row in every sample of two
    rows or more: a band table's bands, a ladder's counts, tiers' upper limits."""
    orders = {}
    for index, (name, node) in enumerate(rows.columns):
        if not (isinstance(node, Leaf) and node.kind in ("int", "float", "amount")):
            continue
        directions = set()
        for rows_value in lists:
            cells = [
                _number(r[index] if rows.pair else r.get(name)) for r in rows_value
            ]
            cells = [c for c in cells if c is not None]
            if len(cells) < 2:
                continue
            steps = {(b > a) - (b < a) for a, b in zip(cells, cells[1:], strict=False)}
            directions.add(steps.pop() if len(steps) == 1 and 0 not in steps else 0)
        if len(directions) == 1 and 0 not in directions:
            orders[name] = directions.pop()
    return orders


def _number(value):
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def shape_of(definition: PolicyDefinition, current=None):
    samples = [definition.default]
    if current is not None and current != definition.default:
        samples.append(current)
    return infer(samples, "")


def shape_hint(definition: PolicyDefinition) -> str:
    """The kind of rule, in words: the registered hint, or read from the value."""
    hint = getattr(definition, "shape", None)
    if not hint:
        node = shape_of(definition)
        if isinstance(node, Leaf):
            hint = {
                "int": "number",
                "float": "number",
                "amount": "number",
                "bool": "switch",
                "date": "date",
                "monthday": "date",
                "time": "time",
            }.get(node.kind, "record")
        elif isinstance(node, Rows):
            hint = "bands"
        else:
            hint = "record"
    return str(SHAPES.get(hint, SHAPES["record"]))


# --- the form -----------------------------------------------------------------------


def _label(name: str) -> str:
    return term(name) if name else ""


def _choice_label(leaf: Leaf, word: str) -> str:
    if leaf.name in RELATION_FIELDS or word in relation_keys():
        label = relation_label(word)
        if label != word:
            return label
    return term(word)


def _leaf_field(leaf: Leaf, label: str, required: bool) -> forms.Field:
    kind = leaf.kind
    optional = not required or leaf.nullable or leaf.blank
    if kind == "bool":
        return forms.BooleanField(label=label, required=False)
    if kind == "int":
        return forms.IntegerField(label=label, required=not optional, min_value=0)
    if kind == "float":
        return forms.DecimalField(
            label=label,
            required=not optional,
            min_value=0,
            max_digits=12,
            decimal_places=4,
        )
    if kind == "amount":
        return forms.DecimalField(
            label=label,
            required=not optional,
            min_value=0,
            max_digits=12,
            decimal_places=2,
        )
    if kind == "time":
        return forms.TimeField(
            label=label,
            required=not optional,
            input_formats=["%H:%M"],
            widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        )
    if kind == "date":
        return forms.DateField(
            label=label,
            required=not optional,
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        )
    if kind == "monthday":
        return forms.RegexField(
            MONTH_DAY,
            label=label,
            required=not optional,
            help_text=_("month-day, e.g. 11-01"),
            error_messages={
                "invalid": _("Enter a month and day as MM-DD, e.g. 11-01.")
            },
        )
    if kind == "choice":
        empty = [("", _("— none —"))] if optional else []
        return forms.ChoiceField(
            label=label,
            required=not optional,
            choices=empty + [(w, _choice_label(leaf, w)) for w in leaf.choices],
        )
    if kind == "words":
        if leaf.free_words:
            return forms.CharField(
                label=label,
                required=False,
                max_length=2000,
                help_text=_("Separated by commas."),
            )
        return forms.MultipleChoiceField(
            label=label,
            required=False,
            choices=[(w, _choice_label(leaf, w)) for w in leaf.choices],
            widget=forms.CheckboxSelectMultiple,
        )
    if kind == "hidden":
        return forms.CharField(required=False, widget=forms.HiddenInput, max_length=80)
    if kind == "longtext":
        return forms.CharField(
            label=label,
            required=not optional,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    if kind == "raw":
        return forms.JSONField(
            label=format_html("{}（{}）", _("Advanced: JSON"), label),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4, "class": "policy-json"}),
            help_text=_(
                "Advanced: this part has no form of its own; write it as JSON."
            ),
        )
    return forms.CharField(label=label, required=not optional, max_length=400)


def _initial(leaf: Leaf, value):
    if value is None:
        return None
    if leaf.kind == "time":
        return datetime.time.fromisoformat(value)
    if leaf.kind == "date":
        return datetime.date.fromisoformat(value)
    if leaf.kind in ("float", "amount"):
        return Decimal(str(value))
    if leaf.kind == "words" and leaf.free_words:
        return ", ".join(value)
    return value


def _out(leaf: Leaf, cleaned):
    """The stored value of a field's cleaned value; None: left empty."""
    kind = leaf.kind
    if kind == "bool":
        return bool(cleaned)
    if cleaned in (None, "") and kind != "words":
        if leaf.blank and kind != "raw":
            return ""
        return None
    if kind == "time":
        return cleaned.strftime("%H:%M")
    if kind == "date":
        return cleaned.isoformat()
    if kind == "float":
        return float(cleaned)
    if kind == "amount":
        return f"{cleaned:.2f}"
    if kind == "words":
        if leaf.free_words:
            return [
                w.strip() for w in re.split(r"[,，、\s]+", cleaned or "") if w.strip()
            ]
        return [w for w in leaf.choices if w in (cleaned or [])]
    return cleaned


def _empty(leaf: Leaf, cleaned) -> bool:
    if leaf.kind == "bool":
        return not cleaned
    if leaf.kind == "hidden":
        return True  # a hidden word alone does not make a row
    return cleaned in (None, "", [])


class PolicyValueForm(forms.Form):
    """The value of one policy as fields; `value()` after is_valid()."""

    def __init__(self, definition: PolicyDefinition, current, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.shape = shape_of(definition, current)
        self.counts: dict[str, int] = {}
        self.layout = self._build(self.shape, current, "v", required=True)

    # building -------------------------------------------------------------------
    def _values(self, name: str) -> list:
        if hasattr(self.data, "getlist"):
            return self.data.getlist(name)
        value = self.data.get(name)
        return value if isinstance(value, list) else [value]

    def _count(self, prefix: str, rows: list) -> int:
        if self.is_bound:
            try:
                count = int(self.data.get(f"{prefix}-count", ""))
            except ValueError:
                count = 0
            count = max(0, min(count, MAX_ROWS))
            # Shown again (an error, the preview): the rows sent and one empty row
            # after the last one filled in, to add another.
            filled = [
                index
                for index in range(count)
                if any(
                    name.startswith(f"{prefix}-{index}-")
                    and not name.endswith("-delete")
                    and not name.endswith("-count")
                    and any(str(v).strip() for v in self._values(name))
                    for name in self.data
                )
            ]
            return min(MAX_ROWS, max(count, (filled[-1] + 2) if filled else 1))
        return len(rows) + 1  # one empty row to add

    def _build(
        self, node, value, prefix: str, *, required: bool, label: str | None = None
    ):
        name = getattr(node, "name", "")
        shown = (
            label
            if label is not None
            else (_label(name) or str(self.definition.display_label))
        )
        if isinstance(node, Leaf):
            self.fields[prefix] = _leaf_field(node, shown, required)
            if node.kind == "words" and not node.free_words and value:
                # a word the value holds that the list does not know stays listed
                node.choices = [
                    *node.choices,
                    *(w for w in value if w not in node.choices),
                ]
                self.fields[prefix].choices = [
                    (w, _choice_label(node, w)) for w in node.choices
                ]
            initial = _initial(node, value)
            if node.kind == "raw":
                initial = value
            self.fields[prefix].initial = initial
            return ("leaf", prefix, node)
        if isinstance(node, Group):
            value = value if isinstance(value, dict) else {}
            children = [
                self._build(
                    child,
                    value.get(key),
                    f"{prefix}-{key}",
                    required=required and key not in node.optional,
                )
                for key, child in node.items
            ]
            return ("group", prefix, node, children)
        # Rows
        rows = value if isinstance(value, list) else []
        count = self._count(prefix, rows)
        self.fields[f"{prefix}-count"] = forms.IntegerField(
            required=False, widget=forms.HiddenInput, initial=count
        )
        self.counts[prefix] = count
        built = []
        for index in range(count):
            row = rows[index] if index < len(rows) else None
            cells = []
            for column, (key, child) in enumerate(node.columns):
                if row is None:
                    cell = None
                elif node.pair:
                    cell = row[column] if column < len(row) else None
                else:
                    cell = row.get(key)
                cells.append(
                    self._build(
                        child,
                        cell,
                        f"{prefix}-{index}-{column}",
                        required=False,
                        label=_label(key),
                    )
                )
            self.fields[f"{prefix}-{index}-delete"] = forms.BooleanField(
                label=_("remove"), required=False
            )
            built.append((index, cells))
        return ("rows", prefix, node, built)

    # reading --------------------------------------------------------------------
    def _read(self, item, errors: list):
        kind = item[0]
        if kind == "leaf":
            _kind, prefix, node = item
            return _out(node, self.cleaned_data.get(prefix))
        if kind == "group":
            _kind, prefix, node, children = item
            out = {}
            for (key, _child), child_item in zip(node.items, children, strict=True):
                cell = self._read(child_item, errors)
                if cell is None and key in node.optional and not _nullable(_child):
                    continue
                out[key] = cell
            return out
        _kind, prefix, node, built = item
        out = []
        for index, cells in built:
            if self.cleaned_data.get(f"{prefix}-{index}-delete"):
                continue
            if all(self._blank(cell) for cell in cells):
                continue
            if node.pair:
                out.append([self._read(cell, errors) for cell in cells])
                continue
            row = {}
            for (key, child), cell in zip(node.columns, cells, strict=True):
                read = self._read(cell, errors)
                if read is None and key in node.optional:
                    continue
                if read is None and not _nullable(child):
                    errors.append(
                        _("Row %(row)s: “%(column)s” is needed.")
                        % {"row": len(out) + 1, "column": _label(key)}
                    )
                row[key] = read
            out.append(row)
        if not out:
            errors.append(
                _("“%(table)s” needs at least one row.")
                % {"table": _label(node.name) or self.definition.display_label}
            )
        for index, (key, _child) in enumerate(node.columns):
            direction = node.order.get(key)
            if not direction:
                continue
            cells = [_number(r[index] if node.pair else r.get(key)) for r in out]
            present = [(n, c) for n, c in enumerate(cells, start=1) if c is not None]
            for (_a, before), (row_number, after) in zip(
                present, present[1:], strict=False
            ):
                if (after - before) * direction <= 0:
                    errors.append(
                        (
                            _(
                                "Row %(row)s overlaps the row above: “%(column)s” must be higher than the row above's."
                            )
                            if direction > 0
                            else _(
                                "Row %(row)s overlaps the row above: “%(column)s” must be lower than the row above's."
                            )
                        )
                        % {"row": row_number, "column": _label(key)}
                    )
        return out

    def _blank(self, item) -> bool:
        kind = item[0]
        if kind == "leaf":
            return _empty(item[2], self.cleaned_data.get(item[1]))
        if kind == "group":
            return all(self._blank(child) for child in item[3])
        return all(
            all(self._blank(cell) for cell in cells)
            or self.cleaned_data.get(f"{item[1]}-{index}-delete")
            for index, cells in item[3]
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        errors: list[str] = []
        value = self._read(self.layout, errors)
        if errors:
            raise ValidationError(errors)
        try:
            registry.validate(self.definition.key, value)
        except ValidationError as exc:
            detail = "；".join(
                str(m)
                for messages in getattr(
                    exc, "message_dict", {"": exc.messages}
                ).values()
                for m in messages
            )
            raise ValidationError(
                _("This value breaks the rule's own checks: %(detail)s")
                % {"detail": detail}
            ) from exc
        self.value = value
        return cleaned

    # showing --------------------------------------------------------------------
    def render_value(self):
        return self._render(self.layout, top=True)

    def _field_html(self, prefix: str, *, bare: bool = False):
        bound = self[prefix]
        errors = format_html_join("", "<li>{}</li>", ((e,) for e in bound.errors))
        errors = (
            format_html('<ul class="errorlist">{}</ul>', errors) if bound.errors else ""
        )
        if bound.is_hidden:
            return format_html("{}", bound)
        help_text = (
            format_html('<div class="help">{}</div>', bound.help_text)
            if bound.help_text
            else ""
        )
        if bare:
            return format_html("{}{}{}", errors, bound, help_text)
        return format_html(
            '<div class="form-row policy-field">{}<div>{}{}{}</div></div>',
            bound.label_tag(),
            errors,
            bound,
            help_text,
        )

    def _render(self, item, top=False):
        kind = item[0]
        if kind == "leaf":
            return self._field_html(item[1])
        if kind == "group":
            _kind, prefix, node, children = item
            inner = format_html_join("", "{}", ((self._render(c),) for c in children))
            if top:
                return inner
            return format_html(
                '<fieldset class="module policy-group"><h2>{}</h2>{}</fieldset>',
                _label(node.name),
                inner,
            )
        _kind, prefix, node, built = item
        # the rows shown (one more than sent when the last one was filled in)
        count = format_html(
            '<input type="hidden" name="{}-count" value="{}">',
            prefix,
            self.counts[prefix],
        )
        title = _label(node.name) if not top else ""
        heading = format_html("<h2>{}</h2>", title) if title else ""
        if node.flat:
            head = format_html_join(
                "",
                "<th>{}</th>",
                (
                    (_label(key),)
                    for key, child in node.columns
                    if child.kind != "hidden"
                ),
            )
            body = format_html_join(
                "",
                '<tr class="policy-row">{}<td>{}</td><td>{}</td></tr>',
                (
                    (
                        format_html('<td class="row-number">{}</td>', index + 1),
                        format_html_join(
                            "",
                            "{}",
                            (
                                (
                                    format_html("{}", self._field_html(cell[1]))
                                    if cell[2].kind == "hidden"
                                    else format_html(
                                        "<td>{}</td>",
                                        self._field_html(cell[1], bare=True),
                                    ),
                                )
                                for cell in cells
                            ),
                        ),
                        self._field_html(f"{prefix}-{index}-delete", bare=True),
                        "",
                    )
                    for index, cells in built
                ),
            )
            return format_html(
                '<fieldset class="module policy-rows">{}<table><thead><tr><th>{}</th>{}<th>{}</th><th></th></tr></thead><tbody>{}</tbody></table>{}<p class="help">{}</p></fieldset>',
                heading,
                _("No."),
                head,
                _("remove"),
                body,
                count,
                _(
                    "Fill the empty last row to add one; tick “remove” to take a row out. Save without changing anything to add more empty rows."
                ),
            )
        blocks = format_html_join(
            "",
            '<fieldset class="module policy-row"><h3>{}</h3>{}<div class="form-row">{} {}</div></fieldset>',
            (
                (
                    _("Row %(n)s") % {"n": index + 1},
                    format_html_join(
                        "", "{}", ((self._render(cell),) for cell in cells)
                    ),
                    self._field_html(f"{prefix}-{index}-delete", bare=True),
                    _("remove this row"),
                )
                for index, cells in built
            ),
        )
        return format_html(
            '<div class="policy-blocks">{}{}{}</div>', heading, blocks, count
        )


def _nullable(node) -> bool:
    return isinstance(node, Leaf) and (node.nullable or node.kind == "raw")


def has_json_box(form: PolicyValueForm) -> bool:
    return any(isinstance(f, forms.JSONField) for f in form.fields.values())


def value_text(value) -> str:
    """For a log line (never shown as a label)."""
    return json.dumps(value, ensure_ascii=False, default=str)


__all__ = [
    "PolicyValueForm",
    "register_vocabulary",
    "shape_hint",
    "has_json_box",
]
