"""Who may see what at the service windows, the catalogue in force, who is at
which window, and the queue of one officer.

- the director and administrators (`sees_everyone`) see every window, its log
  and matters;
- a window's A and B posts see their window's log and matters (SVC-4: B keeps A's
  matters when A is away);
- a leader sees the windows whose posts are in their charge (bureau.scoping:
  unit head → the unit, deputy in charge → theirs);
- a hand-off's receiver and an asked leader see that entry and its matter.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from bureau.access import person_of
from bureau.models import Person, Position, Role
from bureau.scoping import in_charge_q, sees_everyone
from deadlines.models import Deadline
from deadlines.selectors import deadlines_visible_to
from meetings.absences import absences_on
from window import rules
from window.models import (
    COMMITTED_DEADLINE,
    Appointment,
    Commitment,
    Complaint,
    Contact,
    Material,
    Matter,
    Receipt,
    Service,
    ServiceVersion,
    Slip,
    Window,
)

LEADER_POSITIONS = (
    Position.DIRECTOR,
    Position.DEPUTY,
    Position.SECTION_HEAD,
    Position.UNIT_HEAD,
)


def part_of(moment: datetime.datetime) -> str:
    """The half day of a moment in the bureau's time: "am" before noon."""
    return "am" if timezone.localtime(moment).hour < 12 else "pm"


# --- windows ---------------------------------------------------------------------------


def windows_of(person) -> QuerySet[Window]:
    """The open windows where `person` holds the A or the B post."""
    if person is None:
        return Window.objects.none()
    return Window.objects.filter(
        Q(post_a=person) | Q(post_b=person), is_active=True
    ).select_related("post_a", "post_b", "unit")


def windows_visible_to(user, on: datetime.date | None = None) -> QuerySet[Window]:
    if sees_everyone(user):
        return Window.objects.all()
    person = person_of(user)
    if person is None:
        return Window.objects.none()
    return Window.objects.filter(
        Q(post_a=person)
        | Q(post_b=person)
        | in_charge_q(user, on=on, prefix="post_a__")
        | in_charge_q(user, on=on, prefix="post_b__")
    )


def is_window_staff(user) -> bool:
    person = person_of(user)
    return person is not None and windows_of(person).exists()


def sees_windows(user) -> bool:
    """The menu entry and the home panel: window staff, and whoever oversees a
    window. One query per request (remembered on the user)."""
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_window_sees", None)
    if cached is None:
        cached = windows_visible_to(user).exists()
        user._window_sees = cached
    return cached


# --- the log and matters ---------------------------------------------------------------


def contacts_visible_to(user, on: datetime.date | None = None) -> QuerySet[Contact]:
    if sees_everyone(user):
        return Contact.objects.all()
    person = person_of(user)
    if person is None:
        return Contact.objects.none()
    return Contact.objects.filter(
        Q(window__in=windows_visible_to(user, on).values("pk"))
        | Q(received_by=person)
        | Q(handed_to=person)
        | Q(leader=person)
    )


def matters_visible_to(user, on: datetime.date | None = None) -> QuerySet[Matter]:
    if sees_everyone(user):
        return Matter.objects.all()
    person = person_of(user)
    if person is None:
        return Matter.objects.none()
    reached = Contact.objects.filter(
        Q(handed_to=person) | Q(leader=person), matter__isnull=False
    ).values("matter_id")
    return Matter.objects.filter(
        Q(window__in=windows_visible_to(user, on).values("pk"))
        | Q(owner=person)
        | Q(pk__in=reached)
    )


def slips_visible_to(user) -> QuerySet[Slip]:
    return Slip.objects.filter(matter__in=matters_visible_to(user).values("pk"))


def receipts_visible_to(user) -> QuerySet[Receipt]:
    return Receipt.objects.filter(matter__in=matters_visible_to(user).values("pk"))


