"""The headline figures of a scope (domain.md, "The headline metrics").

Two ways to the same figures: from the per-platform summaries (``summaries``: a few thousand
rows instead of a million projects; every scope of platforms and start years), or from the
records themselves when the scope is limited to a reporting period (projects started and
financing dated by its last day: a date the summaries' start years cannot express).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections, router
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    Exists,
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.utils import timezone

from platforms.choices import ListLevel
from platforms.models import ProvinceListTotal, RecognitionList
from projects.models import Project
from tracker.formatting import round_half_up

from ..cache import Versions, read_versions
from ..scope import Scope
from .base import (
    Fen,
    is_key_platform,
    key_recognitions,
    money_aggregates,
    scoped_financings,
    scoped_platforms,
    scoped_projects,
    tenth,
    yuan,
)
from .summaries import (
    mean_gain,
    scope_enterprises,
    scope_figures,
    scope_latest_change,
    scope_median_gain,
    summary_rows,
)


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set median: PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


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
    # The zone's names when the scope holds platforms of exactly one zone (the briefing's subject).
    zone_name: str = ""
    zone_name_en: str = ""
    # The newest record's date: the day a project in scope was last written (local date), the
    # "数据截至" of the briefing; None when the scope has no project.
    as_of: dt.date | None = None

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
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
        }


def _float_or_none(value):
    return None if value is None else float(value)


def headline(
    scope: Scope, user, versions: Versions | None = None, rows: dict | None = None
) -> Headline:
    """The headline figures: platforms and list share (two queries), then the projects' and
    financing figures from the platforms' summaries (one query when they are current) or, for a
    reporting period, from the records (three queries). ``versions`` is the report cache's read
    of the scope's platform versions, if it has one; ``rows`` the report's summary rows, if it
    has read them."""
    result = Headline(scope=scope)
    fill_platform_figures(result, scoped_platforms(scope, user))
    if scope.period is not None:
        _fill_from_records(result, scope, user)
    else:
        if rows is None:
            rows = summary_rows(versions or read_versions(scope, user))
        _fill_from_summaries(result, scope, rows)
    return result


def _fill_from_summaries(result: Headline, scope: Scope, rows: dict) -> None:
    """Counts, money, the mean gain and financing are sums of the per-platform summaries (exact
    integers, refreshed per platform version); distinct enterprises and the median, which do not
    add up, come from the sets the summaries keep (sorted ids and gains per platform and year)."""
    figures = scope_figures(scope, rows)
    result.projects = figures["projects"]
    result.enterprises = scope_enterprises(scope, rows)
    result.new_products = figures["new_products"]
    result.service_revenue = yuan(figures["revenue_fen"])
    result.output_value = yuan(figures["output_fen"])
    result.yield_projects = figures["yield_projects"]
    result.yield_gain_pp_mean = mean_gain(figures)
    result.yield_gain_pp_median = tenth(scope_median_gain(scope, rows))
    result.financing = yuan(figures["financing_fen"])
    result.financing_rounds = figures["financing_rounds"]
    latest_change = scope_latest_change(scope, rows)
    if latest_change is not None:
        result.as_of = timezone.localdate(latest_change)


def _fill_from_records(result: Headline, scope: Scope, user) -> None:
    """The projects' and financing figures read from the records (a period's scope)."""
    projects = scoped_projects(scope, user)
    figures = projects.aggregate(
        projects=Count("pk"),
        enterprises=Count("enterprise", distinct=True),
        new_products=Count("pk", filter=Q(new_product=True)),
        yield_projects=Count("yield_gain_pp"),
        yield_mean=Avg("yield_gain_pp"),
        latest_change=Max("updated_at"),
        **money_aggregates(),
    )
    result.projects = figures["projects"]
    result.enterprises = figures["enterprises"]
    result.new_products = figures["new_products"]
    result.service_revenue = yuan(figures["revenue_fen"])
    result.output_value = yuan(figures["output_fen"])
    result.yield_projects = figures["yield_projects"]
    result.yield_gain_pp_mean = tenth(figures["yield_mean"])
    if figures["latest_change"] is not None:
        result.as_of = timezone.localdate(figures["latest_change"])

    money = scoped_financings(scope, user).aggregate(fen=Sum(Fen("amount")), rounds=Count("pk"))
    result.financing = yuan(money["fen"])
    result.financing_rounds = money["rounds"]
    result.yield_gain_pp_median = tenth(median_gain(projects))


def fill_platform_figures(result: Headline, platforms) -> None:
    """Platforms, key platforms, zones and the list share of ``platforms`` (two queries)."""
    counts = platforms.aggregate(
        platforms=Count("pk"),
        key_platforms=Count("pk", filter=is_key_platform()),
        zones=Count("zone", distinct=True),
        provinces=Count("zone__province", distinct=True),
        province=Max("zone__province"),
        zone_name=Max("zone__name"),
        zone_name_en=Max("zone__name_en"),
    )
    result.platforms = counts["platforms"]
    result.key_platforms = counts["key_platforms"]
    result.zones = counts["zones"]
    if result.zones == 1:
        result.zone_name = counts["zone_name"]
        result.zone_name_en = counts["zone_name_en"] or counts["zone_name"]
    single_province = counts["province"] if counts["provinces"] == 1 else None
    _fill_list_share(result, platforms, single_province)


def _fill_list_share(result: Headline, platforms, province_id) -> None:
    """Key platforms ÷ the province's entries on the MIIT key lists those platforms are on.

    One query over the lists: how many there are, how many have a reference total for the
    scope's province, and the sum of those totals. The share is None (unknown, not zero) when
    the scope spans several provinces, has no key platform, or a list lacks the province total.
    """
    lists = RecognitionList.objects.filter(level=ListLevel.MIIT_KEY).filter(
        Exists(
            key_recognitions().filter(
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
