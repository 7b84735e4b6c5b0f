"""{% load rulebook_tags %}: rule texts, rule references as help text, why links."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from bureau.rulebook import RULE_ID, rule_ref, split_rule_refs
from bureau.why import why_url

register = template.Library()


@register.filter
def rule_text(text: str):
    """A rule's text, line breaks kept, the rule IDs it cites as links (help text)."""
    escaped = str(conditional_escape(text or ""))
    linked = RULE_ID.sub(lambda m: str(rule_ref(m.group(0))), escaped)
    return mark_safe(linked.replace("\n", "<br>"))


@register.simple_tag
def rule(rule_id: str):
    """A rule ID as help text linking to the rule's page."""
    return rule_ref(rule_id) if rule_id else ""


@register.simple_tag
def why(kind: str, object_id, label: str = "", query: str = ""):
    """The "why" link of a judgement: the rule and the policy version it used."""
    if not object_id:
        return ""
    return format_html(
        '<a class="why" href="{}" title="{}">{}</a>',
        why_url(kind, object_id, query),
        _("The rule and the policy version this was judged by"),
        label or _("Why?"),
    )


@register.filter
def rule_help(text):
    """A label with its rule references moved to help text:
    "Petition work (PET-8)" -> "Petition work <small class="help">PET-8</small>"."""
    clean, ids = split_rule_refs(text)
    if not ids:
        return text
    return format_html(
        '{} <small class="help">{}</small>',
        clean,
        mark_safe(" ".join(str(rule_ref(rule_id)) for rule_id in ids)),
    )


@register.filter
def rule_ids(text) -> str:
    """The rule IDs a label names (for a title attribute)."""
    return " ".join(split_rule_refs(text)[1])


@register.filter
def no_rule(text) -> str:
    """A label without its rule references (a <title>, an option)."""
    return split_rule_refs(text)[0]
