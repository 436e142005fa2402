"""Report queries: every figure of the roll-up, its breakdowns, yield and financing analysis.

Rules this module keeps, so that the page, the JSON, the exports and the command agree:

* Visibility comes only from ``Platform.objects.visible_to(user)`` /
  ``Project.objects.visible_to(user)``; the scope (``Scope``) only narrows it.
* Aggregation happens in the database, one query per figure group, whatever the number of
  projects; Python only reshapes the (few) grouped rows.
* Money is summed as integer fen (``Fen``), so totals are exact to the fen on SQLite too, which
  would otherwise add its decimal columns as floats.
* A project's yield gain is the stored ``Project.yield_gain_pp`` (latest − earliest run, in
  percentage points, computed in SQL by ``refresh_yield_summary``); it is NULL for projects with
  fewer than two runs, so averages and medians are over projects with at least two runs.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import connections, router
from django.db.models import (
    Aggregate,
    Avg,
    BigIntegerField,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext

from platforms.access import has_full_access
from platforms.choices import ListLevel, Sector
from platforms.models import (
    Platform,
    ProvinceListTotal,
    Recognition,
    RecognitionList,
)
from projects.choices import (
    TRACK_STAGES,
    FinancingInstrument,
    FinancingRound,
    InvestorType,
    Stage,
)
from projects.models import Financing, Project
from tracker.formatting import round_half_up

from .scope import Scope

FEN_PER_YUAN = Decimal(100)
# Latest yield at or above this is "reached mass-production quality" in the yield section.
REACHED_YIELD_PCT = 90
# Histogram of gains: below zero, then 10-pp bins up to 100 (the last bin includes 100).
GAIN_BINS = [(None, 0), *((low, low + 10) for low in range(0, 100, 10))]
TOP_GAINS = 20


class Fen(Func):
    """An amount in integer fen (1/100 yuan), for sums that are exact on every backend.

    PostgreSQL sums ``numeric`` exactly, so multiplying by 100 is enough. SQLite stores decimals
    with REAL affinity and SUM() adds floats: 0.10 + 0.20 is not 0.30 there, and totals above
    10^13 yuan lose their fen. Rounding each value to an integer number of fen first makes the
    addition integer arithmetic, exact up to 9.2 × 10^16 yuan.
    """

    template = "(%(expressions)s * 100)"
    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND(%(expressions)s * 100) AS INTEGER)",
            **extra_context,
        )


def yuan(fen) -> Decimal:
    """Integer fen (or None, from a SUM over no rows) → exact Decimal yuan with two decimals."""
    return (Decimal(int(fen or 0)) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def tenth(value) -> Decimal | None:
    """A mean or median gain rounded half up to 0.1 pp (None stays None; ``tracker.formatting``)."""
    if value is None:
        return None
    return round_half_up(value, 1)


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set median: PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


# --------------------------------------------------------------------------------------------
# Scoped base querysets


def scoped_platforms(scope: Scope, user):
    """Platforms in scope that the user may see (zone, platform and sector filters)."""
    return Platform.objects.visible_to(user).filter(scope.platform_q()).order_by()


def scoped_projects(scope: Scope, user):
    """Projects in scope that the user may see (platform filters plus start years)."""
    return Project.objects.visible_to(user).filter(scope.project_q()).order_by()


def scoped_financings(scope: Scope, user):
    """Financing rounds recorded on the projects in scope (joined, not an IN over projects)."""
    financings = Financing.objects.filter(scope.project_q("project__")).order_by()
    if not has_full_access(user):
        # Skipped when every platform is visible, as in ``Project.objects.visible_to``.
        visible = Platform.objects.visible_to(user)
        financings = financings.filter(project__platform__in=visible.values("pk"))
    return financings


def _key_recognitions():
    """Recognitions in force on a list of level "MIIT key cultivated" (any batch)."""
    return Recognition.objects.current().filter(recognition_list__level=ListLevel.MIIT_KEY)


def _is_key_platform(ref: str = "pk") -> Q:
    return Q(Exists(_key_recognitions().filter(platform=OuterRef(ref))))


def _money_aggregates(prefix: str = "", condition: Q | None = None) -> dict:
    return {
        "revenue_fen": Sum(Fen(f"{prefix}service_revenue"), filter=condition),
        "output_fen": Sum(Fen(f"{prefix}output_value"), filter=condition),
    }


# --------------------------------------------------------------------------------------------
# Headline


@dataclass
class Headline:
    """The headline figures of a scope (see domain.md, "The headline metrics")."""

    scope: Scope
    platforms: int = 0
    zones: int = 0
    key_platforms: int = 0
    key_platform_share: Decimal | None = None
    # Batches of the MIIT key lists the key platforms are on (for "first list" in the briefing).
    key_list_batches: tuple = ()
    province_total_entries: int | None = None
    projects: int = 0
    enterprises: int = 0
    new_products: int = 0
    service_revenue: Decimal = Decimal("0.00")
    output_value: Decimal = Decimal("0.00")
    financing: Decimal = Decimal("0.00")
    financing_rounds: int = 0
    yield_projects: int = 0
    yield_gain_pp_mean: Decimal | None = None
    yield_gain_pp_median: Decimal | None = None

    @property
    def key_platform_share_pct(self) -> Decimal | None:
        """The list share in percent, for display (None when unknown)."""
        return None if self.key_platform_share is None else self.key_platform_share * 100

    def as_json(self) -> dict:
        """Exactly the keys of ``/reports/rollup.json``: money as exact strings, gains 0.1."""
        return {
            "scope": self.scope.as_json(),
            "platforms": self.platforms,
            "key_platforms": self.key_platforms,
            "key_platform_share": (
                None if self.key_platform_share is None else float(self.key_platform_share)
            ),
            "projects": self.projects,
            "enterprises": self.enterprises,
            "new_products": self.new_products,
            "service_revenue": f"{self.service_revenue:.2f}",
            "output_value": f"{self.output_value:.2f}",
            "financing": f"{self.financing:.2f}",
            "yield_projects": self.yield_projects,
            "yield_gain_pp_mean": _float_or_none(self.yield_gain_pp_mean),
            "yield_gain_pp_median": _float_or_none(self.yield_gain_pp_median),
        }


def _float_or_none(value):
    return None if value is None else float(value)


def headline(scope: Scope, user) -> Headline:
    """The headline figures in five queries: platforms, list share, projects, financing, median."""
    result = Headline(scope=scope)
    platforms = scoped_platforms(scope, user)
    counts = platforms.aggregate(
        platforms=Count("pk"),
        key_platforms=Count("pk", filter=_is_key_platform()),
        zones=Count("zone", distinct=True),
        provinces=Count("zone__province", distinct=True),
        province=Max("zone__province"),
    )
    result.platforms = counts["platforms"]
    result.key_platforms = counts["key_platforms"]
    result.zones = counts["zones"]
    single_province = counts["province"] if counts["provinces"] == 1 else None
    _fill_list_share(result, platforms, single_province)

    projects = scoped_projects(scope, user)
    figures = projects.aggregate(
        projects=Count("pk"),
        enterprises=Count("enterprise", distinct=True),
        new_products=Count("pk", filter=Q(new_product=True)),
        yield_projects=Count("yield_gain_pp"),
        yield_mean=Avg("yield_gain_pp"),
        **_money_aggregates(),
    )
    result.projects = figures["projects"]
    result.enterprises = figures["enterprises"]
    result.new_products = figures["new_products"]
    result.service_revenue = yuan(figures["revenue_fen"])
    result.output_value = yuan(figures["output_fen"])
    result.yield_projects = figures["yield_projects"]
    result.yield_gain_pp_mean = tenth(figures["yield_mean"])

    money = scoped_financings(scope, user).aggregate(fen=Sum(Fen("amount")), rounds=Count("pk"))
    result.financing = yuan(money["fen"])
    result.financing_rounds = money["rounds"]
    result.yield_gain_pp_median = tenth(median_gain(projects))
    return result


def _fill_list_share(result: Headline, platforms, province_id) -> None:
    """Key platforms ÷ the province's entries on the MIIT key lists those platforms are on.

    One query over the lists: how many there are, how many have a reference total for the
    scope's province, and the sum of those totals. The share is None (unknown, not zero) when
    the scope spans several provinces, has no key platform, or a list lacks the province total.
    """
    lists = RecognitionList.objects.filter(level=ListLevel.MIIT_KEY).filter(
        Exists(
            _key_recognitions().filter(
                recognition_list=OuterRef("pk"), platform__in=platforms.values("pk")
            )
        )
    )
    entries = ProvinceListTotal.objects.filter(
        recognition_list=OuterRef("pk"), province_id=province_id
    ).values("entries")[:1]
    summary = lists.annotate(province_entries=Subquery(entries)).aggregate(
        lists=Count("pk"),
        with_total=Count("province_entries"),
        entries=Sum("province_entries"),
        first_batch=Min("batch"),
        last_batch=Max("batch"),
    )
    result.key_list_batches = (summary["first_batch"], summary["last_batch"])
    if province_id is None or not summary["lists"] or summary["with_total"] != summary["lists"]:
        return
    result.province_total_entries = summary["entries"]
    result.key_platform_share = round_half_up(Decimal(result.key_platforms) / summary["entries"], 4)


def median_gain(projects) -> float | None:
    """Median yield gain of the projects with at least two runs, in one bounded query.

    PostgreSQL computes it with PERCENTILE_CONT. SQLite has no median: the query orders the
    gains and reads only the middle one or two (LIMIT 2 - n % 2 OFFSET (n - 1) / 2), so no
    value travels to Python but the answer. ("%%" in the SQL is the modulo, escaped for the
    DB-API parameter style.)
    """
    gains = projects.filter(yield_gain_pp__isnull=False).order_by()
    connection = connections[router.db_for_read(Project)]
    if connection.vendor == "postgresql":
        return gains.aggregate(median=PercentileCont("yield_gain_pp"))["median"]
    inner, params = gains.values("yield_gain_pp").query.sql_with_params()
    # ``inner`` is SQL compiled by Django with its parameters kept apart: nothing is interpolated.
    sql = (
        f"SELECT AVG(g) FROM (SELECT yield_gain_pp AS g FROM ({inner}) ORDER BY g "  # noqa: S608
        f"LIMIT 2 - (SELECT COUNT(*) FROM ({inner})) %% 2 "
        f"OFFSET ((SELECT COUNT(*) FROM ({inner})) - 1) / 2)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params, *params])
        row = cursor.fetchone()
    return row[0] if row else None


# --------------------------------------------------------------------------------------------
# Breakdowns: one query over the projects' figures and one over financing, per table. The two
# are merged by group key (a handful of rows); financing is a separate figure group because
# joining it to the projects would count every project once per financing round.

BREAKDOWN_FIGURES = (
    "projects",
    "enterprises",
    "new_products",
    "service_revenue",
    "output_value",
    "financing",
    "financing_rounds",
    "yield_projects",
    "yield_gain_pp_mean",
)


def _both(first: Q | None, second: Q) -> Q:
    return second if first is None else first & second


def _project_figures(prefix: str, condition: Q | None) -> dict:
    """Per-group aggregates over projects reached through ``prefix`` (with an optional filter).

    The aliases carry an ``f_`` prefix because an alias named ``projects`` would shadow the
    ``projects`` relation the other aggregates go through; ``_finish_row`` drops it.
    """
    return {
        "f_projects": Count(f"{prefix}pk", filter=condition),
        "f_enterprises": Count(f"{prefix}enterprise", distinct=True, filter=condition),
        "f_new_products": Count(
            f"{prefix}pk", filter=_both(condition, Q(**{f"{prefix}new_product": True}))
        ),
        "f_yield_projects": Count(f"{prefix}yield_gain_pp", filter=condition),
        "f_yield_mean": Avg(f"{prefix}yield_gain_pp", filter=condition),
        "f_revenue_fen": Sum(Fen(f"{prefix}service_revenue"), filter=condition),
        "f_output_fen": Sum(Fen(f"{prefix}output_value"), filter=condition),
    }


def _finish_row(row: dict, money: dict | None) -> dict:
    """Turn fen into yuan, round the mean gain and attach the group's financing."""
    for name in [name for name in row if name.startswith("f_")]:
        row[name[2:]] = row.pop(name)
    row["service_revenue"] = yuan(row.pop("revenue_fen"))
    row["output_value"] = yuan(row.pop("output_fen"))
    row["yield_gain_pp_mean"] = tenth(row.pop("yield_mean"))
    row["financing"] = yuan(money["fen"] if money else 0)
    row["financing_rounds"] = money["rounds"] if money else 0
    return row


