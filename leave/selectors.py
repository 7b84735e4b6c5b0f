"""Who may see which leave requests; every list, admin page and form uses this.
And leave's other reads: balances, the printable form (LV-7), where leave is filed
and who files it (LV-10)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from approvals.models import ApprovalRequest, ApprovalStep
from approvals.selectors import subjects_reached
from bureau.access import is_administrator, person_of
from bureau.models import Person, Role
from bureau.policies import policy_value
from bureau.scoping import clerk_people_scope
from leave.models import (
    AnnualLeaveEntitlement,
    FiledWith,
    Half,
    LeaveRequest,
    LeaveType,
)


def with_chain(queryset: QuerySet) -> QuerySet:
    """Leave with its approval and steps, in a constant number of queries."""
    return queryset.select_related(
        "person", "person__section", "person__unit"
    ).prefetch_related(
        Prefetch(
            "approvals",
            queryset=ApprovalRequest.objects.prefetch_related(
                Prefetch(
                    "steps",
                    queryset=ApprovalStep.objects.select_related(
                        "approver", "acting_for", "decided_by"
                    ).order_by("order"),
                )
            ),
        )
    )


def leave_requests_visible_to(user, on: datetime.date | None = None) -> QuerySet:
    """- an administrator sees all;
    - a person sees their own leave and the leave whose approval reached them
      (approvals.selectors.subjects_reached — leave reads no "people in my charge":
      a section head sees the leave that reached them, not the section's);
    - an attendance clerk also sees the approved leave of the people they keep (to
      file it, LV-10): a unit clerk their units', the all-units clerk everyone's
      (bureau.scoping, as in attendance).
    """
    if is_administrator(user):
        return LeaveRequest.objects.all()
    person = person_of(user)
    if person is None:
        return LeaveRequest.objects.none()
    visible = Q(person=person) | Q(
        pk__in=subjects_reached(user, LeaveRequest, on=on, exclude_own=True)
    )
    if person.has_role(Role.ATTENDANCE_CLERK):
        visible |= Q(status=LeaveRequest.Status.APPROVED) & clerk_people_scope(
            user, "person__"
        )
    return LeaveRequest.objects.filter(visible)


def may_attach_to_leave(user, leave: LeaveRequest) -> bool:
    """Attachments (e.g. a sick note): the requester, while the request is pending.
    (Asked by attachments for a request the user already sees.)"""
    person = person_of(user)
    return (
        person is not None
        and leave.person_id == person.pk
        and leave.status == LeaveRequest.Status.PENDING
    )


def overlapping_requests(
    person,
    start_date: datetime.date,
    start_half: str,
    end_date: datetime.date,
    end_half: str,
) -> QuerySet:
    """Pending or approved leave of `person` (a Person, its pk or an OuterRef) that
    shares a half day with the period: a morning and an afternoon of one date do not
    overlap. A leave ends at its last session, shortened by an early return (LV-9).
    The same test as the exclusion constraint on PostgreSQL (leave migration 0005)."""
    return _overlapping(
        LeaveRequest.objects.filter(person=person),
        start_date,
        start_half,
        end_date,
        end_half,
    )


def _overlapping(queryset, start_date, start_half, end_date, end_half) -> QuerySet:
    starts_by_end = Q(start_date__lte=end_date)
    if end_half == Half.AM:
        starts_by_end = Q(start_date__lt=end_date) | Q(
            start_date=end_date, start_half=Half.AM
        )
    ends_from_start = Q(last_date__gte=start_date)
    if start_half == Half.PM:
        ends_from_start = Q(last_date__gt=start_date) | Q(
            last_date=start_date, last_half=Half.PM
        )
    return (
        queryset.filter(
            status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED],
        )
        .filter(starts_by_end)
        .annotate(
            last_date=Coalesce("actual_end_date", "end_date"),
            last_half=Case(
                When(actual_end_date__isnull=False, then=F("actual_end_half")),
                default=F("end_half"),
            ),
        )
        .filter(ends_from_start)
    )


def colleagues_away(leave: LeaveRequest) -> QuerySet:
    """Pending or approved leave of the others of the person's section (of their
    unit when they belong to no section) that shares a half day with `leave`: what
    the decider should know before letting one more go (the conflict warning)."""
    person = leave.person
    same = (
        Q(person__section_id=person.section_id)
        if person.section_id
        else Q(person__unit_id=person.unit_id, person__section__isnull=True)
    )
    return (
        _overlapping(
            LeaveRequest.objects.filter(same).exclude(person_id=person.pk),
            leave.start_date,
            leave.start_half,
            leave.end_date,
            leave.end_half,
        )
        .select_related("person")
        .order_by("start_date", "person__name")
    )


def other_leave_in_year(leave: LeaveRequest) -> QuerySet:
    """The person's other pending or approved leave starting in the year of `leave`."""
    return (
        LeaveRequest.objects.filter(
            person_id=leave.person_id,
            start_date__year=leave.start_date.year,
            status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED],
        )
        .exclude(pk=leave.pk)
        .order_by("start_date")
    )


