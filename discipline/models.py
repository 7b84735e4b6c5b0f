from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bureau.params import (
    EVIDENCE_TEXT,
    LONG_TEXT,
    validate_date_in_bounds,
    validate_year_in_bounds,
)
from discipline import registry, rules


class Grade(models.TextChoices):
    """Year-end appraisal grades, best first (DIS-6). Labels depend on the scale."""

    EXCELLENT = rules.EXCELLENT, _("Excellent")
    COMPETENT = rules.COMPETENT, _("Competent")
    BASIC = rules.BASIC, _("Basically competent")
    UNFIT = rules.UNFIT, _("Incompetent")


# DIS-6 Reading: public-institution staff are graded on their own scale, rank for rank.
SCALES = {
    "civil_servant": {
        rules.EXCELLENT: pgettext_lazy("civil servant grade", "Excellent"),
        rules.COMPETENT: pgettext_lazy("civil servant grade", "Competent"),
        rules.BASIC: pgettext_lazy("civil servant grade", "Basically competent"),
        rules.UNFIT: pgettext_lazy("civil servant grade", "Incompetent"),
    },
    "public_institution": {
        rules.EXCELLENT: pgettext_lazy("public institution grade", "Excellent"),
        rules.COMPETENT: pgettext_lazy("public institution grade", "Qualified"),
        rules.BASIC: pgettext_lazy("public institution grade", "Basically qualified"),
        rules.UNFIT: pgettext_lazy("public institution grade", "Unqualified"),
    },
}


def grade_label(grade: str | None, staff_category: str) -> str:
    if not grade:
        return ""
    scale = SCALES.get(staff_category, SCALES["civil_servant"])
    return str(scale[grade])


def cap_label(cap_rank: int | None, staff_category: str) -> str:
    if not cap_rank:
        return str(_("No cap"))
    return grade_label(rules.GRADE_OF_RANK[cap_rank], staff_category)