def _financing_by(financings, key: str) -> dict:
    grouped = financings.values(key).annotate(fen=Sum(Fen("amount")), rounds=Count("pk"))
    return {row[key]: row for row in grouped}


EMPTY_FIGURES = {
    "f_projects": 0,
    "f_enterprises": 0,
    "f_new_products": 0,
    "f_yield_projects": 0,
    "f_yield_mean": None,
    "f_revenue_fen": 0,
    "f_output_fen": 0,
}


def _platform_breakdown(scope: Scope, user, group: list[str], key: str, project_key: str):
    """Rows over platforms grouped by ``group``; platforms without projects still count.

    Three queries: the platforms (and key platforms) per group, the projects' figures per
    group (``project_key`` is the same grouping seen from the project), and the financing. Kept
    apart so that the database never joins a million projects to the platforms only to count
    distinct platforms, nor tests each project's platform for a recognition.
    """
    platforms = (
        scoped_platforms(scope, user)
        .values(*group)
        .annotate(platforms=Count("pk"), key_platforms=Count("pk", filter=_is_key_platform()))
        .order_by(*group)
    )
    figures = {
        row.pop(project_key): row
        for row in scoped_projects(scope, user)
        .values(project_key)
        .annotate(**_project_figures("", None))
    }
    money = _financing_by(scoped_financings(scope, user), f"project__{project_key}")
    rows = []
    for row in platforms:
        row.update(figures.get(row[key], EMPTY_FIGURES))
        rows.append(_finish_row(row, money.get(row[key])))
    return rows


