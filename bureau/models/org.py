"""The organisation (ORG-1, ORG-2): units, sections, people and who is in charge.

The organisation's name and document code are data, so the same rulebook shape serves
any county organ.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from bureau import org_changes
from bureau.params import validate_date_in_bounds


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    doc_code = models.CharField(
        _("document code"),
        max_length=20,
        help_text=_("The organ's code in document numbers (機關代字), e.g. 惠計生."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first()


class Unit(models.Model):
    """The bureau organ (局機關) or one of its subordinate units (下屬單位)."""

    class Kind(models.TextChoices):
        ORGAN = "organ", _("Bureau organ")
        SUBORDINATE = "subordinate", _("Subordinate unit")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    head = models.ForeignKey(
        "Person",
        verbose_name=_("unit head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
    )
    deputy_in_charge = models.ForeignKey(
        "Person",
        verbose_name=_("deputy in charge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units_in_charge",
        help_text=_("The bureau leader in charge of this unit (分管領導)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Section(models.Model):
    """A section (股室) of the bureau organ."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="sections"
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    is_comprehensive = models.BooleanField(
        _("comprehensive section"),
        default=False,
        help_text=_(
            "The comprehensive section (綜合股) keeps attendance, dispatches vehicles "
            "and numbers documents."
        ),
    )
    head = models.ForeignKey(
        "Person",
        verbose_name=_("section head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_sections",
    )
    deputy_in_charge = models.ForeignKey(
        "Person",
        verbose_name=_("deputy in charge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sections_in_charge",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Position(models.TextChoices):
    """A person's place in the hierarchy: the rules' chains depend on it."""

    DIRECTOR = "director", _("Director")
    DEPUTY = "deputy", _("Deputy director")
    SECTION_HEAD = "section_head", _("Section head")
    SECTION_STAFF = "section_staff", _("Section staff")
    UNIT_HEAD = "unit_head", _("Unit head")
    UNIT_STAFF = "unit_staff", _("Unit staff")


LEADER_POSITIONS = {Position.DIRECTOR, Position.DEPUTY}
MIDDLE_AND_ABOVE = {
    Position.DIRECTOR,
    Position.DEPUTY,
    Position.SECTION_HEAD,
    Position.UNIT_HEAD,
}


class Role(models.TextChoices):
    """Roles the rules depend on (ORG-1). Each is a Django group of the same name.

    The first six follow from a person's position and are kept in step with it;
    the others are duties an administrator grants.
    """

    BUREAU_STAFF = "bureau_staff", _("Bureau staff")
    SECTION_HEAD = "section_head", _("Section head")
    DEPUTY = "deputy", _("Deputy director")
    DIRECTOR = "director", _("Director")
    UNIT_HEAD = "unit_head", _("Unit head")
    UNIT_STAFF = "unit_staff", _("Unit staff")
    DRIVER = "driver", _("Driver")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    ATTENDANCE_CLERK = "attendance_clerk", _("Attendance clerk")
    PETITION_OFFICER = "petition_officer", _("Petition officer")
    DOCUMENT_CLERK = "document_clerk", _("Document clerk")
    DISCIPLINE_INSPECTOR = "discipline_inspector", _("Discipline inspector")
    ADMINISTRATOR = "administrator", _("Administrator")


POSITION_ROLE = {
    Position.DIRECTOR: Role.DIRECTOR,
    Position.DEPUTY: Role.DEPUTY,
    Position.SECTION_HEAD: Role.SECTION_HEAD,
    Position.SECTION_STAFF: Role.BUREAU_STAFF,
    Position.UNIT_HEAD: Role.UNIT_HEAD,
    Position.UNIT_STAFF: Role.UNIT_STAFF,
}
POSITION_ROLES = set(POSITION_ROLE.values())
DUTY_ROLES = set(Role) - POSITION_ROLES
# Roles that work in the admin site (is_staff): deciders, clerks and the inspector.
ADMIN_ROLES = {
    Role.SECTION_HEAD,
    Role.DEPUTY,
    Role.DIRECTOR,
    Role.UNIT_HEAD,
    Role.FINANCE_OFFICER,
    Role.ATTENDANCE_CLERK,
    Role.PETITION_OFFICER,
    Role.DOCUMENT_CLERK,
    Role.DISCIPLINE_INSPECTOR,
    Role.ADMINISTRATOR,
}


class StaffCategory(models.TextChoices):
    """Civil servants and public-institution staff are graded on different scales."""

    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution staff")


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Person(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.PROTECT,
        related_name="person",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=50)
    employee_no = models.CharField(_("employee number"), max_length=20, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    title = models.CharField(
        pgettext_lazy("job title", "title"),
        max_length=50,
        blank=True,
        help_text=_("e.g. 副局長, 主任科員"),
    )
    staff_category = models.CharField(
        _("staff category"),
        max_length=20,
        choices=StaffCategory.choices,
        default=StaffCategory.CIVIL_SERVANT,
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email_notifications = models.BooleanField(
        _("notifications by e-mail"),
        default=True,
        help_text=_("Also send the in-app notifications to the login's e-mail."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit__order", "section__order", "employee_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(position="director", is_active=True),
                name="one_active_director",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Inside: bureau.roles is built on this module's Role and Position.
        from bureau.roles import sync_person_roles

        sync_person_roles(self)
        # A change of unit, section or post, or leaving: the chapters hear of it
        # after commit (bureau.org_changes; FIN-1's handover list).
        after = org_changes.place_of(self)
        org_changes.announce(self.pk, getattr(self, "_org_before", None), after)
        self._org_before = after

    def get_absolute_url(self):
        return reverse("admin:bureau_person_change", args=[self.pk])

    def clean(self):
        if self.section_id and self.section.unit_id != self.unit_id:
            raise ValidationError(
                {"section": _("The section belongs to another unit.")}
            )
        in_section = {Position.SECTION_HEAD, Position.SECTION_STAFF}
        if self.position in in_section and not self.section_id:
            raise ValidationError({"section": _("Section staff need a section.")})
        if self.position in {Position.UNIT_HEAD, Position.UNIT_STAFF} and (
            self.unit_id and self.unit.kind != Unit.Kind.SUBORDINATE
        ):
            raise ValidationError(
                {"unit": _("Unit heads and unit staff belong to a subordinate unit.")}
            )

    @property
    def is_leader(self) -> bool:
        return self.position in LEADER_POSITIONS

    @property
    def is_middle_level_or_above(self) -> bool:
        return self.position in MIDDLE_AND_ABOVE

    def role_names(self) -> set[str]:
        if self.user_id is None:
            return {POSITION_ROLE[Position(self.position)]}
        cached = getattr(self, "_role_names", None)
        if cached is None:
            user = self.user
            # The login's roles when read already this request (bureau.access,
            # bureau.backends): the groups are not read a second time.
            cached = getattr(user, "_bureau_roles", None)
            if cached is None:
                cached = set(user.groups.values_list("name", flat=True))
            self._role_names = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_names()

    @classmethod
    def from_db(cls, db, field_names, values):
        person = super().from_db(db, field_names, values)
        # Where the person stood when read: a save that moves them announces it.
        person._org_before = (
            org_changes.place_of(person)
            if {"unit_id", "section_id", "position", "is_active"} <= set(field_names)
            else None
        )
        return person


class ActingAssignment(models.Model):
    """ORG-2: while `principal` is away, `stand_in` decides in their place."""

    principal = models.ForeignKey(
        Person,
        verbose_name=_("principal"),
        on_delete=models.CASCADE,
        related_name="acting_assignments",
    )
    stand_in = models.ForeignKey(
        Person,
        verbose_name=_("stand-in"),
        on_delete=models.CASCADE,
        related_name="stand_in_assignments",
    )
    starts_on = models.DateField(_("starts on"), validators=[validate_date_in_bounds])
    ends_on = models.DateField(_("ends on"), validators=[validate_date_in_bounds])
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acting assignment")
        verbose_name_plural = _("acting assignments")
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["principal", "starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="acting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(principal=models.F("stand_in")),
                name="acting_not_self",
            ),
        ]

    def __str__(self):
        return _("%(stand_in)s acting for %(principal)s, %(start)s–%(end)s") % {
            "stand_in": self.stand_in,
            "principal": self.principal,
            "start": self.starts_on,
            "end": self.ends_on,
        }

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end is before the start.")})
        if self.principal_id and self.principal_id == self.stand_in_id:
            raise ValidationError({"stand_in": _("Nobody stands in for themself.")})


class ClerkAssignment(models.Model):
    """ "The clerk their units": an attendance clerk with assignments keeps only
    those units' attendance and leave; a clerk with none keeps every unit (the
    comprehensive section's clerk keeps the whole bureau's). Read through
    bureau.scoping, by every chapter that scopes clerks.

    Moved from attendance (state only): the tables keep their names."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("attendance clerk"),
        on_delete=models.PROTECT,
        related_name="clerk_assignments",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(table_name="attendance_historicalclerkassignment")

    class Meta:
        db_table = "attendance_clerkassignment"
        verbose_name = _("clerk's unit")
        verbose_name_plural = _("clerks' units")
        ordering = ["person_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit"], name="one_clerk_assignment_per_unit"
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.unit}"
