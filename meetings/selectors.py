"""Who may see which items, meetings, minutes and decisions (MTG-1).

- the bureau leaders (director, deputies), the comprehensive section's head and
  the document clerk (who organise meetings and keep the minutes) and the
  administrator see everything;
- a section sees its own items (a unit outside the sections its own), and their
  decisions;
- whoever was at a meeting (attended, excused or absent) sees its minutes;
- the duties a kind of meeting names as its readers (the discipline inspector and
  the finance officer for the bureau affairs meeting) see that kind's minutes.

Every list, page, admin queryset and citation check goes through here.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from approvals.models import ApprovalStep
from approvals.selectors import approval_requests_visible_to
from bureau.access import has_role, is_administrator, person_of
from bureau.models import Person, Role, Section
from meetings.models import Attendance, Decision, Item, Meeting, MeetingKind

NOTHING = Q(pk__in=[])
SEES_ALL = (Role.DIRECTOR, Role.DEPUTY, Role.DOCUMENT_CLERK)


def _heads_comprehensive_section(user) -> bool:
    """The comprehensive section organises meetings (remembered on the user)."""
    cached = getattr(user, "_heads_comprehensive", None)
    if cached is None:
        person = person_of(user)
        cached = bool(
            person is not None
            and person.is_active
            and Section.objects.filter(head=person, is_comprehensive=True).exists()
        )
        if user is not None:
            user._heads_comprehensive = cached
    return cached


def keeps_minutes(user) -> bool:
    """Who plans meetings, sets agendas and records minutes: the comprehensive
    section (its head and the document clerk) and the administrator."""
    return (
        is_administrator(user)
        or has_role(user, Role.DOCUMENT_CLERK)
        or _heads_comprehensive_section(user)
    )


def sees_all(user) -> bool:
    return (
        is_administrator(user)
        or any(has_role(user, r) for r in SEES_ALL)
        or _heads_comprehensive_section(user)
    )


def _reader_kinds(user) -> list[int]:
    roles = [r for r in Role.values if has_role(user, r)]
    return [
        kind.pk
        for kind in MeetingKind.objects.only("pk", "readers")
        if set(kind.readers or ()) & set(roles)
    ]


def _own_items_q(person: Person, prefix: str = "") -> Q:
    """Items of the person's own section, or of their unit outside the sections."""
    # Membership, not charge: an item belongs to a section or unit, and everyone in
    # it sees it; leaders see all items (sees_all), so bureau.scoping adds nothing.
    if person.section_id:
        return Q(**{f"{prefix}section_id": person.section_id})
    return Q(**{f"{prefix}unit_id": person.unit_id, f"{prefix}section__isnull": True})


def meetings_visible_to(user) -> QuerySet[Meeting]:
    if sees_all(user):
        return Meeting.objects.all()
    person = person_of(user)
    if person is None:
        return Meeting.objects.none()
    scope = (
        Q(kind_id__in=_reader_kinds(user))
        | Q(pk__in=_attended(person))
        | Q(pk__in=Item.objects.filter(_own_items_q(person)).values("meeting_id"))
    )
    return Meeting.objects.filter(scope)


def _attended(person):
    return Attendance.objects.filter(person=person).values("meeting_id")


def items_visible_to(user) -> QuerySet[Item]:
    if sees_all(user):
        return Item.objects.all()
    person = person_of(user)
    if person is None:
        return Item.objects.none()
    scope = (
        _own_items_q(person)
        | Q(proposed_by=person)
        | Q(meeting__kind_id__in=_reader_kinds(user))
        | Q(meeting_id__in=_attended(person))
    )
    return Item.objects.filter(scope)


def decisions_visible_to(user) -> QuerySet[Decision]:
    if sees_all(user):
        return Decision.objects.all()
    person = person_of(user)
    if person is None:
        return Decision.objects.none()
    return Decision.objects.filter(item__in=items_visible_to(user).values("pk"))


class CitationRefused(Exception):
    """A decision that may not be cited here; the message is for the user."""


def decision_for_citation(decision, *, user=None, kind: str | None = None) -> Decision:
    """The decision a chapter is about to cite, checked: it exists, `user` may see
    it (None: the system records it, no scope) and, with `kind`, it is a decision of
    that kind of meeting. Raises CitationRefused with the user's message."""
    pk = getattr(decision, "pk", decision)
    queryset = Decision.objects.all() if user is None else decisions_visible_to(user)
    try:
        found = queryset.select_related("meeting__kind").get(pk=pk)
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise CitationRefused(
            _(
                "The meeting decision cited does not exist or is not yours to see: "
                "cite a decision from minutes you may read."
            )
        ) from None
    if kind is not None and found.meeting.kind.code != kind:
        expected = MeetingKind.objects.filter(code=kind).first()
        raise CitationRefused(
            _("Cite a decision of the %(kind)s.")
            % {"kind": expected.name if expected else kind}
        )
    return found


def citable_decisions(user, *, kind: str | None = None) -> QuerySet[Decision]:
    """Decisions `user` may cite (for a form's choices), newest first."""
    queryset = decisions_visible_to(user).select_related("meeting__kind")
    if kind is not None:
        queryset = queryset.filter(meeting__kind__code=kind)
    return queryset.order_by("-meeting__held_on", "-meeting_id", "number")


def items_to_schedule(kind=None) -> QuerySet[Item]:
    """Accepted items waiting for a meeting (the comprehensive section's list)."""
    queryset = Item.objects.filter(status=Item.Status.ACCEPTED)
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    return queryset.select_related("section", "unit", "kind")


def approval_steps_visible_to(user) -> QuerySet[ApprovalStep]:
    """Approval steps (the meeting steps citing a decision) of the requests `user`
    may see: the approval engine's own scope."""
    return ApprovalStep.objects.filter(
        request__in=approval_requests_visible_to(user).values("pk")
    )


def may_attach_to_item(user, item: Item) -> bool:
    """Materials (attachments) are added by the item's proposer while it is with
    the deputy in charge; after that the deputy decided on what was there.
    (Asked by attachments for an item the user already sees.)"""
    person = person_of(user)
    return (
        person is not None
        and item.proposed_by_id == person.pk
        and item.status == Item.Status.PROPOSED
    )


WITHDRAWABLE = (Item.Status.PROPOSED, Item.Status.ACCEPTED, Item.Status.SCHEDULED)


def may_withdraw(user, item: Item) -> bool:
    """The proposer takes an item back while no meeting has decided it: with the
    deputy in charge, accepted, or on a planned meeting's agenda."""
    person = person_of(user)
    return (
        person is not None
        and item.proposed_by_id == person.pk
        and item.status in WITHDRAWABLE
    )


def may_cancel(user, meeting: Meeting) -> bool:
    """Whoever organises meetings calls off a planned one."""
    return keeps_minutes(user) and meeting.status == Meeting.Status.PLANNED