def by_platform(scope: Scope, user) -> list[dict]:
    """One row per platform in scope: its projects' figures, financing and key-list status."""
    rows = _platform_breakdown(
        scope, user, ["name", "pk", "zone__name", "sector"], "pk", "platform"
    )
    for row in rows:
        row["label"] = row["name"]
        row["sector_label"] = Sector(row["sector"]).label
    return rows


def by_sector(scope: Scope, user) -> list[dict]:
    """One row per MIIT key area (the platforms' sector)."""
    rows = _platform_breakdown(scope, user, ["sector"], "sector", "platform__sector")
    for row in rows:
        row["label"] = Sector(row["sector"]).label
    return rows


def by_zone(scope: Scope, user) -> list[dict]:
    """One row per zone (shown when the user sees several)."""
    rows = _platform_breakdown(scope, user, ["zone", "zone__name"], "zone", "platform__zone")
    for row in rows:
        row["label"] = row["zone__name"]
    return rows


def by_start_year(scope: Scope, user) -> list[dict]:
    """One row per project start year (financing of the projects started that year)."""
    rows = (
        scoped_projects(scope, user)
        .annotate(year=ExtractYear("start_on"))
        .values("year")
        .annotate(**_project_figures("", None))
        .order_by("year")
    )
    financings = scoped_financings(scope, user).annotate(year=ExtractYear("project__start_on"))
    money = _financing_by(financings, "year")
    result = [_finish_row(row, money.get(row["year"])) for row in rows]
    for row in result:
        row["label"] = str(row["year"])
    return result


