"""MTG-1 as pure functions over plain values (no ORM): who may chair a kind of
meeting, who takes part, when the monthly reminder is due, how minutes and decisions
are cited."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.models.org import LEADER_POSITIONS, MIDDLE_AND_ABOVE, Position


class Chair(models.TextChoices):
    # 局务会由局长主持召开
    DIRECTOR = "director", _("The director")
    # 局长办公会议由局长主持召开或局长委托副局长主持召开
    DIRECTOR_OR_DEPUTY = "director_or_deputy", _("The director, or a deputy entrusted")
    # 局专题会议由局领导主持
    LEADER = "leader", _("A bureau leader")


class Participants(models.TextChoices):
    # 局务会成员参加
    MEMBERS = "members", _("The meeting's members")
    # 副股长以上人员参加
    MIDDLE_AND_ABOVE = "middle_and_above", _("Deputy section heads and above")
    # 有关股(站、队)人员参加
    CONCERNED = "concerned", _("The sections and units concerned")


def chair_allowed(rule: str, position: str) -> bool:
    """Whether a person of `position` may chair a meeting whose kind says `rule`."""
    if rule == Chair.DIRECTOR:
        return position == Position.DIRECTOR
    return position in LEADER_POSITIONS


def expected_positions(rule: str) -> set[str]:
    """Positions expected at a meeting by its kind's participants rule (MEMBERS:
    the bureau leaders when the kind lists no members; CONCERNED: none by position —
    the chair and the heads of the sections and units whose items are on the
    agenda are expected).

    Reading: the organisation has no deputy section head post, so "副股长以上"
    is the middle level and above (section and unit heads, deputies, the director).
    """
    if rule == Participants.MIDDLE_AND_ABOVE:
        return set(MIDDLE_AND_ABOVE)
    if rule == Participants.CONCERNED:
        return set()
    return set(LEADER_POSITIONS)


def may_propose(position: str) -> bool:
    """A section or unit proposes through its head; leaders propose too."""
    return position in MIDDLE_AND_ABOVE


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def reminder_due(
    today: datetime.date, reminder_day: int | None, *, month_has_meeting: bool
) -> bool:
    """MTG-1: a monthly meeting's month has none by its `reminder_day` (the 20th)."""
    if not reminder_day or month_has_meeting:
        return False
    return today.day >= reminder_day


def minutes_reference(minutes_name: str, year: int, number: int) -> str:
    """局务会纪要〔2026〕3号: hexagonal brackets, no padding."""
    return f"{minutes_name}〔{year}〕{number}号"


def decision_citation(minutes_ref: str, number: int) -> str:
    """局务会纪要〔2026〕3号 · 决定2 — a document reference, the same in every
    language of the interface (it is stored in citations as it was given)."""
    if not minutes_ref:
        return ""
    return f"{minutes_ref} · 决定{number}"
