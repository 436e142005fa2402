"""Reporting rounds (报表填报): a period, each expected platform's return, its frozen figures.

A round (``ReportingPeriod``) is opened for a period and a zone (or every zone); it creates one
``PeriodReturn`` per expected platform (the zone's active platforms), so the board, the status
JSON and "M of N returns approved" read one table. A return's figures are computed from the
platform's records while it is a draft; submitting freezes them (``PeriodReturn`` figure
columns) together with the per-project rows they came from (``ReturnProjectRow``), so an
approved return states the same figures however the projects change afterwards. The rules of
the status (who submitted, who approved, the comment of a return) are named database
constraints as well as service checks, so no code path can write an inconsistent return.
Evidence files go through Django's storage API under this installation's MEDIA_ROOT and are
only ever served by an access-checked view.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from platforms.models import Platform, Zone
from tracker.validators import date_range_constraint

from .choices import (
    EDITABLE,
    FROZEN,
    SUBMITTED_ONCE,
    EvidenceType,
    PeriodKind,
    ReturnStatus,
    ReviewAction,
    RoundStatus,
)

# Bounds of the manual fields: far above any real platform, low enough to catch a slip.
MAX_HEADCOUNT = 1_000_000
MAX_INCUBATED = 100_000
FIGURE = {"max_digits": 20, "decimal_places": 2}


def _valid(field, choices):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}),
        name=f"%(app_label)s_%(class)s_{field}_valid",
        violation_error_message=_("Unknown value."),
    )


class ReportingPeriodQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RoundStatus.OPEN)


class ReportingPeriod(models.Model):
    """A reporting round: the period (code, first and last day), its due date and its zone.

    ``zone`` empty means every zone. The code is unique: it is the round's address
    (``/returns/2025/``) and the ``period`` of report URLs.
    """

    code = models.CharField(_("code"), max_length=7, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind)
    start_on = models.DateField(_("first day"))
    end_on = models.DateField(_("last day"))
    due_on = models.DateField(_("due date"))
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reporting_periods",
        help_text=_("Empty: every zone."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-end_on", "code"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            _valid("kind", PeriodKind),
            _valid("status", RoundStatus),
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("start_on")),
                name="%(app_label)s_%(class)s_due_after_start",
                violation_error_message=_("The due date cannot be before the period starts."),
            ),
            date_range_constraint("start_on"),
            date_range_constraint("end_on"),
            date_range_constraint("due_on"),
        ]

    def __str__(self):
        return self.code

    @property
    def platform_id(self):
        """The platform of the return, so that ``access.may_unmask`` reads a row as a project."""
        return self.period_return.platform_id

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class PeriodReturnQuerySet(models.QuerySet):
    def visible_to(self, user):
        from platforms import access

        return access.returns_visible_to(self, user)

    def approved(self):
        return self.filter(status=ReturnStatus.APPROVED)

    def open_for(self, user):
        """The user's own platforms' returns still to fill in, in open rounds, by due date."""
        from platforms import access

        return (
            access.own_returns(self, user)
            .filter(status__in=EDITABLE, period__status=RoundStatus.OPEN)
            .select_related("period", "platform")
            .order_by("period__due_on", "platform__name")
        )


class PeriodReturn(models.Model):
    """One platform's return for one round: status, manual fields, frozen figures, review.

    The figure columns are empty until the return is submitted; from then on they hold what
    the platform's records said at that moment (domain.md, "Period returns"), and the
    increments against ``baseline``, the platform's latest approved return ending before this
    period starts (the cumulative figures themselves when there is none).
    """

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("round"), on_delete=models.CASCADE, related_name="returns"
    )
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="returns"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReturnStatus, default=ReturnStatus.NOT_STARTED
    )
    # Manual fields (typed by the platform).
    grants = models.DecimalField(
        _("grants received (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Government grants (财政资助) received in the period; not financing."),
    )
    staff_headcount = models.PositiveIntegerField(
        _("staff headcount"), null=True, blank=True, help_text=_("On the period's last day.")
    )
    incubated_firms = models.PositiveIntegerField(
        _("incubated firms"), null=True, blank=True, help_text=_("Firms incubated in the period.")
    )
    explanation = models.TextField(_("explanation"), blank=True)
    # Frozen figures (domain.md, "Period returns").
    projects_cumulative = models.PositiveIntegerField(_("projects, cumulative"), null=True)
    projects_new = models.PositiveIntegerField(_("projects, new"), null=True)
    projects_active = models.PositiveIntegerField(_("projects, active"), null=True)
    enterprises_cumulative = models.PositiveIntegerField(_("enterprises, cumulative"), null=True)
    new_products_cumulative = models.PositiveIntegerField(_("new products, cumulative"), null=True)
    service_revenue_cumulative = models.DecimalField(
        _("service revenue, cumulative (yuan)"), null=True, **FIGURE
    )
    output_value_cumulative = models.DecimalField(
        _("output value, cumulative (yuan)"), null=True, **FIGURE
    )
    financing_period = models.DecimalField(_("financing, period (yuan)"), null=True, **FIGURE)
    financing_cumulative = models.DecimalField(
        _("financing, cumulative (yuan)"), null=True, **FIGURE
    )
    yield_projects = models.PositiveIntegerField(_("projects with two yield runs"), null=True)
    yield_gain_pp_total = models.DecimalField(
        _("sum of yield gains (pp)"), null=True, max_digits=20, decimal_places=4
    )
    yield_gain_pp_mean = models.DecimalField(
        _("yield gain, mean (pp)"), null=True, max_digits=8, decimal_places=1
    )
    baseline = models.ForeignKey(
        "self",
        verbose_name=_("previous approved return"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Increments: cumulative − the baseline's (corrections make them negative).
    projects_increment = models.IntegerField(_("projects, increment"), null=True)
    enterprises_increment = models.IntegerField(_("enterprises, increment"), null=True)
    new_products_increment = models.IntegerField(_("new products, increment"), null=True)
    service_revenue_increment = models.DecimalField(
        _("service revenue, increment (yuan)"), null=True, **FIGURE
    )
    output_value_increment = models.DecimalField(
        _("output value, increment (yuan)"), null=True, **FIGURE
    )
    financing_increment = models.DecimalField(_("financing, increment (yuan)"), null=True, **FIGURE)
    frozen_at = models.DateTimeField(_("figures frozen at"), null=True, blank=True)
    # Who did what, when.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = PeriodReturnQuerySet.as_manager()

    class Meta:
        ordering = ["period", "platform__name"]
        verbose_name = _("period return")
        verbose_name_plural = _("period returns")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "platform"],
                name="%(app_label)s_%(class)s_one_per_platform",
                violation_error_message=_("This platform already has a return for that round."),
            ),
            _valid("status", ReturnStatus),
            models.CheckConstraint(
                condition=Q(grants__isnull=True) | Q(grants__gte=0, grants__lte=Decimal(10) ** 12),
                name="%(app_label)s_%(class)s_grants_in_range",
                violation_error_message=_("Grants lie between 0 and 1,000,000,000,000 yuan."),
            ),
            models.CheckConstraint(
                condition=Q(staff_headcount__isnull=True) | Q(staff_headcount__lte=MAX_HEADCOUNT),
                name="%(app_label)s_%(class)s_headcount_in_range",
                violation_error_message=_("The staff headcount is at most 1,000,000."),
            ),
            models.CheckConstraint(
                condition=Q(incubated_firms__isnull=True) | Q(incubated_firms__lte=MAX_INCUBATED),
                name="%(app_label)s_%(class)s_incubated_in_range",
                violation_error_message=_("Incubated firms are at most 100,000."),
            ),
            # Submitted once: a submitter and a date. Approved: the one approval, with its
            # reviewer and date; any other status has no approval date. Returned: a comment.
            models.CheckConstraint(
                condition=~Q(status__in=SUBMITTED_ONCE)
                | Q(submitted_by__isnull=False, submitted_at__isnull=False),
                name="%(app_label)s_%(class)s_submitted_has_submitter",
                violation_error_message=_("A submitted return names its submitter and date."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ReturnStatus.APPROVED)
                    & Q(approved_at__isnull=False, reviewed_by__isnull=False)
                )
                | (~Q(status=ReturnStatus.APPROVED) & Q(approved_at__isnull=True)),
                name="%(app_label)s_%(class)s_one_approval",
                violation_error_message=_(
                    "An approved return names its reviewer and approval date; no other does."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=ReturnStatus.RETURNED)
                | Q(review_comment__isnull=False)
                & Q(reviewed_by__isnull=False)
                & ~Q(review_comment=""),
                name="%(app_label)s_%(class)s_returned_has_comment",
                violation_error_message=_("A returned return carries the reviewer's comment."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=FROZEN)
                | Q(frozen_at__isnull=False, projects_cumulative__isnull=False),
                name="%(app_label)s_%(class)s_frozen_has_figures",
                violation_error_message=_("A submitted or approved return holds its figures."),
            ),
        ]

    def __str__(self):
        return f"{self.period.code} · {self.platform}"

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN


class ReturnProjectRow(models.Model):
    """A project as it counted in a submitted return (the figures' audit trail).

    The values are copied, not referenced: a project edited or deleted after approval leaves
    the return's rows, and so its figures, as they were.
    """

    period_return = models.ForeignKey(
        PeriodReturn, on_delete=models.CASCADE, related_name="project_rows"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    confidentiality = models.CharField(_("confidentiality"), max_length=20)
    status = models.CharField(_("status"), max_length=20)
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"), null=True)
    is_new = models.BooleanField(_("new in the period"))
    is_active = models.BooleanField(_("active in the period"))
    new_product = models.BooleanField(_("new product"))
    enterprise_uscc = models.CharField(_("client USCC"), max_length=18)
    # The client's id at submission: distinct clients are counted on it (a credit code is
    # unique to one enterprise, and integers are counted several times faster than text).
    enterprise_ref = models.IntegerField(_("client"))
    service_revenue = models.DecimalField(_("service revenue (yuan)"), **FIGURE)
    output_value = models.DecimalField(_("output value (yuan)"), **FIGURE)
    financing_period = models.DecimalField(_("financing, period (yuan)"), **FIGURE)
    financing_cumulative = models.DecimalField(_("financing, cumulative (yuan)"), **FIGURE)
    yield_gain_pp = models.DecimalField(
        _("yield gain (pp)"), null=True, max_digits=9, decimal_places=4
    )

    class Meta:
        ordering = ["period_return", "code"]
        verbose_name = _("frozen project row")
        verbose_name_plural = _("frozen project rows")

    def __str__(self):
        return self.code


def evidence_path(instance, filename):
    # Never the uploaded name: it is kept in ``original_name`` and only shown as text.
    return f"returns/evidence/{instance.period_return_id}/{instance.sha256[:16]}{instance.suffix}"


class Evidence(models.Model):
    """The signed and stamped return (PDF, JPEG or PNG), checked by its bytes, ≤ 10 MB."""

    period_return = models.ForeignKey(
        PeriodReturn, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=20, choices=EvidenceType)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            _valid("content_type", EvidenceType),
            models.CheckConstraint(
                condition=Q(size__gte=1, size__lte=10 * 1024 * 1024),
                name="%(app_label)s_%(class)s_size_in_range",
                violation_error_message=_("An evidence file has 1 byte to 10 MB."),
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def suffix(self) -> str:
        return {EvidenceType.PDF: ".pdf", EvidenceType.JPEG: ".jpg", EvidenceType.PNG: ".png"}[
            self.content_type
        ]


class ReviewLogEntry(models.Model):
    """What happened to a return and why: submitted, approved, returned (comment), reopened
    (reason). Written in the same transaction as the change it records."""

    period_return = models.ForeignKey(PeriodReturn, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(_("action"), max_length=10, choices=ReviewAction)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    text = models.TextField(_("comment or reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review log entry")
        verbose_name_plural = _("review log")
        constraints = [
            _valid("action", ReviewAction),
            models.CheckConstraint(
                condition=~Q(action__in=[ReviewAction.RETURN, ReviewAction.REOPEN]) | ~Q(text=""),
                name="%(app_label)s_%(class)s_reason_given",
                violation_error_message=_("Returning or reopening a return needs a reason."),
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.actor}"