# --------------------------------------------------------------------------------------------
# Yield


@dataclass
class YieldSection:
    """Distribution of gains, how many projects reached 90%, the best gains, gains by stage."""

    histogram: list = field(default_factory=list)
    with_runs: int = 0
    reached: int = 0
    top: list = field(default_factory=list)
    by_stage: list = field(default_factory=list)

    @property
    def reached_share(self) -> Decimal | None:
        """Share of projects with at least one run whose latest yield is ≥ 90%."""
        if not self.with_runs:
            return None
        return round_half_up(Decimal(self.reached) * 100 / self.with_runs, 1)


def _gain_bin_q(low, high) -> Q:
    if low is None:
        return Q(yield_gain_pp__lt=high)
    if high >= 100:
        return Q(yield_gain_pp__gte=low)
    return Q(yield_gain_pp__gte=low, yield_gain_pp__lt=high)


def _gain_bin_label(low, high) -> str:
    if low is None:
        return f"< {high}"
    return f"{low}–{high}"


def yield_section(scope: Scope, user) -> YieldSection:
    """Three queries: histogram and reach counts, the top gains, and gains by final stage."""
    projects = scoped_projects(scope, user)
    bins = {f"bin{i}": Count("pk", filter=_gain_bin_q(*edges)) for i, edges in enumerate(GAIN_BINS)}
    counts = projects.aggregate(
        with_runs=Count("yield_latest_pct"),
        reached=Count("pk", filter=Q(yield_latest_pct__gte=REACHED_YIELD_PCT)),
        **bins,
    )
    section = YieldSection(with_runs=counts["with_runs"], reached=counts["reached"])
    section.histogram = [
        {"label": _gain_bin_label(*edges), "projects": counts[f"bin{i}"]}
        for i, edges in enumerate(GAIN_BINS)
    ]
    section.top = top_gains(scope, user)
    section.by_stage = gains_by_stage(projects)
    return section


