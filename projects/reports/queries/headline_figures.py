"""The headline figures of a scope (domain.md, "The headline metrics"), from platform summaries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Subquery,
    Sum,
)

from platforms.choices import ListLevel
from platforms.models import ProvinceListTotal, RecognitionList
from tracker.formatting import round_half_up

from ..cache import Versions, read_versions
from ..scope import Scope
from .base import (
    is_key_platform,
    key_recognitions,
    scoped_platforms,
    tenth,
    yuan,
)
from .summaries import (
    mean_gain,
    scope_enterprises,
    scope_figures,
    scope_median_gain,
    summary_rows,
)


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


def headline(scope: Scope, user, versions: Versions | None = None) -> Headline:
    """The headline figures in three queries: platforms, list share, the platforms' summaries.

    Counts, money, the mean gain and financing are the sums of the per-platform summaries
    (``summaries``: exact integers, refreshed per platform version); distinct enterprises and
    the median, which do not add up, come from the sets the summaries keep (sorted enterprise
    ids and gains per platform and start year). ``versions`` is the report cache's read, if it
    has one.
    """
    result = Headline(scope=scope)
    platforms = scoped_platforms(scope, user)
    counts = platforms.aggregate(
        platforms=Count("pk"),
        key_platforms=Count("pk", filter=is_key_platform()),
        zones=Count("zone", distinct=True),
        provinces=Count("zone__province", distinct=True),
        province=Max("zone__province"),
    )
    result.platforms = counts["platforms"]
    result.key_platforms = counts["key_platforms"]
    result.zones = counts["zones"]
    single_province = counts["province"] if counts["provinces"] == 1 else None
    _fill_list_share(result, platforms, single_province)

    if versions is None:
        versions = read_versions(scope, user)
    rows = summary_rows(versions)
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
    return result


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
