""" "Why" page of a roster day's flags (bureau.why, DUTY-1): why this day was
flagged — nobody on duty, no leader on duty, or the person on duty (or the leader)
away that day — with the leave or going out that covers the day, the rule's text,
and the version of `duty.rotation` the roster was checked by (which says whether a
day with nobody is an error and whether a leader is required).

The page's id is the roster day's (`DutyDay`): a day's flags are stored on its
roster (`Roster.flags`, rows without an id of their own), and all of them are
explained on the day's page. Seen by whoever may see the roster
(`rosters_visible_to`); anyone else gets 404.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendance.excuses import excuses_for
from bureau.why import Judgement, register_why
from bureau.workdays import TZ
from duty import rules
from duty.models import DutyDay
from duty.policies import ROTATION
from duty.selectors import rosters_visible_to
from duty.services import flag_text

FLAG = "duty.flag"
# How far either side of the day the page looks for where a leave begins and ends.
SPAN = datetime.timedelta(days=62)
AWAY = {rules.ON_LEAVE, rules.LEADER_ON_LEAVE}


def _part(part: str) -> str:
    return _("morning") if part == "am" else _("afternoon")


def _away(excuses: dict, person_id: int, day: datetime.date) -> list[str]:
    """What covers `day` for the person, in words: each leave or going out with
    the half days it runs from and to (within SPAN of the day)."""
    sources: dict[tuple[str, int], list] = {}
    for (pid, date, part), excuse in excuses.items():
        if pid == person_id:
            sources.setdefault((excuse.source_app, excuse.source_id), []).append(
                (date, part, excuse)
            )
    found = []
    for covered in sources.values():
        if not any(date == day for date, _part_, _excuse in covered):
            continue
        covered.sort(key=lambda entry: (entry[0], entry[1]))
        (first, first_part, excuse), (last, last_part, _e) = covered[0], covered[-1]
        text = _(
            "%(what)s, from %(first)s %(first_part)s to %(last)s %(last_part)s"
        ) % {
            "what": excuse.label,
            "first": first.isoformat(),
            "first_part": _part(first_part),
            "last": last.isoformat(),
            "last_part": _part(last_part),
        }
        if excuse.until is not None:
            text += _("; expected back at %(time)s") % {
                "time": excuse.until.astimezone(TZ).strftime("%H:%M")
            }
        found.append(text)
    return found


def resolve(user, object_id: int, params) -> Judgement | None:
    day = (
        DutyDay.objects.select_related("roster", "roster__unit", "leader")
        .filter(pk=object_id, roster__in=rosters_visible_to(user))
        .first()
    )
    if day is None:
        return None
    roster = day.roster
    people = [
        (a.person_id, a.person.name)
        for a in day.assignments.select_related("person").order_by("slot")
    ]
    if day.leader_id:
        people.append((day.leader_id, day.leader.name))
    flags = [row for row in roster.flags if row["date"] == day.date.isoformat()]
    facts = [
        (_("Roster"), f"{roster.title} · {roster.unit.name}"),
        (_("Date"), day.date.isoformat()),
        (
            _("On duty"),
            "、".join(name for pk, name in people if pk != day.leader_id)
            or _("nobody"),
        ),
    ]
    if roster.needs_leader:
        facts.append((_("Leader on duty"), day.leader.name if day.leader_id else "—"))
    for row in flags:
        facts.append((_("Flagged"), flag_text(row)))
    if not flags:
        facts.append((_("Flagged"), _("Not flagged now.")))
    if any(row["code"] in AWAY for row in flags) and people:
        excuses = excuses_for(
            [pk for pk, _name in people], day.date - SPAN, day.date + SPAN
        )
        for pk, name in people:
            covering = _away(excuses, pk, day.date)
            facts.append(
                (
                    _("Leave or going out of %(name)s") % {"name": name},
                    "; ".join(covering)
                    or _(
                        "nothing covers the day now (the flag goes at the next check)"
                    ),
                )
            )
    return Judgement(
        title=_("Duty flag: %(date)s, %(roster)s")
        % {"date": day.date.isoformat(), "roster": roster.title},
        person=", ".join(
            name for _pk, name in people if any(r.get("name") == name for r in flags)
        )
        or roster.unit.name,
        date=roster.starts_on,
        rules=["DUTY-1"],
        versions={ROTATION: roster.rotation_policy_id},
        facts=facts,
        back_url=reverse("duty:roster", args=[roster.pk]),
        note=_(
            "A day is flagged when nobody is on duty, when a holiday or event roster "
            "has no leader on duty, or when the person on duty or the leader is on "
            "leave or out that day, in the morning or the afternoon. The flag is a "
            "warning to the roster's keeper: the person stays on the roster until "
            "the keeper changes the day or a swap is recorded."
        ),
    )


def register() -> None:
    register_why(FLAG, gettext_lazy("flag of a duty roster day"), resolve)