def top_gains(scope: Scope, user, limit: int = TOP_GAINS) -> list[dict]:
    """The largest gains, first → latest yield; confidential titles masked (``with_masking``)."""
    rows = (
        scoped_projects(scope, user)
        .filter(yield_gain_pp__isnull=False)
        .with_masking(user)
        .annotate(platform_name=F("platform__name"))
        .order_by("-yield_gain_pp", "pk")
        .values(
            "pk",
            "code",
            "title",
            "product",
            "is_masked",
            "platform_name",
            "stage",
            "yield_run_count",
            "yield_first_pct",
            "yield_latest_pct",
            "yield_gain_pp",
        )[:limit]
    )
    return [mask_confidential(row) for row in rows]


def mask_confidential(row: dict) -> dict:
    """Replace the title and product of a row the user may not read (``is_masked``).

    The project still counts in every figure; only the words that could identify the client's
    product are replaced.
    """
    row["masked"] = bool(row.pop("is_masked"))
    if row["masked"]:
        row["title"] = gettext("Confidential project")
        row["product"] = gettext("Confidential project")
    row["stage_label"] = Stage(row["stage"]).label
    return row


def _stage_order(stage: str) -> int:
    order = [stage for stages in TRACK_STAGES.values() for stage in stages]
    return order.index(stage) if stage in order else len(order)


