"""Stored structured values (policy values, sheet counts) shown to people in words.

A policy value is data — `{"tiers": [{"up_to": 0.5, "steps": [...]}]}` — and the
admin showed it as JSON. `readable(value)` writes it out with each key and token by
its Chinese label: nested mappings as "label: value" lines, lists joined, numbers and
dates as they are. Chapters add the words of their own values with `register_terms`
(in their AppConfig.ready()); the words every chapter shares are here. Item 5 of
issue 16 (an editor per rule shape) will replace this for editing; reading stays.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.policies import registry

_TERMS: dict[str, object] = {
    # chains (approvals)
    "action": _("action"),
    "who": _("who"),
    "agree": _("agrees"),
    "approve": _("approves"),
    "inform": _("is informed"),
    "external": _("county decision"),
    "tiers": _("tiers"),
    "up_to": _("up to"),
    "boundary": _("a value equal to the limit"),
    "over": _("stays in this tier"),
    "at_least": _("goes to the next tier"),
    "steps": _("steps"),
    "rule": _("rule"),
    "hook": _("decided on the chapter's page, with"),
    "section_head": _("section head"),
    "section_staff": _("section staff"),
    "unit_head": _("unit head"),
    "unit_staff": _("unit staff"),
    "deputy": _("deputy director"),
    "deputy_in_charge": _("deputy in charge"),
    "director": _("director"),
    "supervisor": _("supervisor"),
    "county_leader_in_charge": _("county leader in charge"),
    "county_magistrate": _("county magistrate"),
    "county_party_secretary": _("county party secretary"),
    "general": _("general staff"),
    "middle_level": _("middle-level and above"),
    # deadlines
    "length": _("length"),
    "day_type": _("counted in"),
    "working": _("working days"),
    "remind_days": _("remind days before"),
    "escalate_to": _("escalate to"),
    # bands, ladders and caps
    "thresholds": _("thresholds"),
    "min_l": _("lates and early leaves at least"),
    "min_a": _("absence days at least"),
    "outcome": _("outcome"),
    "outcomes": _("outcomes"),
    "cap": _("grade cap"),
    "caps": _("grade caps"),
    "acknowledged": _("acknowledged only"),
    "cancelled": _("allowance cancelled"),
    "half_deducted": _("half the allowance deducted"),
    "welfare_deducted": _("welfare deducted"),
    "excellent": _("excellent"),
    "competent": _("competent"),
    "basic": _("basically competent"),
    "unfit": _("not competent"),
    "criticism": _("criticism and education"),
    "self_criticism": _("written self-criticism"),
    "self_exam_section": _("written self-examination in the section"),
    "self_exam_all_staff": _("self-examination before all staff"),
    "admonition": _("admonition"),
    "efficiency_warning": _("efficiency warning"),
    "sanction_proposal": _("proposal of a sanction"),
    "sanction_from": _("sanction proposed from"),
    "absence_floors": _("absence days from which"),
    "consecutive_days": _("consecutive days"),
    "year_days": _("days in a year"),
    "dismissal_kinds": _("kinds proposing dismissal"),
    "weights": _("weights"),
    "democratic": _("democratic appraisal"),
    "peer": _("peer appraisal"),
    "self": _("self appraisal"),
    "top": _("with nobody above the requester"),
    "county": _("county decision recorded"),
    # dates, limits, times
    "earliest": _("earliest date"),
    "years_ahead": _("years ahead"),
    "max_mb": _("largest file (MB)"),
    "max_bytes": _("largest file (bytes)"),
    "max_days_per_year": _("most days a year"),
    "types": _("file types"),
    "weekday": _("weekday"),
    "start": _("start"),
    "end": _("end"),
    "submit": _("sending a form"),
    "lookup": _("looking up"),
    # the policy editor's fields and words (issue 16 item 5); "name#0" is the first
    # column of a table of pairs
    "absence_floors#0": _("absence days from"),
    "absence_floors#1": _("at least step"),
    "after_days": _("days overdue"),
    "announcement": _("announcement"),
    "assessment": _("target assessment"),
    "bureau_affairs_meeting": _("bureau affairs meeting"),
    "calendar": _("calendar days"),
    "caps#0": _("warnings in the year"),
    "caps#1": _("grade cap"),
    "categories": _("categories"),
    "circular": _("circular"),
    "communique": _("communiqué"),
    "daily": _("daily duty"),
    "days": _("days"),
    "days_ahead": _("days ahead one may book"),
    "decision": _("decision"),
    "default": _("default"),
    "due_day": _("due day of the month"),
    "earliest_minutes": _("earliest (minutes before)"),
    "event": _("event duty"),
    "explain": _("explanation"),
    "holiday": _("holiday duty"),
    "incoming": _("incoming documents"),
    "invoice_from": _("invoice from (yuan)"),
    "latest_minutes": _("latest (minutes before)"),
    "leaders": _("bureau leaders"),
    "letter": _("letter"),
    "max_days": _("most days"),
    "max_per_day": _("most people a day"),
    "max_times": _("most times"),
    "meeting": _("meeting"),
    "meeting_kind": _("kind of meeting"),
    "not_accepted": _("notice of non-acceptance"),
    "notice": _("notice"),
    "order": pgettext_lazy("document type", "order"),
    "organ": _("bureau organ"),
    "over_baseline_percent": _("over the baseline by (%)"),
    "past_window_minutes": _("start at most this long ago (minutes)"),
    "per_half_day": _("appointments per half day"),
    "refused": _("purposes without a car"),
    "reject": _("not supported"),
    "resolution": _("resolution"),
    "restart_clock": _("the clock counts again"),
    "show_until": _("reminder shown until"),
    "support": _("supported"),
    "thresholds#0": _("score from"),
    "thresholds#1": _("grade"),
    "to": _("escalated to"),
    "training": _("training"),
    "transfer_from": _("no cash from (yuan)"),
    "units": _("subordinate units"),
    "working_days": _("working days"),
    "bureau": _("bureau document"),
    "by_type": _("by document type"),
    "fund_use": _("use of funds"),
    "ladder": _("escalation ladder"),
    "leader_required": _("a leader on duty required"),
    "nobody_is_error": _("nobody on duty is an error"),
    "per_day": _("people per day"),
    "purchase": _("purchase"),
    "purchase_valuable": _("purchase of valuable equipment"),
    "required": _("required each half-year"),
    "section": _("section document"),
    "skip_rest_days": _("skip rest days"),
    "unit": _("subordinate unit"),
}


_PROVIDERS: list = []


def register_terms(terms: dict[str, object]) -> None:
    """Words of a chapter's stored values: {token: label}."""
    _TERMS.update(terms)


