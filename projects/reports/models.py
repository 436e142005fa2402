"""What the report cache and the cold roll-up need to know about report data, and the zones'
policy targets the reports measure (``Target``, kept by administrators in the admin).

Three tables no one types into:

* ``DataVersion`` (one row): the *reference* version, bumped by triggers on every write to
  zones, recognitions, recognition lists, province totals and memberships — rare writes by
  administrators.
* ``PlatformVersion`` (one row per platform): bumped at the commit of every transaction that
  wrote the platform, its projects or their financing. Writers of different platforms touch
  different rows, and only for the instant of their commit (see ``projects.reports.cache``).
* ``PlatformSummary``: each platform's figures per project start year (and in total), computed
  from its projects at a platform version and recomputed when the version has moved on
  (``projects.reports.queries.summaries``). The nationwide roll-up and the platform list add up
  a few thousand of these rows instead of a million projects.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from platforms.models import Platform, Zone
from tracker.formatting import MAX_AMOUNT
from tracker.validators import EARLIEST_YEAR, LATEST_YEAR

from .choices import AMOUNT_METRICS, TargetMetric


class DataVersion(models.Model):
    """The reference data version: a counter bumped on every write to reference data.

    Database triggers (migrations ``tracker.0001_initial`` and
    ``reports.0003_platform_versions_and_summaries``; kept on SQLite by
    ``tracker.migration_steps.restore_data_version_triggers``) increment ``value`` after any
    insert, update or delete on zones, recognitions, recognition lists, province totals and
    memberships, and on any TRUNCATE of report data. Every cached report figure is keyed by it.

    The model moved here from the ``tracker`` app; its table keeps its first name (the triggers
    and ``tracker.migration_steps`` name it in SQL), and its one row (id 1) is the counter.
    """

    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        db_table = "tracker_dataversion"
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return str(self.value)


class PlatformVersion(models.Model):
    """A counter per platform, moved by the commit of every write to the platform's data.

    Triggers (``reports.0003``) create the row with the platform and bump it when the platform,
    one of its projects or one of their financing rounds is inserted, updated or deleted.
    """

    platform = models.OneToOneField(
        Platform,
        verbose_name=_("platform"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="data_version",
    )
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("platform data version")
        verbose_name_plural = _("platform data versions")

    def __str__(self):
        return f"{self.platform_id}: {self.value}"


class PlatformSummary(models.Model):
    """A platform's figures over its projects started in one year (``start_year`` 0: all years).

    Computed in one go for a platform (every year and the total) at the platform version
    ``version``; ``local_mark`` is empty for rows computed outside any writing transaction,
    else the writing transaction's mark (``cache.local_mark``), so that rows computed inside a
    transaction are trusted only there. Money in integer fen, gains in ten-thousandths of a pp
    (as the projects store them), so that sums of rows are exact. Financing is counted on the
    start year of its project, as the scope of a report selects it.
    """

    TOTAL = 0

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="summaries"
    )
    start_year = models.PositiveSmallIntegerField(_("start year"))
    version = models.BigIntegerField(_("version"))
    local_mark = models.CharField(_("transaction mark"), max_length=60, blank=True)
    projects = models.PositiveIntegerField(_("projects"))
    active_projects = models.PositiveIntegerField(_("active projects"))
    enterprises = models.PositiveIntegerField(_("enterprises"))
    new_products = models.PositiveIntegerField(_("new products"))
    yield_projects = models.PositiveIntegerField(_("projects with a yield gain"))
    yield_gain_e4 = models.BigIntegerField(_("sum of yield gains (0.0001 pp)"))
    revenue_fen = models.BigIntegerField(_("service revenue (fen)"))
    output_fen = models.BigIntegerField(_("output value (fen)"))
    financing_fen = models.BigIntegerField(_("financing (fen)"))
    financing_rounds = models.PositiveIntegerField(_("financing rounds"))
    # When a project of the row was last written (the briefing's "数据截至"); None without one.
    latest_change = models.DateTimeField(_("latest change"), null=True, blank=True)
    # Year rows only: the distinct client enterprises (sorted int64 ids) and the yield gains
    # (sorted int32, 0.0001 pp) of the year's projects, so that distinct enterprises and the
    # median of any set of rows are exact without reading the projects.
    enterprise_ids = models.BinaryField(_("enterprise ids"), default=b"")
    gains_e4 = models.BinaryField(_("yield gains (0.0001 pp)"), default=b"")

    class Meta:
        verbose_name = _("platform summary")
        verbose_name_plural = _("platform summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "start_year", "version", "local_mark"],
                name="%(app_label)s_%(class)s_unique_year_per_version",
            )
        ]

    def __str__(self):
        return f"{self.platform_id}/{self.start_year}@{self.version}"


class Target(models.Model):
    """A zone's policy target for a range of years, e.g. Chengdu Hi-tech Zone's "中试十条":
    20 new platforms, 1,000 projects served, 200 new products, 100 firms incubated, a 5 bn
    yuan fund. Progress is measured from the records (``queries.targets``); the target itself is
    reference data, kept by administrators in the admin.
    """

    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="targets"
    )
    metric = models.CharField(_("metric"), max_length=20, choices=TargetMetric)
    start_year = models.PositiveSmallIntegerField(
        _("start year"),
        validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)],
    )
    end_year = models.PositiveSmallIntegerField(
        _("end year"), validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)]
    )
    value = models.DecimalField(
        _("target value"),
        max_digits=15,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)],
        help_text=_("A count, or an amount in yuan for revenue, output value and financing."),
    )

    class Meta:
        ordering = ["zone", "start_year", "metric"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__lte=F("end_year")),
                name="%(app_label)s_%(class)s_start_not_after_end",
                violation_error_message=_("The start year cannot be after the end year."),
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=EARLIEST_YEAR, end_year__lte=LATEST_YEAR),
                name="%(app_label)s_%(class)s_years_in_range",
                violation_error_message=_("Years lie between 1949 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0, value__lte=MAX_AMOUNT),
                name="%(app_label)s_%(class)s_value_positive",
                violation_error_message=_("A target is above zero and at most 1,000,000,000,000."),
            ),
            models.CheckConstraint(
                condition=Q(metric__in=sorted(AMOUNT_METRICS)) | Q(value=Round("value")),
                name="%(app_label)s_%(class)s_count_is_whole",
                violation_error_message=_("A target that counts is a whole number."),
            ),
            models.CheckConstraint(
                condition=Q(metric__in=TargetMetric.values),
                name="%(app_label)s_%(class)s_metric_valid",
                violation_error_message=_("Unknown metric."),
            ),
            models.UniqueConstraint(
                fields=["zone", "metric", "start_year", "end_year"],
                name="%(app_label)s_%(class)s_unique_per_zone_metric_years",
                violation_error_message=_(
                    "This zone already has a target for this metric and these years."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.zone} · {self.get_metric_display()} · {self.start_year}–{self.end_year}"

    @property
    def is_amount(self) -> bool:
        return self.metric in AMOUNT_METRICS