def gains_by_stage(projects) -> list[dict]:
    """Mean gain and mean first/latest yield of projects with a gain, by their current stage."""
    rows = (
        projects.filter(yield_gain_pp__isnull=False)
        .values("stage")
        .annotate(
            projects=Count("pk"),
            gain=Avg("yield_gain_pp"),
            first=Avg("yield_first_pct"),
            latest=Avg("yield_latest_pct"),
        )
        .order_by("stage")
    )
    result = []
    for row in sorted(rows, key=lambda row: _stage_order(row["stage"])):
        result.append(
            {
                "stage": row["stage"],
                "label": Stage(row["stage"]).label,
                "projects": row["projects"],
                "yield_gain_pp_mean": tenth(row["gain"]),
                "yield_first_pct_mean": tenth(row["first"]),
                "yield_latest_pct_mean": tenth(row["latest"]),
            }
        )
    return result


# --------------------------------------------------------------------------------------------
# Financing


FINANCING_GROUPS = {
    "round": FinancingRound,
    "instrument": FinancingInstrument,
    "investor_type": InvestorType,
}


def financing_by(scope: Scope, user, group: str) -> list[dict]:
    """Financing totals by ``round``, ``instrument``, ``investor_type`` or ``year`` (of the date).

    Rows follow the order of the choice list (seed → IPO), years ascending.
    """
    financings = scoped_financings(scope, user)
    if group == "year":
        financings = financings.annotate(year=ExtractYear("date"))
    rows = financings.values(group).annotate(fen=Sum(Fen("amount")), rounds=Count("pk"))
    by_key = {row[group]: row for row in rows}
    if group == "year":
        keys = sorted(by_key)
        labels = {key: str(key) for key in keys}
    else:
        choices = FINANCING_GROUPS[group]
        keys = [value for value in choices.values if value in by_key]
        labels = {value: choices(value).label for value in keys}
    return [
        {
            "key": key,
            "label": labels[key],
            "rounds": by_key[key]["rounds"],
            "amount": yuan(by_key[key]["fen"]),
        }
        for key in keys
    ]


class Report:
    """Every section of a scope's report, each computed on first use and then kept.

    The page reads them all (a fixed number of queries); an export reads only its own table,
    plus the headline for the totals row. Sections come from the report cache while the data
    is unchanged (see ``projects.reports.cache``).
    """

    def __init__(self, scope: Scope, user):
        from .cache import ReportCache

        self.scope = scope
        self.user = user
        self.cache = ReportCache(scope, user)

    def _section(self, name, compute, per_language=True):
        return self.cache.get(
            name, lambda: compute(self.scope, self.user), per_language=per_language
        )

    @cached_property
    def headline(self) -> Headline:
        # Stored without the scope (model instances); figures only, language-independent.
        stored = self._section("headline", _headline_figures, per_language=False)
        return Headline(scope=self.scope, **stored)

    @cached_property
    def platforms(self) -> list[dict]:
        return self._section("platforms", by_platform)

    @cached_property
    def sectors(self) -> list[dict]:
        return self._section("sectors", by_sector)

    @cached_property
    def years(self) -> list[dict]:
        return self._section("years", by_start_year)

    @cached_property
    def zones(self) -> list[dict]:
        return self._section("zones", by_zone)

    @cached_property
    def yields(self) -> YieldSection:
        return self._section("yields", yield_section)

    @cached_property
    def financing(self) -> dict:
        """Lazily per grouping, so an export of one grouping runs one query."""
        return _LazyGroups(self)


def _headline_figures(scope: Scope, user) -> dict:
    result = headline(scope, user)
    return {
        name: getattr(result, name) for name in Headline.__dataclass_fields__ if name != "scope"
    }


class _LazyGroups(dict):
    """Financing totals per grouping, each queried (or read from the cache) when asked for."""

    def __init__(self, report: Report):
        super().__init__()
        self.report = report

    def __missing__(self, group):
        self[group] = self.report._section(
            f"financing-{group}", lambda scope, user: financing_by(scope, user, group)
        )
        return self[group]
