"""Closing and reopening a month (ATT-6, ATT-13): a closed month is locked."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import MonthClose
from attendance.selectors import keeps_all_units, month_has_sheets
from attendance.services.common import AttendanceError, is_clerk


def _check(user, reason):
    if not is_clerk(user):
        raise AttendanceError(_("Only the attendance clerk closes and reopens months."))
    if not keeps_all_units(user):
        raise AttendanceError(
            _("The month is closed and reopened by the clerk who keeps every unit.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise AttendanceError(_("A reason is needed."))
    return reason


def month_close(*, by, year: int, month: int, reason: str, today=None):
    """Publish and lock the month's summary. Returns (MonthClose, changed)."""
    reason = _check(by, reason)
    today = today or timezone.localdate()
    if (year, month) >= (today.year, today.month):
        raise AttendanceError(_("A month can be closed only after it has ended."))
    if not month_has_sheets(year, month):
        # An empty month is not a month of perfect attendance (ATT-13).
        raise AttendanceError(
            _("No sign-in sheet was kept in this month: there is nothing to close.")
        )
    with transaction.atomic():
        close = (
            MonthClose.objects.select_for_update()
            .filter(year=year, month=month)
            .first()
        )
        if close is None:
            close = MonthClose(year=year, month=month, changed_by=by, reason=reason)
            close._change_reason = reason[:100]
            close.save()
            return close, True
        if close.is_closed:
            return close, False
        close.is_closed = True
        close.reason = reason
        close.changed_by = by
        close._change_reason = reason[:100]
        close.save()
    return close, True


def month_reopen(*, by, year: int, month: int, reason: str):
    """Reopen a closed month for corrections, with a recorded reason."""
    reason = _check(by, reason)
    with transaction.atomic():
        close = (
            MonthClose.objects.select_for_update()
            .filter(year=year, month=month)
            .first()
        )
        if close is None or not close.is_closed:
            return close, False
        close.is_closed = False
        close.reason = reason
        close.changed_by = by
        close._change_reason = reason[:100]
        close.save()
    return close, True