def my_requests(person) -> QuerySet:
    return with_chain(LeaveRequest.objects.filter(person=person))


@dataclass(frozen=True)
class AnnualBalance:
    """A person's annual leave (年休假) for a year.

    `taken` counts approved annual leave starting in the year, by its working days
    (the days actually taken after an early return, LV-9); refused and withdrawn
    leave do not count. `requested` is pending annual leave: shown, and kept free
    when a new request is checked, but not taken off `remaining` until approved.
    """

    year: int
    entitlement: Decimal
    is_override: bool
    taken: Decimal
    requested: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.entitlement - self.taken

    @property
    def available(self) -> Decimal:
        """What a new request may still use: remaining minus pending requests."""
        return self.remaining - self.requested


def annual_annotations(year: int) -> dict:
    """Scalar subqueries over a Person queryset: the administrator's entitlement row
    (`annual_override`), approved annual days taken (the days actually taken after an
    early return, LV-9) and pending annual days requested, for leave starting in
    `year`. Refused and withdrawn leave are left out."""
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=6, decimal_places=1))

    def total(status, expression):
        return Coalesce(
            Subquery(
                LeaveRequest.objects.filter(
                    person=OuterRef("pk"),
                    leave_type=LeaveType.ANNUAL,
                    status=status,
                    start_date__year=year,
                )
                .values("person")
                .annotate(total=Sum(expression))
                .values("total")[:1]
            ),
            zero,
        )

    return {
        "annual_override": Subquery(
            AnnualLeaveEntitlement.objects.filter(
                person=OuterRef("pk"), year=year
            ).values("days")[:1]
        ),
        "annual_taken": total(
            LeaveRequest.Status.APPROVED, Coalesce("actual_days", "days")
        ),
        "annual_requested": total(LeaveRequest.Status.PENDING, "days"),
    }


def balance_from(row: dict, year: int) -> AnnualBalance:
    """An AnnualBalance from a row annotated with `annual_annotations(year)`; without
    an entitlement row the policy default in force on 1 January applies."""
    override = row["annual_override"]
    if override is None:
        default = policy_value("leave.annual_days_default", datetime.date(year, 1, 1))
        entitlement = Decimal(str(default))
    else:
        entitlement = Decimal(override)
    return AnnualBalance(
        year=year,
        entitlement=entitlement,
        is_override=override is not None,
        taken=Decimal(row["annual_taken"]),
        requested=Decimal(row["annual_requested"]),
    )


def annual_balance(person, year: int) -> AnnualBalance:
    """One query (the policy default is cached)."""
    row = (
        Person.objects.filter(pk=person.pk)
        .annotate(**annual_annotations(year))
        .values("annual_override", "annual_taken", "annual_requested")
        .get()
    )
    return balance_from(row, year)


FORM_OVER_DAYS = "leave.form_over_days"


def needs_form_for(days: Decimal, start_date: datetime.date) -> bool:
    """LV-7: leave longer than the policy's days needs the printable form."""
    limit = policy_value(FORM_OVER_DAYS, start_date)
    return days > Decimal(str(limit))


def needs_form(leave: LeaveRequest) -> bool:
    return needs_form_for(leave.days, leave.start_date)


def filing_place(person: Person) -> str:
    """LV-10: bureau leaders with the county organisation department, others with
    the attendance section."""
    if person.is_leader:
        return FiledWith.COUNTY_ORGANISATION
    return FiledWith.ATTENDANCE_SECTION


def can_file(user) -> bool:
    """An attendance clerk records filings (LV-10): the all-units clerk (综合股)
    everyone's, a unit clerk only their units' (leave_file checks the person)."""
    person = person_of(user)
    return person is not None and person.has_role(Role.ATTENDANCE_CLERK)
