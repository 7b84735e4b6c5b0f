"""Who may see what in finance: every page, admin list, export and attachment
download goes through these."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from approvals.models import ApprovalRequest, ApprovalStep
from approvals.selectors import subjects_reached, waiting_for
from bureau.access import has_role, person_of
from bureau.models import Person, Role
from bureau.scoping import in_charge_q, sees_everyone
from bureau.workdays import TZ
from finance.models import (
    Asset,
    Batch,
    Claim,
    CustodyEntry,
    Handover,
    Reception,
    Spending,
    Statement,
)


def is_finance_officer(user) -> bool:
    return has_role(user, Role.FINANCE_OFFICER)


def sees_all_finance(user) -> bool:
    """The director, the administrator and the finance officer (who checks and pays
    every claim) see every finance record."""
    return sees_everyone(user, also=[Role.FINANCE_OFFICER])


def with_chain(queryset: QuerySet) -> QuerySet:
    """Records with their approval rounds and steps, in a constant number of queries."""
    return queryset.prefetch_related(
        Prefetch(
            "approvals",
            queryset=ApprovalRequest.objects.prefetch_related(
                Prefetch(
                    "steps",
                    queryset=ApprovalStep.objects.select_related(
                        "approver", "acting_for", "decided_by", "meeting_decision_ref"
                    ).order_by("order"),
                )
            ),
        )
    )


def claims_visible_to(user, on: datetime.date | None = None) -> QuerySet:
    """- the director, an administrator and the finance officer see all claims;
    - a person their own claims (as claimant), those whose approval reached them,
      and the claims of the people in their charge (section head → section, unit
      head → unit, deputy → sections and units in charge)."""
    if sees_all_finance(user):
        return Claim.objects.all()
    person = person_of(user)
    if person is None:
        return Claim.objects.none()
    return Claim.objects.filter(
        Q(claimant=person)
        | Q(pk__in=subjects_reached(user, Claim, on=on, exclude_own=True))
        | in_charge_q(user, on=on, prefix="claimant__")
    )


def may_attach_to_claim(user, claim) -> bool:
    """The claimant adds vouchers while the claim can still change."""
    person = person_of(user)
    return person is not None and claim.claimant_id == person.pk and claim.is_editable


def spendings_visible_to(user, on: datetime.date | None = None) -> QuerySet:
    """As claims; the document clerk also sees the requests waiting for a meeting's
    or the county's decision (through the engine's scope)."""
    if sees_all_finance(user):
        return Spending.objects.all()
    person = person_of(user)
    if person is None:
        return Spending.objects.none()
    return Spending.objects.filter(
        Q(requester=person)
        | Q(pk__in=subjects_reached(user, Spending, on=on, exclude_own=True))
        | in_charge_q(user, on=on, prefix="requester__")
    )


def may_attach_to_spending(user, spending) -> bool:
    person = person_of(user)
    return (
        person is not None
        and spending.requester_id == person.pk
        and spending.status == Spending.Status.PENDING
    )


def batches_visible_to(user) -> QuerySet:
    if sees_all_finance(user):
        return Batch.objects.all()
    return Batch.objects.none()


def with_custody(queryset: QuerySet) -> QuerySet:
    """Assets with their current custodian and place: those of the latest ledger
    entry (FIN-1: derived, never typed on the asset)."""
    last = CustodyEntry.objects.filter(asset=OuterRef("pk")).order_by("-pk")
    return queryset.annotate(
        current_custodian_id=Subquery(last.values("custodian_id")[:1]),
        current_place=Subquery(last.values("place")[:1]),
    )


def assets_visible_to(user, on: datetime.date | None = None) -> QuerySet:
    """The finance officer, the director and the administrator see every asset; a
    person the assets they hold and those held by the people in their charge."""
    assets = with_custody(Asset.objects.all())
    if sees_all_finance(user):
        return assets
    person = person_of(user)
    if person is None:
        return Asset.objects.none()
    in_charge = Person.objects.filter(in_charge_q(user, on=on)).values("pk")
    return assets.filter(
        Q(current_custodian_id=person.pk) | Q(current_custodian_id__in=in_charge)
    )


def handovers_visible_to(user) -> QuerySet:
    if sees_all_finance(user):
        return Handover.objects.all()
    person = person_of(user)
    if person is None:
        return Handover.objects.none()
    return Handover.objects.filter(Q(from_person=person) | Q(to_person=person))


def waiting_for_me(user, model, on: datetime.date) -> QuerySet:
    """Records of `model` whose current step waits for this user (as approver or
    today's stand-in)."""
    person = person_of(user)
    if person is None:
        return model.objects.none()
    waiting = waiting_for(person, on).filter(
        content_type=ContentType.objects.get_for_model(model)
    )
    return model.objects.filter(pk__in=waiting.values("object_id"))


def holders_who_left() -> QuerySet:
    """FIN-1: people no longer active who still hold fixed assets — their handover
    list is due (shown to the finance officer)."""
    held = with_custody(Asset.objects.all()).values("current_custodian_id")
    return Person.objects.filter(is_active=False, pk__in=held).order_by("name")


def receptions_visible_to(user, on: datetime.date | None = None) -> QuerySet:
    """FIN-9, as claims: the director, the administrator and the finance officer all;
    a person their own forms, those whose approval reached them, those they are a
    named companion of, and those of the people in their charge."""
    if sees_all_finance(user):
        return Reception.objects.all()
    person = person_of(user)
    if person is None:
        return Reception.objects.none()
    accompanied = Reception.companions.through.objects.filter(
        person_id=person.pk
    ).values("reception_id")
    return Reception.objects.filter(
        Q(requester=person)
        | Q(pk__in=accompanied)
        | Q(pk__in=subjects_reached(user, Reception, on=on, exclude_own=True))
        | in_charge_q(user, on=on, prefix="requester__")
    )


def may_attach_to_reception(user, reception) -> bool:
    """The requester attaches the sending unit's letter while the form waits."""
    person = person_of(user)
    return (
        person is not None
        and reception.requester_id == person.pk
        and reception.status == Reception.Status.PENDING
    )


def statements_visible_to(user) -> QuerySet:
    """FIN-7: the finance officer, the director and the administrator see every
    statement; a unit head only the statements sent to their unit."""
    if sees_all_finance(user):
        return Statement.objects.all()
    person = person_of(user)
    if person is None:
        return Statement.objects.none()
    return Statement.objects.filter(unit__head=person, sent_at__isnull=False)


def statement_claims(statement) -> QuerySet:
    """FIN-7: the claims paid in the statement's month by people of its unit (the
    lines of its 'claims paid')."""
    start = datetime.datetime.combine(statement.month, datetime.time(), tzinfo=TZ)
    end_month = (statement.month + datetime.timedelta(days=32)).replace(day=1)
    end = datetime.datetime.combine(end_month, datetime.time(), tzinfo=TZ)
    return (
        Claim.objects.filter(
            status=Claim.Status.PAID,
            paid_at__gte=start,
            paid_at__lt=end,
            claimant__unit_id=statement.unit_id,
        )
        .select_related("claimant")
        .order_by("paid_at", "pk")
    )
