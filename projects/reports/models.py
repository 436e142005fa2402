"""The report cache's data version, and the zones' policy targets the reports measure."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from platforms.models import Zone
from tracker.formatting import MAX_AMOUNT
from tracker.validators import EARLIEST_YEAR, LATEST_YEAR

from .choices import AMOUNT_METRICS, TargetMetric


class DataVersion(models.Model):
    """A counter the database bumps on every write to the data reports read.

    Database triggers (migration ``tracker.0001_initial``, kept on SQLite by
    ``tracker.migration_steps.restore_data_version_triggers``) increment ``value`` after any
    insert, update or delete on those tables, whichever code path writes (forms, the admin,
    ``bulk_create``, ``QuerySet.update``, raw SQL). Cached report figures are keyed by the value
    (``projects.reports.cache``), so a write makes every cached figure unreachable at once, in
    every process.

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