def with_details(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    return contacts.select_related(
        "window", "received_by", "service", "handed_to", "leader", "matter"
    )


# --- the catalogue ---------------------------------------------------------------------


def version_in_force(service_id: int, on: datetime.date) -> ServiceVersion | None:
    """SVC-2: the catalogue version of a service in force on `on` (one query)."""
    return (
        ServiceVersion.objects.filter(service_id=service_id, effective_from__lte=on)
        .select_related("service", "window")
        .order_by("-effective_from")
        .first()
    )


def catalogue_in_force(on: datetime.date) -> list[ServiceVersion]:
    """Every offered service with the version in force on `on` and its materials,
    in catalogue order (two queries)."""
    versions = ServiceVersion.objects.filter(
        effective_from__lte=on, service__is_active=True
    ).order_by("service__order", "service__name", "-effective_from")
    chosen, seen = [], set()
    for pk, service_id in versions.values_list("pk", "service_id"):
        if service_id not in seen:
            seen.add(service_id)
            chosen.append(pk)
    return list(
        versions.filter(pk__in=chosen)
        .select_related("service", "window")
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("order", "pk"))
        )
    )


def services_offered() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True)


def leaders() -> QuerySet[Person]:
    """Who a window may ask when a matter is unclear (SVC-1)."""
    return Person.objects.filter(is_active=True, position__in=LEADER_POSITIONS)


# --- who is at which window (SVC-4) -----------------------------------------------------


def away_at(person_ids, day: datetime.date, part: str) -> dict[int, str]:
    """{person_id: reason} of the people away on `day` (`part`): approved leave and
    going out, through the absence providers (meetings.absences)."""
    return absences_on(person_ids, day, part)


def staffing(windows, day: datetime.date, part: str) -> dict[int, dict]:
    """{window_id: {"away": {person_id: reason}, "stand_ins": {..}|None}} for the
    windows given; "stand_ins" is None when neither post is present. One call to
    the absence providers for all windows."""
    windows = list(windows)
    ids = {pid for w in windows for pid in (w.post_a_id, w.post_b_id)}
    away = away_at(ids, day, part)
    found = {}
    for w in windows:
        here = {pid: away[pid] for pid in (w.post_a_id, w.post_b_id) if pid in away}
        found[w.pk] = {
            "away": here,
            "stand_ins": rules.stand_ins(
                post_a=w.post_a_id, post_b=w.post_b_id, away=here
            ),
        }
    return found


def unstaffed_windows(windows, day: datetime.date, part: str) -> list[Window]:
    """SVC-4: the windows with neither post present (only on working days: the
    caller asks on a working day)."""
    found = staffing(windows, day, part)
    return [w for w in windows if found[w.pk]["stand_ins"] is None]


# --- the queue of one officer -----------------------------------------------------------


OPEN = (Matter.Status.AWAITING, Matter.Status.ACCEPTED)


# How much of each list the queue shows (the rest: the next page, the log).
MATTERS_PER_PAGE = 50
LIST_SHOWN = 50
TODAY_SHOWN = 30