class Violation(models.Model):
    """One breach of a rule by one person, from any chapter (DIS, ATT-11)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    occurred_on = models.DateField(
        _("occurred on"), validators=[validate_date_in_bounds]
    )
    # No `choices`: the kinds are registered by the chapters (discipline.registry),
    # so a new kind needs no migration; clean() and the service check the registry.
    kind = models.CharField(_("kind"), max_length=60)
    ladder = models.CharField(_("ladder"), max_length=40, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPHELD
    )
    ladder_step = models.PositiveSmallIntegerField(
        _("ladder step"),
        null=True,
        blank=True,
        help_text=_("Which count of its ladder this violation is in its year."),
    )
    days = models.DecimalField(
        _("days"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Days of absence this violation stands for, where it matters."),
    )
    evidence = models.TextField(_("evidence"), blank=True, max_length=EVIDENCE_TEXT)
    # DIS-5: the bureau affairs meeting's decision, cited by its foreign key.
    meeting_decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("meeting decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violations",
        help_text=_("The bureau affairs meeting's decision (DIS-5)."),
    )
    # Before decisions were records, the reference was typed: kept as it was, to read.
    reference = models.CharField(
        _("former decision reference (text)"),
        max_length=120,
        blank=True,
        help_text=_(
            "The reference as it was typed before meeting decisions were linked; "
            "kept for reading."
        ),
    )
    source_type = models.ForeignKey(
        ContentType,
        verbose_name=_("source record type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    source_id = models.PositiveBigIntegerField(
        _("source record number"), null=True, blank=True
    )
    source = GenericForeignKey("source_type", "source_id")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(
        _("decision note"), blank=True, max_length=LONG_TEXT
    )
    apology_made_on = models.DateField(
        _("apology made on"),
        null=True,
        blank=True,
        validators=[validate_date_in_bounds],
    )
    apology_note = models.CharField(_("apology"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["person", "occurred_on"]),
            models.Index(fields=["occurred_on", "status"]),
        ]
        constraints = [
            # One violation per kind per source record: a task run twice adds nothing.
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="one_violation_per_source_and_kind",
            )
        ]
        permissions = [
            ("decide_violation", _("Can uphold or dismiss a violation")),
        ]

    def __str__(self):
        return f"{self.person} {self.occurred_on} {self.kind_label}"

    def clean(self):
        super().clean()
        definition = registry.find_kind(self.kind)
        if definition is None:
            raise ValidationError({"kind": _("Unknown kind of violation.")})
        if self.ladder != definition.ladder:
            raise ValidationError(
                {"ladder": _("The ladder is the one the kind is registered on.")}
            )

    @property
    def kind_definition(self):
        return registry.find_kind(self.kind)

    @property
    def kind_label(self) -> str:
        return registry.label_of(self.kind)

    @property
    def rule(self) -> str:
        definition = self.kind_definition
        return definition.rule if definition else ""

    @property
    def apology_required(self) -> bool:
        definition = self.kind_definition
        return bool(definition and definition.apology_required)


class Outcome(models.Model):
    """What a violation led to: produced by the ladders, tied to its violation."""

    class Kind(models.TextChoices):
        CRITICISM = rules.CRITICISM, _("Criticism and education")
        SELF_EXAM_SECTION = (
            rules.SELF_EXAM_SECTION,
            _("Written self-examination in the section"),
        )
        SELF_EXAM_ALL_STAFF = (
            rules.SELF_EXAM_ALL_STAFF,
            _("Self-examination at the all-staff meeting"),
        )
        SELF_CRITICISM = rules.SELF_CRITICISM, _("Written self-criticism")
        ADMONITION = rules.ADMONITION, _("Admonition")
        EFFICIENCY_WARNING = rules.EFFICIENCY_WARNING, _("Efficiency warning")
        SANCTION_PROPOSAL = (
            rules.SANCTION_PROPOSAL,
            _("Proposal: administrative warning or heavier sanction"),
        )
        DISMISSAL_PROPOSAL = rules.DISMISSAL_PROPOSAL, _("Proposal: dismissal")
        GRADE_CAP = rules.GRADE_CAP, _("Year-end grade cap")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="discipline_outcomes",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    violation = models.ForeignKey(
        Violation,
        verbose_name=_("caused by"),
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    key = models.CharField(_("key"), max_length=80)
    kind = models.CharField(_("outcome"), max_length=30, choices=Kind.choices)
    rule = models.CharField(_("rule"), max_length=10)
    step = models.PositiveSmallIntegerField(_("count"))
    cap_rank = models.PositiveSmallIntegerField(_("grade cap rank"), null=True)
    policy_version_id = models.PositiveBigIntegerField(
        _("policy version"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE
    )
    withdrawn_by_hand = models.BooleanField(
        _("withdrawn by a revision"),
        default=False,
        help_text=_(
            "Withdrawn by the inspector with a reason: judging the year again "
            "does not bring it back."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.CharField(
        _("decision"),
        max_length=300,
        blank=True,
        help_text=_("What was decided or carried out, with its document reference."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["year", "violation__occurred_on", "pk"]
        indexes = [models.Index(fields=["year", "status", "person"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "key"],
                condition=models.Q(status="in_force"),
                name="one_outcome_in_force_per_key",
            )
        ]
        permissions = [
            ("decide_outcome", _("Can record or revise the decision on an outcome")),
        ]

    def __str__(self):
        return f"{self.person} {self.year} {self.get_kind_display()}"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    def cap_display(self) -> str:
        return cap_label(self.cap_rank, self.person.staff_category)


class OutcomeRevision(models.Model):
    """A recorded change of an outcome: the only way a decided outcome changes."""

    outcome = models.ForeignKey(
        Outcome,
        verbose_name=_("outcome"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    revised_at = models.DateTimeField(_("revised at"), auto_now_add=True)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system revised it (a violation was dismissed)."),
    )
    reason = models.TextField(_("reason"), max_length=LONG_TEXT)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("outcome revision")
        verbose_name_plural = _("outcome revisions")
        ordering = ["revised_at", "pk"]

    def __str__(self):
        return f"{self.outcome} @ {self.revised_at:%Y-%m-%d %H:%M}"


class Appraisal(models.Model):
    """The committee's year-end grade of one person (DIS-6), never above the cap."""

    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[validate_year_in_bounds]
    )
    final_grade = models.CharField(_("final grade"), max_length=20, choices=Grade)
    cap_rank = models.PositiveSmallIntegerField(
        _("cap when decided"), null=True, blank=True
    )
    note = models.TextField(_("committee note"), blank=True, max_length=LONG_TEXT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("year-end appraisal")
        verbose_name_plural = _("year-end appraisals")
        ordering = ["-year", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"], name="one_appraisal_per_person_year"
            )
        ]
        permissions = [("decide_appraisal", _("Can record the final grade"))]

    def __str__(self):
        return f"{self.person} {self.year}"

    @property
    def grade_display(self) -> str:
        return grade_label(self.final_grade, self.person.staff_category)


class WindowAppraisal(models.Model):
    """DIS-7: a township window worker's composite appraisal inputs for a year."""

    score_validators = [MinValueValidator(0), MaxValueValidator(100)]

    person = models.ForeignKey(
        "bureau.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="window_appraisals",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[validate_year_in_bounds]
    )
    window = models.CharField(
        _("service window"), max_length=100, help_text=_("Township and window.")
    )
    duties = models.TextField(
        _("role duties and yearly work"), blank=True, max_length=LONG_TEXT
    )
    attendance_note = models.TextField(
        _("attendance"), blank=True, max_length=LONG_TEXT
    )
    self_report = models.TextField(_("self-report"), max_length=EVIDENCE_TEXT)
    self_score = models.DecimalField(
        _("self-assessment score"),
        max_digits=4,
        decimal_places=1,
        validators=score_validators,
    )
    democratic_score = models.DecimalField(
        _("democratic rating"),
        max_digits=4,
        decimal_places=1,
        validators=score_validators,
    )
    peer_score = models.DecimalField(
        _("peer rating"), max_digits=4, decimal_places=1, validators=score_validators
    )
    composite_score = models.DecimalField(
        _("composite score"), max_digits=4, decimal_places=1, editable=False
    )
    suggested_grade = models.CharField(
        _("suggested grade"), max_length=20, choices=Grade, editable=False
    )
    policy_version_id = models.PositiveBigIntegerField(null=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("window appraisal")
        verbose_name_plural = _("window appraisals")
        ordering = ["-year", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"], name="one_window_appraisal_per_person_year"
            )
        ]

    def __str__(self):
        return f"{self.person} {self.year} {self.window}"
