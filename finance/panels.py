"""The finance officer's home panel: approved claims waiting for a batch."""

from finance import selectors, services


def to_pay_panel(request, person, today):
    """Nothing (and no query) for anyone but the finance officer."""
    if person is None or not selectors.is_finance_officer(request.user):
        return None
    waiting = services.claims_to_pay()
    return {"count": waiting.count(), "pay_on": services.pay_day(today)}