def queue_for(
    person, now: datetime.datetime, *, page=1, counts_only: bool = False
) -> dict:
    """What waits for `person` at their windows: their own open matters, those of
    the post they stand in for today (SVC-4, with the banner), hand-offs to take
    (首接), questions to answer (as a leader) and today's log. A constant number
    of queries and a bounded number of rows whatever the volume: the open matters
    a page of MATTERS_PER_PAGE at a time (with their count), the other lists
    their first rows. `counts_only` (the home panel): the banners and the counts,
    no list."""
    day, part = timezone.localtime(now).date(), part_of(now)
    windows = list(windows_of(person))
    staff = staffing(windows, day, part)
    standing_in = []
    principals = set()
    for w in windows:
        info = staff[w.pk]
        if info["stand_ins"] and person.pk in info["stand_ins"]:
            principal_id = info["stand_ins"][person.pk]
            principal = w.post_a if w.post_a_id == principal_id else w.post_b
            standing_in.append(
                {
                    "window": w,
                    "principal": principal,
                    "reason": info["away"][principal_id],
                }
            )
            principals.add((w.pk, principal_id))
    owners = Q(owner=person)
    for window_id, principal_id in principals:
        owners |= Q(window_id=window_id, owner_id=principal_id)
    open_matters = Matter.objects.filter(owners, status__in=OPEN)
    to_take = Contact.objects.filter(handed_to=person, taken_at__isnull=True)
    found = {
        "windows": windows,
        "staffing": staff,
        "standing_in": standing_in,
        "unstaffed": [w for w in windows if staff[w.pk]["stand_ins"] is None],
    }
    if counts_only:
        found["matter_count"] = open_matters.count()
        found["handoff_count"] = to_take.count()
        return found
    matter_page = Paginator(
        open_matters.select_related("service", "owner", "receipt").order_by(
            "opened_on", "pk"
        ),
        MATTERS_PER_PAGE,
    ).get_page(page)
    handoffs = list(with_details(to_take).order_by("received_at")[:LIST_SHOWN])
    questions = list(
        with_details(
            Contact.objects.filter(leader=person, answered_at__isnull=True)
        ).order_by("received_at")[:LIST_SHOWN]
    )
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    window_ids = [w.pk for w in windows]
    today = (
        list(
            Contact.objects.filter(window__in=window_ids, received_at__gte=start)
            .select_related("window", "received_by")
            .order_by("-received_at", "-pk")[:TODAY_SHOWN]
        )
        if windows
        else []
    )
    appointments = (
        list(
            Appointment.objects.filter(
                window__in=window_ids,
                day__lte=day,
                status=Appointment.Status.BOOKED,
            )
            .select_related("matter", "service", "window", "booked_by")
            .order_by("day", "part", "pk")[:LIST_SHOWN]
        )
        if windows
        else []
    )
    # Choice labels translated once per page, not once per row.
    _label_rows(matter_page, "status", Matter.Status.choices)
    _label_rows(today, "outcome", Contact.Outcome.choices)
    _label_rows(appointments, "part", Appointment._meta.get_field("part").choices)
    found.update(
        appointments=appointments,
        matters=list(matter_page),
        matter_page=matter_page,
        matter_count=matter_page.paginator.count,
        handoffs=handoffs,
        handoff_count=len(handoffs),
        questions=questions,
        today=today,
    )
    return found


def _label_rows(rows, field: str, choices) -> None:
    """Set `<field>_label` on each row from `choices`, each label translated once."""
    labels = {value: str(label) for value, label in choices}
    for row in rows:
        value = getattr(row, field)
        setattr(row, f"{field}_label", labels.get(value, value))


# --- SVC-5: commitments and complaints --------------------------------------------------


def published_commitments(on: datetime.date) -> QuerySet[Commitment]:
    return Commitment.objects.filter(is_published=True, effective_from__lte=on)


def sees_complaints(user) -> bool:
    """The inspector investigates every complaint; the director and the
    administrators see them too."""
    return sees_everyone(user, also={Role.DISCIPLINE_INSPECTOR})


def complaints_visible_to(user) -> QuerySet[Complaint]:
    if sees_complaints(user):
        return Complaint.objects.all()
    return Complaint.objects.none()


def missed_appointments() -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        status=Appointment.Status.MISSED_BY_BUREAU
    ).select_related("matter", "window")


# --- SVC-1: the committed date's clock ---------------------------------------------------


def committed_clock(matter: Matter, user):
    """The deadline engine's clock of an accepted matter's committed date, with its
    light today and whether `user` may open its page (the engine's scope): two
    queries; None when the matter has none (never accepted)."""
    clock = (
        Deadline.objects.filter(
            kind=COMMITTED_DEADLINE,
            content_type=ContentType.objects.get_for_model(Matter),
            object_id=matter.pk,
        )
        .select_related("responsible")
        .first()
    )
    if clock is None:
        return None
    clock.light = clock.light_on(timezone.localdate())
    clock.openable = deadlines_visible_to(user).filter(pk=clock.pk).exists()
    return clock
