"""Money on finance's pages: `{{ amount|rmb_upper }}` writes it in Chinese capitals
(人民币大写, `finance.rules.rmb_upper`); nothing for an amount not yet known."""

from django import template

from finance import rules

register = template.Library()


@register.filter
def rmb_upper(amount) -> str:
    if amount is None or amount == "":
        return ""
    return rules.rmb_upper(amount)