def register_term_provider(provider) -> None:
    """`provider(token) -> label or None`, for words another registry knows (the
    violation kinds, "attendance.long_absence" → "长期缺勤")."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def term(token: str) -> str:
    label = _TERMS.get(token)
    if label is None:
        for provider in _PROVIDERS:
            label = provider(token)
            if label is not None:
                break
    return str(label) if label is not None else token


def _scalar(value) -> str:
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if value is None:
        return "—"
    if isinstance(value, str):
        return term(value)
    return str(value)


def readable_text(value) -> str:
    """One line of plain text (list columns, exports)."""
    if isinstance(value, dict):
        return "；".join(f"{term(k)}：{readable_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(readable_text(v) for v in value) or "—"
    return _scalar(value)


def _rule_ref(rule):
    # Rule IDs are references for who reads the rulebook: help text, not labels.
    return format_html('<small class="help">{}</small>', rule)


def readable(value):
    """Safe HTML: nested mappings as definition lists, lists as bullet lists."""
    if isinstance(value, dict):
        return format_html(
            '<dl class="readable">{}</dl>',
            format_html_join(
                "",
                "<dt>{}</dt><dd>{}</dd>",
                (
                    (term(k), _rule_ref(v) if k == "rule" else readable(v))
                    for k, v in value.items()
                ),
            ),
        )
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return readable_text(value)
        return format_html(
            '<ol class="readable">{}</ol>',
            format_html_join("", "<li>{}</li>", ((readable(v),) for v in value)),
        )
    return _scalar(value)


def policy_versions(mapping) -> str:
    """`{"attendance.late_limit_minutes": 12}` as "迟到时限（分钟）第 12 版"."""
    if not mapping:
        return "—"
    return "；".join(
        _("%(policy)s, version %(id)s") % {"policy": registry.label(key), "id": pk}
        for key, pk in mapping.items()
    )


def counted(mapping, labels) -> str:
    """`{"in": 33, "late": 2}` as "已到 33；迟到 2" with the choices' labels."""
    if not mapping:
        return "—"
    names = dict(labels)
    return "；".join(f"{names.get(k, term(k))} {n}" for k, n in mapping.items())
