"""The approval engine's records: a request for a decision on any subject, its steps,
and the notifications it sends.

A subject (a leave request, later a purchase, a repair, a document, a petition
extension) is linked generically (contenttypes), so the engine never changes when a
chapter starts routing through it. A subject may go through several approvals over
its life (a repair's second round, a returned draft): each is a numbered `round`, at
most one is pending, and the current one is the highest round.
"""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from approvals.chains import Action, ExternalRole, MeetingBody
from bureau.history_sql import plain_for_updates
from bureau.params import LONG_TEXT, validate_date_in_bounds
from bureau.resolver import relation_label


class ApprovalRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("subject type")
    )
    object_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("content_type", "object_id")
    round = models.PositiveSmallIntegerField(
        _("round"),
        default=1,
        help_text=_("1 for the first approval of the subject, 2 for the second, …"),
    )
    kind = models.CharField(
        _("kind"), max_length=40, help_text=_("e.g. leave, purchase, repair")
    )
    summary = models.CharField(_("summary"), max_length=200)
    requester = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="approval_requests",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    current_order = models.PositiveSmallIntegerField(
        _("current step"), null=True, blank=True
    )
    chain_policy_id = models.PositiveBigIntegerField(
        _("chain policy version"),
        null=True,
        blank=True,
        help_text=_("The policy version the chain was taken from."),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("decide_approvalrequest", _("Can decide approval steps")),
            ("record_external_approvalrequest", _("Can record county decisions")),
            ("record_meeting_approvalrequest", _("Can record meeting decisions")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "round"],
                name="one_approval_per_subject_round",
            ),
            # "The current one" is never ambiguous: one open approval at a time.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="pending"),
                name="one_open_approval_per_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["requester", "status"]),
            models.Index(
                fields=["-submitted_at", "-id"], name="approval_request_recent"
            ),
        ]

    def __str__(self):
        return self.summary

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING

    def current_step(self):
        """The step waiting for a decision (uses prefetched steps when present)."""
        if self.current_order is None:
            return None
        for step in self.steps.all():
            if step.order == self.current_order:
                return step
        return None


class ApprovalStep(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Not yet reached")
        PENDING = "pending", _("Waiting for a decision")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Not needed")

    class Decision(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        INFORMED = "informed", _("Informed")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    request = models.ForeignKey(
        ApprovalRequest,
        verbose_name=_("approval request"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    relation = models.CharField(
        _("relation"),
        max_length=40,
        blank=True,
        help_text=_("The relation resolved (or the meeting, for a meeting step)."),
    )
    external_role = models.CharField(
        _("county role"), max_length=30, choices=ExternalRole.choices, blank=True
    )
    approver = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_steps",
    )
    acting_for = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("acting for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("ORG-2: the approver stands in for this person."),
    )
    merged = models.CharField(
        _("merged steps"),
        max_length=100,
        blank=True,
        help_text=_("Relations of the steps that landed on the same person."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True, max_length=LONG_TEXT)
    reference = models.CharField(
        _("document reference"),
        max_length=100,
        blank=True,
        help_text=_("The county's document that carries an external decision."),
    )
    external_decided_on = models.DateField(
        _("county decision date"),
        null=True,
        blank=True,
        validators=[validate_date_in_bounds],
    )
    # The meeting step's citation of the decision as text (minutes and item, or a
    # link); `meeting_decision_ref` below is the decision itself.
    meeting_decision = models.CharField(
        _("meeting decision"),
        max_length=300,
        blank=True,
        help_text=_("The meeting decision cited: minutes number and item, or a link."),
    )
    # The decision cited, by its foreign key (meetings.Decision); the text above
    # keeps the citation as it was given (the decision's reference when chosen).
    meeting_decision_ref = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("meeting decision cited"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_steps",
    )
    meeting_held_on = models.DateField(_("meeting date"), null=True, blank=True)
    hook = models.CharField(
        _("step hook"),
        max_length=40,
        blank=True,
        help_text=_("What the subject's chapter does when this step is decided."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who entered the decision (the clerk for a county decision)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["request_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "order"], name="one_step_per_order"
            )
        ]
        indexes = [
            # "Waiting for me": one index range per approver.
            models.Index(fields=["approver", "status"], name="approval_step_inbox"),
            models.Index(
                fields=["action", "status"],
                name="approval_step_external",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.get_action_display()} {self.who}"

    @property
    def who(self) -> str:
        if self.external_role:
            return str(self.get_external_role_display())
        if self.action == Action.MEETING:
            return self.relation_label
        return str(self.approver) if self.approver_id else ""

    @property
    def relation_label(self) -> str:
        if self.external_role:
            return str(self.get_external_role_display())
        if self.action == Action.MEETING and self.relation in MeetingBody.values:
            return str(MeetingBody(self.relation).label)
        return relation_label(self.relation)


class ApprovalSubject(models.Model):
    """What a chapter's model gets by routing through the engine.

        class TripRequest(ApprovalSubject, models.Model):
            status = models.CharField(...)   # mirrors the current approval

    - `approvals`: every approval of the record, one per round;
    - `current_approval`: the highest round (from prefetched `approvals` when present);
    - `mirror_approval_outcome(approval, outcome)`: a ready `on_outcome` for
      `register_subject` that locks the record and copies the outcome into
      `approval_status_field` (through `approval_status_map` when the chapter's
      values differ from the engine's: pending, approved, refused, withdrawn).
    """

    approvals = GenericRelation("approvals.ApprovalRequest")

    approval_status_field = "status"
    approval_status_map: dict[str, str] = {}

    class Meta:
        abstract = True

    @plain_for_updates
    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            # Just created: its first approval needs no look-up of earlier rounds.
            self._no_approval_yet = True

    @property
    def current_approval(self):
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "approvals" in cache:
            return max(cache["approvals"], key=lambda a: a.round, default=None)
        return self.approvals.order_by("-round").first()

    @property
    def approval_is_open(self) -> bool:
        approval = self.current_approval
        return approval is not None and approval.is_open

    @classmethod
    def mirror_approval_outcome(cls, approval, outcome: str):
        """Lock the subject and take the outcome; returns (subject, changed)."""
        subject = cls._default_manager.select_for_update().get(pk=approval.object_id)
        value = cls.approval_status_map.get(outcome, outcome)
        field = cls.approval_status_field
        if getattr(subject, field) == value:
            return subject, False
        setattr(subject, field, value)
        subject.save(update_fields=[field])
        return subject, True


class Notification(models.Model):
    recipient = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    request = models.ForeignKey(
        ApprovalRequest,
        verbose_name=_("approval request"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class DigestSent(models.Model):
    """Done-marker of the daily digest: one per person and day (safe to run twice)."""

    recipient = models.ForeignKey(
        "bureau.Person", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    pending = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"], name="one_digest_a_day"
            )
        ]

    def __str__(self):
        return f"{self.recipient} {self.day}"
