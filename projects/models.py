"""Client enterprises, the pilot projects platforms run for them, yield runs and financing.

A project's yield journey is a series of yield runs (DVT#1, DVT#2, PVT#1, ...). Its yield gain is
the yield of its latest run minus that of its earliest, in percentage points: 40% → 90% is
+50 pp (the relative change, +125%, is a different number). The gain is kept on the project
as a summary computed in SQL from the runs (``refresh_yield_summary``) so that lists can sort
and filter by it and reports can average it over a million projects without touching the runs.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import (
    F,
    Q,
)
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from platforms.choices import Sector
from platforms.models import Platform
from tracker.fields import MoneyField, money_max_constraint
from tracker.formatting import round_half_up
from tracker.validators import (
    PROJECT_CODE_MAX_LENGTH,
    USCC_LENGTH,
    date_range_constraint,
    no_hidden_characters,
    normalize_project_code,
    normalize_uscc,
    validate_project_code,
    validate_record_date,
    validate_uscc,
)

from .choices import (
    TRACK_STAGES,
    Confidentiality,
    EnterpriseSize,
    FinancingInstrument,
    FinancingRound,
    InvestorType,
    ProjectStatus,
    SrdiLevel,
    Stage,
    Track,
    YieldUnit,
)
from .confidential import ConfidentialText
from .querysets import (
    PERCENT,
    EnterpriseQuerySet,
    ProjectQuerySet,
)

HUNDRED = Decimal(100)


def _stage_matches_track():
    """Database form of "a discrete project is in a discrete stage" (and likewise for process)."""
    condition = Q()
    for track, stages in TRACK_STAGES.items():
        condition |= Q(track=track, stage__in=[stage.value for stage in stages])
    return condition


def yield_percent(passed: int, tested: int) -> Decimal | None:
    """Yield of a run in percent, from its counts (never typed), rounded half up to 4 decimals,
    as the SQL of ``refresh_yield_summary`` rounds it (1 of 128 is 0.7813, not 0.7812)."""
    if not tested:
        return None
    return round_half_up(Decimal(passed) * HUNDRED / Decimal(tested), 4)


class Enterprise(models.Model):
    """A client company whose product a platform takes through pilot testing."""

    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=USCC_LENGTH,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18 characters, GB 32100-2015; the last one is a check character"),
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=EnterpriseSize, blank=True)
    is_high_tech = models.BooleanField(_("high-tech enterprise"), default=False)
    srdi_level = models.CharField(
        _("SRDI level"), max_length=20, choices=SrdiLevel, default=SrdiLevel.NONE
    )
    founded_on = models.DateField(
        _("founded on"), null=True, blank=True, validators=[validate_record_date]
    )
    history = HistoricalRecords()

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name", "uscc"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("uscc"), USCC_LENGTH) & Q(uscc=Upper("uscc")),
                name="%(app_label)s_%(class)s_uscc_shape",
                violation_error_message=_("The USCC has 18 upper-case characters."),
            ),
            models.CheckConstraint(
                condition=no_hidden_characters("uscc"),
                name="%(app_label)s_%(class)s_uscc_no_hidden_characters",
                violation_error_message=_("A code cannot contain spaces or invisible characters."),
            ),
            date_range_constraint("founded_on", null=True),
        ]
        indexes = [models.Index(fields=["name"], name="projects_ent_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:enterprise_detail", args=[self.pk])

    def clean(self):
        self.uscc = normalize_uscc(self.uscc)


class Project(ConfidentialText, models.Model):
    """A pilot project (中试项目): one client product taken through a platform's pilot stages."""

    code = models.CharField(
        _("project code"),
        max_length=PROJECT_CODE_MAX_LENGTH,
        unique=True,
        validators=[validate_project_code],
        help_text=_("Stored in upper case; full-width characters are converted"),
    )
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="projects"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="projects",
        # Served by projects_proj_client_plat_idx (enterprise, platform) below.
        db_index=False,
    )
    title = models.CharField(_("title"), max_length=200)
    product = models.CharField(_("product"), max_length=200, blank=True)
    track = models.CharField(_("track"), max_length=10, choices=Track, default=Track.DISCRETE)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage, default=Stage.EVT)
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus, default=ProjectStatus.INTENT
    )
    start_on = models.DateField(_("start date"), validators=[validate_record_date])
    end_on = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_record_date]
    )
    service_revenue = MoneyField(
        _("service revenue (yuan)"),
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Pilot-service revenue the platform earned from this project"),
    )
    output_value = MoneyField(
        _("output value (yuan)"),
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Output value of the product after pilot verification"),
    )
    new_product = models.BooleanField(
        _("new product"),
        default=False,
        help_text=_("The product reached mass production or the market"),
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=12, choices=Confidentiality, default=Confidentiality.PUBLIC
    )
    description = models.TextField(_("description"), blank=True)
    # Optimistic locking: a save must name the version it edited (see the project form).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Yield summary, computed in SQL from the runs by refresh_yield_summary(); never typed.
    yield_run_count = models.PositiveIntegerField(_("yield runs"), default=0, editable=False)
    yield_first_pct = models.DecimalField(
        _("first yield (%)"), **PERCENT, null=True, blank=True, editable=False
    )
    yield_latest_pct = models.DecimalField(
        _("latest yield (%)"), **PERCENT, null=True, blank=True, editable=False
    )
    yield_gain_pp = models.DecimalField(
        _("yield gain (pp)"), **PERCENT, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["yield_run_count", "updated_at"])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-start_on", "-id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(service_revenue__gte=0),
                name="%(app_label)s_%(class)s_service_revenue_non_negative",
                violation_error_message=_("Service revenue cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(output_value__gte=0),
                name="%(app_label)s_%(class)s_output_value_non_negative",
                violation_error_message=_("Output value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=_stage_matches_track(),
                name="%(app_label)s_%(class)s_stage_matches_track",
                violation_error_message=_("The stage does not belong to the project's track."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProjectStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("Unknown project status."),
            ),
            models.CheckConstraint(
                condition=Q(confidentiality__in=Confidentiality.values),
                name="%(app_label)s_%(class)s_confidentiality_valid",
                violation_error_message=_("Unknown confidentiality level."),
            ),
            models.CheckConstraint(
                condition=~Q(code=""),
                name="%(app_label)s_%(class)s_code_not_empty",
                violation_error_message=_("A project needs a code."),
            ),
            models.CheckConstraint(
                condition=Q(code=Upper("code")) & no_hidden_characters("code"),
                name="%(app_label)s_%(class)s_code_normalised",
                violation_error_message=_(
                    "A project code is stored in upper case, without spaces or invisible "
                    "characters."
                ),
            ),
            money_max_constraint("service_revenue"),
            money_max_constraint("output_value"),
            date_range_constraint("start_on"),
            date_range_constraint("end_on", null=True),
        ]
        indexes = [
            models.Index(fields=["-start_on", "-id"], name="projects_project_start_idx"),
            models.Index(fields=["platform", "start_on"], name="projects_proj_plat_start_idx"),
            models.Index(fields=["status"], name="projects_project_status_idx"),
            # The sortable figures, each with the id as tie-breaker (``tracker.paginators``
            # appends it), so that the first and the last page of a sort walk an index.
            models.Index(fields=["yield_gain_pp", "id"], name="projects_project_gain_id_idx"),
            models.Index(fields=["service_revenue", "id"], name="projects_project_revenue_idx"),
            models.Index(fields=["output_value", "id"], name="projects_project_output_idx"),
            # A client's projects, and which platforms they are at, from the index alone: the
            # enterprise list of a zone manager counts the clients with a project in the zone.
            models.Index(fields=["enterprise", "platform"], name="projects_proj_client_plat_idx"),
        ]
        # PostgreSQL also has pg_trgm GIN indexes for the search (migration 0008 and
        # ``projects.search``); they are expressions on a contrib opclass, kept out of the model
        # so that SQLite migrates the same models.

    def __str__(self):
        return f"{self.code} {self.shown_title}"

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    def clean(self):
        errors = {}
        self.code = normalize_project_code(self.code)
        if len(self.code) > PROJECT_CODE_MAX_LENGTH:
            errors["code"] = _("A project code has at most %(max)d characters.") % {
                "max": PROJECT_CODE_MAX_LENGTH
            }
        if self.end_on and self.start_on and self.end_on < self.start_on:
            errors["end_on"] = _("The end date cannot be before the start date.")
        if self.track and self.stage and self.stage not in TRACK_STAGES.get(self.track, []):
            errors["stage"] = _("Stage %(stage)s does not belong to the %(track)s track.") % {
                "stage": self.get_stage_display(),
                "track": self.get_track_display(),
            }
        if errors:
            raise ValidationError(errors)

    @property
    def yield_gain_relative_pct(self) -> Decimal | None:
        """Relative change of yield, first → latest (40% → 90% is +125%); None if undefined."""
        if self.yield_gain_pp is None or not self.yield_first_pct:
            return None
        return round_half_up(self.yield_gain_pp * HUNDRED / self.yield_first_pct, 1)


class YieldRun(models.Model):
    """One measured run of a project (e.g. DVT#2): units tested, passed, and passed first time.

    Yield = passed ÷ tested and first-pass yield = first-pass units ÷ tested are computed, never
    typed, so no page can show a percentage the counts contradict.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="yield_runs"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage)
    sequence = models.PositiveSmallIntegerField(
        _("sequence"), default=1, validators=[MinValueValidator(1)]
    )
    measured_on = models.DateField(_("measured on"), validators=[validate_record_date])
    units_tested = models.PositiveIntegerField(_("units tested"), validators=[MinValueValidator(1)])
    units_passed = models.PositiveIntegerField(_("units passed"))
    first_pass_units = models.PositiveIntegerField(_("first-pass units"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=YieldUnit, default=YieldUnit.PIECES)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "measured_on", "sequence", "id"]
        verbose_name = _("yield run")
        verbose_name_plural = _("yield runs")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "stage", "sequence"],
                name="%(app_label)s_%(class)s_unique_stage_sequence",
                violation_error_message=_(
                    "This project already has a run with that stage and number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(sequence__gte=1),
                name="%(app_label)s_%(class)s_sequence_positive",
                violation_error_message=_("Run numbers start at 1."),
            ),
            models.CheckConstraint(
                condition=Q(units_tested__gt=0),
                name="%(app_label)s_%(class)s_tested_positive",
                violation_error_message=_("At least one unit must be tested."),
            ),
            models.CheckConstraint(
                condition=Q(units_passed__gte=0) & Q(units_passed__lte=F("units_tested")),
                name="%(app_label)s_%(class)s_passed_within_tested",
                violation_error_message=_("Units passed cannot exceed units tested."),
            ),
            models.CheckConstraint(
                condition=Q(first_pass_units__isnull=True)
                | (Q(first_pass_units__gte=0) & Q(first_pass_units__lte=F("units_passed"))),
                name="%(app_label)s_%(class)s_first_pass_within_passed",
                violation_error_message=_("First-pass units cannot exceed units passed."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values),
                name="%(app_label)s_%(class)s_stage_valid",
                violation_error_message=_("Unknown stage."),
            ),
            date_range_constraint("measured_on"),
        ]
        indexes = [
            models.Index(
                fields=["project", "measured_on", "sequence"], name="projects_yieldrun_order_idx"
            )
        ]

    def __str__(self):
        return f"{self.stage}#{self.sequence}"

    @property
    def label(self) -> str:
        return f"{self.stage}#{self.sequence}"

    @property
    def yield_pct(self) -> Decimal | None:
        return yield_percent(self.units_passed, self.units_tested)

    @property
    def first_pass_yield_pct(self) -> Decimal | None:
        if self.first_pass_units is None:
            return None
        return yield_percent(self.first_pass_units, self.units_tested)

    def clean(self):
        errors = {}
        if self.units_tested is not None and self.units_tested <= 0:
            errors["units_tested"] = _("At least one unit must be tested.")
        if (
            self.units_passed is not None
            and self.units_tested is not None
            and self.units_passed > self.units_tested
        ):
            errors["units_passed"] = _("Units passed cannot exceed units tested.")
        if (
            self.first_pass_units is not None
            and self.units_passed is not None
            and self.first_pass_units > self.units_passed
        ):
            errors["first_pass_units"] = _("First-pass units cannot exceed units passed.")
        project = self._project_or_none()
        if project is not None:
            if self.measured_on and project.start_on and self.measured_on < project.start_on:
                errors["measured_on"] = _(
                    "A run cannot be measured before the project started (%(date)s)."
                ) % {"date": project.start_on.isoformat()}
            if self.stage and self.stage not in TRACK_STAGES.get(project.track, []):
                errors["stage"] = _("Stage %(stage)s does not belong to the project's track.") % {
                    "stage": self.get_stage_display()
                }
        if errors:
            raise ValidationError(errors)

    def _project_or_none(self):
        try:
            return self.project
        except Project.DoesNotExist:
            return None


class Financing(models.Model):
    """A financing round a client raised with the platform's help (grants are not financing).

    Round, instrument and investor type are independent: a government guidance fund is an
    investor type, not a round. A project's round is identified by its date, round, instrument
    and investor (the import's natural key): the same file imported twice, or two confirms of
    one import racing each other, must not count one round twice in the zone's financing total.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="financings"
    )
    date = models.DateField(_("date"), validators=[validate_record_date])
    round = models.CharField(_("round"), max_length=20, choices=FinancingRound)
    instrument = models.CharField(
        _("instrument"),
        max_length=20,
        choices=FinancingInstrument,
        default=FinancingInstrument.EQUITY,
    )
    investor = models.CharField(_("investor"), max_length=200, blank=True)
    investor_type = models.CharField(
        _("investor type"), max_length=20, choices=InvestorType, default=InvestorType.VC_PE
    )
    amount = MoneyField(_("amount (yuan)"), validators=[MinValueValidator(Decimal("0.01"))])
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "date", "id"]
        verbose_name = _("financing")
        verbose_name_plural = _("financings")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
                violation_error_message=_("A financing amount must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(round__in=FinancingRound.values),
                name="%(app_label)s_%(class)s_round_valid",
                violation_error_message=_("Unknown financing round."),
            ),
            models.CheckConstraint(
                condition=Q(instrument__in=FinancingInstrument.values),
                name="%(app_label)s_%(class)s_instrument_valid",
                violation_error_message=_("Unknown financing instrument."),
            ),
            models.CheckConstraint(
                condition=Q(investor_type__in=InvestorType.values),
                name="%(app_label)s_%(class)s_investor_type_valid",
                violation_error_message=_("Unknown investor type."),
            ),
            money_max_constraint("amount"),
            date_range_constraint("date"),
            models.UniqueConstraint(
                fields=["project", "date", "round", "instrument", "investor"],
                name="%(app_label)s_%(class)s_unique_round",
                violation_error_message=_(
                    "This project already has a financing round on that date with the same "
                    "round, instrument and investor."
                ),
            ),
        ]
        indexes = [models.Index(fields=["date"], name="projects_financing_date_idx")]

    def __str__(self):
        return f"{self.project.code} {self.get_round_display()} {self.amount}"
